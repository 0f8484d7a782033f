"""Split the CPU time of a full build by stage, by building once in one process and once as usual.

    python bench/build_profile.py --size 10000

The collection comes from bench/generate.py (cached in bench-out/, as bench/run.py makes it).
Each build runs in a fresh process into an empty folder under bench-out/profile/, with no build
cache, after the disk has settled (bench/run.py's settle_disk). Both sites are deleted only at the end:

- one process: `--jobs 1`, with the search index and the exports made in the build's own process,
  so each stage's wall-clock time is about its CPU time. The pages stage is split into rendering
  (timed over every page again, with nothing written) and writing the files;
- as usual: render workers and output children on every core, with the build's wall-clock time,
  its CPU time (user and system, children included) and its stage times.

The table gives each stage's seconds and share of the one-process build, which is where a faster
build has to save CPU time. On 2 cores the usual build cannot take less than about half the CPU
time of the stages that run beside one another.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

BENCH_OUT = ROOT / "bench-out"


def cpu_seconds() -> dict[str, float]:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {"user": own.ru_utime + children.ru_utime, "system": own.ru_stime + children.ru_stime}


def build_once(content: Path, out: Path, one_process: bool) -> dict:
    """Build in this process and return its figures; run through `--child` in a fresh process."""
    from shelfmark.builder import BuildOptions, build_site
    from shelfmark.pages import plan_pages
    from shelfmark.render import Renderer

    started, before = time.perf_counter(), cpu_seconds()
    result = build_site(BuildOptions(content, out, jobs=1 if one_process else 0, use_cache=False,
                                     outputs_in_child=not one_process))
    seconds, after = time.perf_counter() - started, cpu_seconds()
    figures = {"seconds": seconds, "user": after["user"] - before["user"], "system": after["system"] - before["system"],
               "timings": result.timings, "pages": result.pages, "files": result.files}
    if one_process:
        from shelfmark.builder import TEMPLATES, _profile, read_inputs
        config, collection = read_inputs(content)
        profile = _profile(BuildOptions(content, out), config)
        renderer = Renderer(TEMPLATES, collection, config, profile)
        rendering = time.perf_counter()
        for page in plan_pages(collection, config):
            renderer.render(page)
        figures["render"] = time.perf_counter() - rendering
    return figures


def run_child(content: Path, out: Path, one_process: bool) -> dict:
    from run import settle_disk
    out.parent.mkdir(parents=True)
    settle_disk()
    command = [sys.executable, __file__, "--child", str(content), str(out)] + (["--one-process"] if one_process else [])
    return json.loads(subprocess.run(command, check=True, capture_output=True, text=True).stdout)


def table(single: dict, usual: dict) -> str:
    timings = dict(single["timings"])
    total_cpu = single["user"] + single["system"]
    rows = [
        ("read the config and the records", timings.get("read", 0.0)),
        ("plan the pages", timings.get("plan", 0.0)),
        ("render the pages with Jinja", single["render"]),
        ("write the pages (fingerprints, files)", timings.get("pages", 0.0) - single["render"]),
        ("search index, shards and display data", timings.get("search", 0.0)),
        ("citation exports, downloads and crawl files", timings.get("exports", 0.0)),
        ("assets, folder listing, caches and the swap", timings.get("assets", 0.0) + timings.get("swap", 0.0)
         + timings.get("outputs", 0.0) - timings.get("search", 0.0) - timings.get("exports", 0.0)),
    ]
    lines = ["| stage | one process: seconds | share |", "| --- | ---: | ---: |"]
    for label, seconds in rows:
        lines.append(f"| {label} | {seconds:.2f} | {100 * seconds / single['seconds']:.0f} % |")
    lines.append(f"| the whole build: wall-clock (CPU user + system) | {single['seconds']:.2f} ({total_cpu:.1f}) | 100 % |")
    usual_cpu = usual["user"] + usual["system"]
    stages = ", ".join(f"{name} {seconds:.1f} s" for name, seconds in usual["timings"].items() if seconds >= 0.05)
    lines += ["", f"As usual, on {os.cpu_count()} cores: {usual['seconds']:.2f} s wall-clock, {usual_cpu:.1f} CPU seconds "
                  f"({usual['user']:.1f} user, {usual['system']:.1f} system); stages: {stages}."]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=10000, help="theses in the generated collection (default 10000)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--child", nargs=2, type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--one-process", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(build_once(args.child[0], args.child[1], args.one_process)))
        return 0

    from run import ensure_corpus, remove_work
    corpus, _ = ensure_corpus(args.size, args.seed, 20, BENCH_OUT)
    work = BENCH_OUT / "profile"
    # Both sites stay until the end: creating files is slower for minutes after a large tree is deleted.
    remove_work(work)
    single = run_child(corpus, work / "one-process" / "site", True)
    usual = run_child(corpus, work / "usual" / "site", False)
    remove_work(work)
    print(f"{args.size:,} theses, {single['pages']:,} pages, {single['files']:,} files")
    print(table(single, usual))
    return 0


if __name__ == "__main__":
    sys.exit(main())
