"""A local preview server that rebuilds the site when its sources change.

It binds 127.0.0.1 unless --bind names another address, serves only regular files inside the site folder (no
folder listings, no path outside it), answers a missing page with the site's 404.html, and keeps
serving the previous site while a rebuild runs or after one fails. A site built for a base path,
such as a preview under /pr-42/, is served under that path, where its 404 page's links work.
"""

from __future__ import annotations

import argparse
import http.server
import posixpath
import threading
from functools import partial
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .builder import ASSETS, TEMPLATES, BuildFailed, BuildOptions, build_site, summary_line
from .config import ConfigError, load_config
from .console import Console
from .render import TemplateProblem
from .urls import make_profile
from .writer import WriteError

POLL_SECONDS = 1.0


class SiteRequestHandler(http.server.SimpleHTTPRequestHandler):
    """Serves files of one folder; refuses folder listings and anything that resolves outside it."""

    server_version = "ShelfmarkPreview"
    sys_version = ""

    def __init__(self, *args, site: Path, prefix: str = "/", **kwargs):
        self.site = site
        self.prefix = prefix  # the path the site is served under: "/" or "/pr-42/"
        super().__init__(*args, directory=str(site), **kwargs)

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - the base class names it so
        pass

    def send_head(self):
        request = urlsplit(self.path)
        if self.prefix != "/":
            if request.path in ("", "/"):
                # 302, not 301: a browser would keep a permanent redirect for the next site served on this port.
                return self.redirect(request._replace(path=self.prefix).geturl(), 302)
            if request.path + "/" == self.prefix:
                return self.redirect(request._replace(path=self.prefix).geturl(), 301)
            if not request.path.startswith(self.prefix):
                return self.not_found()
        path = self.resolve("/" + request.path[len(self.prefix):])
        if path is None:
            return self.not_found()
        if path.is_dir():
            if not request.path.endswith("/"):
                return self.redirect(request._replace(path=request.path + "/").geturl(), 301)
            path = path / "index.html"
            if not path.is_file():
                return self.not_found()
        self.path = "/" + path.relative_to(self.site.resolve()).as_posix()
        return super().send_head()

    def resolve(self, request_path: str) -> Path | None:
        """Return the file or folder a request names, or None when it does not exist or is outside the site."""
        path = unquote(urlsplit(request_path).path)
        if "\x00" in path:
            return None
        normal = posixpath.normpath("/" + path).lstrip("/")
        root = self.site.resolve()
        candidate = (root / normal).resolve() if normal not in ("", ".") else root
        if candidate != root and root not in candidate.parents:
            return None
        if not candidate.exists():
            return None
        return candidate

    def redirect(self, location: str, status: int) -> None:
        self.send_response(status)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()
        return None

    def list_directory(self, path):  # never list a folder
        return self.not_found()

    def not_found(self):
        page = self.site / "404.html"
        body = page.read_bytes() if page.is_file() else b"<!DOCTYPE html><title>Not found</title><h1>Not found</h1>"
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)
        return None


def make_server(site: Path, bind: str = "127.0.0.1", port: int = 8000, prefix: str = "/") -> http.server.ThreadingHTTPServer:
    handler = partial(SiteRequestHandler, site=site, prefix=prefix)
    server = http.server.ThreadingHTTPServer((bind, port), handler)
    server.daemon_threads = True
    return server


def source_state(folders: list[Path]) -> tuple:
    """Return a fingerprint of every file's path, size and modification time under the folders."""
    state = []
    for folder in folders:
        if folder.is_dir():
            for path in sorted(folder.rglob("*")):
                if path.is_file():
                    stat = path.stat()
                    state.append((str(path), stat.st_size, stat.st_mtime_ns))
    return tuple(state)


def _rebuild(options: BuildOptions, console: Console) -> None:
    try:
        result = build_site(options)
    except BuildFailed as error:
        for problem in error.problems:
            console.error(problem)
        console.out("Rebuild failed; still serving the previous site")
    except (TemplateProblem, WriteError) as error:
        console.error(str(error))
        console.out("Rebuild failed; still serving the previous site")
    else:
        console.out(summary_line(result, len(result.warnings)))


def _watch(options: BuildOptions, console: Console, stop: threading.Event) -> None:
    folders = [options.content, options.templates, options.assets]
    state = source_state(folders)
    while not stop.wait(POLL_SECONDS):
        current = source_state(folders)
        if current != state:
            state = current
            console.out("Change detected; rebuilding")
            _rebuild(options, console)


def deploy_path(args: argparse.Namespace) -> str:
    """Return the path the build places the site under, from --profile, --base-url and site.yaml, or "/" when unknown."""
    try:
        config = load_config(args.content / "site.yaml")
        return make_profile(args.profile, config["base_url"], args.base_url).deploy_path
    except (ConfigError, ValueError):
        return "/"  # the build reports the problem


def serving_message(args: argparse.Namespace, host: str, port: int, prefix: str = "/") -> str:
    """Return the start line: where the site is served and, when watching, which folders trigger a rebuild."""
    message = f"Serving {args.out}/ at http://{host}:{port}{prefix} (Ctrl+C to stop)"
    if args.no_watch:
        return message
    return f"{message}; rebuilding when {args.content}/, templates/ or assets/ change"


def run_serve(args: argparse.Namespace, console: Console) -> int:
    options = BuildOptions(args.content, args.out, args.profile, args.base_url, getattr(args, "jobs", 0), TEMPLATES, ASSETS)
    _rebuild(options, console)
    if not (args.out / "index.html").is_file():
        console.summary("Nothing to serve: the build failed and there is no previous site")
        return 1
    prefix = deploy_path(args)
    try:
        server = make_server(args.out, args.bind, args.port, prefix)
    except OSError as error:
        console.error(f"cannot listen on {args.bind}:{args.port}: {error.strerror}; choose another --port")
        return 1
    host, port = server.server_address[:2]
    console.summary(serving_message(args, host, port, prefix))
    stop = threading.Event()
    if not args.no_watch:
        threading.Thread(target=_watch, args=(options, console, stop), daemon=True).start()
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        stop.set()
        server.server_close()
    return 0

