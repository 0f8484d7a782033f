"""The command line: build (the default), ingest, check, serve and bundle."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from . import config as config_module
from .console import Console

DESCRIPTION = """\
Build a static site from thesis records, and make those records from repository listing pages.

  python build.py                      build the site from content/ into site/
  python build.py ingest PAGE...       turn saved listing pages into records in content/theses/
  python build.py check                check every link, asset and anchor of the built site
  python build.py serve                preview the site on http://127.0.0.1:8000/, rebuilding on change
  python build.py bundle               build the offline profile and pack it into one zip
"""

CONFIG_EPILOG = "Settings in content/site.yaml:\n" + config_module.describe()


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--content", type=Path, default=Path("content"), metavar="DIR",
                        help="content folder with site.yaml, theses/ and pages/ (default: content)")
    parser.add_argument("-v", "--verbose", action="count", default=0, help="print every warning and each step")
    parser.add_argument("-q", "--quiet", action="store_true", help="print only errors and the summary line")
    parser.add_argument("--strict", action="store_true", help="finish, then fail (exit status 1) if there were warnings")


def _build_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", type=Path, default=Path("site"), metavar="DIR", help="output folder (default: site)")
    parser.add_argument("--profile", choices=("hosted", "preview", "offline"), default="hosted",
                        help="hosted: canonical absolute URLs from the base URL; preview: works under any "
                             "sub-path, noindex on every page; offline: relative links to files, opened from disk "
                             "(default: hosted)")
    parser.add_argument("--base-url", metavar="URL",
                        help="the site's address, overriding base_url in site.yaml: https://host/path/ for hosted, "
                             "or a path such as /pr-42/ for preview")
    parser.add_argument("--jobs", type=int, default=0, metavar="N",
                        help="worker processes for rendering (default: one per core, 1 for no workers)")


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="build.py", description=DESCRIPTION, epilog=CONFIG_EPILOG,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    build = commands.add_parser("build", help="build the site (the default command)", epilog=CONFIG_EPILOG,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    _common(build)
    _build_options(build)

    ingest = commands.add_parser("ingest", help="turn listing pages into records",
                                 description="Parse saved repository listing pages (HTML or copied text) and create "
                                             "or update one YAML record per thesis in CONTENT/theses/.")
    ingest.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="listing page files or folders of them")
    _common(ingest)
    ingest.add_argument("--dry-run", action="store_true", help="report what would change without writing anything")
    ingest.add_argument("--overwrite", action="store_true",
                        help="when the source changed a field that a person edited, take the source's value")
    ingest.add_argument("--roles", choices=("department", "first-author", "all-authors"),
                        help="role rule for contributor lists, overriding ingest.roles in site.yaml")
    ingest.add_argument("--max-size", type=float, metavar="MB",
                        help="reject listing pages larger than this many megabytes (default: ingest.max_size_mb, 20)")

    check = commands.add_parser("check", help="check the links of a built site")
    _common(check)
    check.add_argument("--out", type=Path, default=Path("site"), metavar="DIR", help="the built site (default: site)")

    serve = commands.add_parser("serve", help="preview the site locally, rebuilding on change")
    _common(serve)
    _build_options(serve)
    serve.add_argument("--bind", default="127.0.0.1", metavar="ADDRESS", help="address to listen on (default: 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8000, help="port to listen on (default: 8000; 0 picks a free one)")
    serve.add_argument("--no-watch", action="store_true", help="serve the built site without rebuilding on change")

    bundle = commands.add_parser("bundle", help="build the offline profile and pack it into one zip")
    _common(bundle)
    bundle.add_argument("--out", type=Path, default=None, metavar="DIR",
                        help="also keep the unpacked offline site in this folder (default: a temporary folder)")
    bundle.add_argument("--zip", type=Path, default=None, metavar="FILE",
                        help="the zip to write (default: dist/<site title>-offline.zip)")
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = make_parser()
    if not argv or argv[0].startswith("-") and argv[0] not in ("-h", "--help"):
        argv.insert(0, "build")
    args = parser.parse_args(argv)
    console = Console(verbosity=-1 if args.quiet else args.verbose)
    try:
        return _run(args, console)
    except KeyboardInterrupt:
        console.error("interrupted; the previous site and every record are unchanged")
        return 130


def _run(args: argparse.Namespace, console: Console) -> int:
    if args.command == "ingest":
        from .commands import run_ingest
        return run_ingest(args, console)
    if args.command == "check":
        from .commands import run_check
        return run_check(args, console)
    if args.command == "serve":
        from .commands import run_serve
        return run_serve(args, console)
    if args.command == "bundle":
        from .commands import run_bundle
        return run_bundle(args, console)
    from .commands import run_build
    return run_build(args, console)


logging.getLogger("shelfmark").addHandler(logging.NullHandler())
