"""The build: read and validate everything, plan the pages, render, write, swap in."""

from __future__ import annotations

import argparse
import gc
import logging
import shlex
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

from . import assets as assets_module
from .collection import Collection, ContentError, load_collection
from .config import Config, ConfigError, load_config
from .cache import BuildCache, cache_folder, digest_tree, fingerprint
from .console import Console
from .outputs import CHILD_THRESHOLD, OutputsJob, OutputsResult
from .pages import path_clashes, plan_pages
from .render import Renderer, TemplateProblem
from .urls import Profile, make_profile
from .workers import default_jobs, render_pages
from .writer import BuildLock, SiteWriter, WriteError, recover_interrupted_swap

log = logging.getLogger(__name__)

PROJECT_ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = PROJECT_ROOT / "templates"
ASSETS = PROJECT_ROOT / "assets"


class BuildFailed(Exception):
    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass
class BuildResult:
    out: Path
    profile: Profile
    theses: int
    thesis_pages: int
    pages: int
    files: int
    written: int
    unchanged: int
    seconds: float
    warnings: list[str]
    timings: dict[str, float] = field(default_factory=dict)


@dataclass
class BuildOptions:
    content: Path
    out: Path
    profile: str = "hosted"
    base_url: str | None = None
    jobs: int = 0  # render workers; 0 means one per core
    templates: Path = TEMPLATES
    assets: Path = ASSETS
    use_cache: bool = True
    outputs_in_child: bool | None = None  # search index and exports in child processes; None: for large collections


def build_site(options: BuildOptions, progress: Callable[[int, int, str], None] | None = None) -> BuildResult:
    """Build the site into options.out; on any failure the previous site stays as it was."""
    started = time.perf_counter()
    timings = Timings()

    cache = BuildCache(cache_folder(options.out) if options.use_cache else None)
    with timings.stage("read"):
        # Reading makes millions of small objects and no reference cycles worth collecting: the cyclic
        # collector's passes over them took a fifth of the stage for 10,000 records.
        gc.disable()
        try:
            config, collection = read_inputs(options.content, cache)
        finally:
            gc.enable()
        profile = _profile(options, config)
        # The records live until the build ends: keep the garbage collector from scanning them again
        # and again (it cost seconds for 10,000 records), and from touching them in forked workers,
        # which would copy the shared memory.
        gc.freeze()
    with timings.stage("plan"):
        pages = plan_pages(collection, config)
        clashes = path_clashes(pages)
        if clashes:
            raise BuildFailed(clashes)
        renderer = Renderer(options.templates, collection, config, profile)

    with BuildLock(options.out):
        recovered = recover_interrupted_swap(options.out)
        if recovered:
            log.warning("%s: restored the previous site left by an interrupted build", options.out)
        with SiteWriter(options.out) as writer:
            jobs = options.jobs or default_jobs()
            for thesis in collection.theses:
                thesis.fingerprint_data()  # once here, before the forks, rather than once per process
            in_child = options.outputs_in_child
            if in_child is None:
                in_child = jobs > 1 and len(collection.theses) >= CHILD_THRESHOLD
            outputs = OutputsJob(collection, config, profile, writer, cache.pages, cache.folder, parallel=in_child)
            try:
                with timings.stage("pages"):
                    shared = fingerprint(digest_tree(options.templates), config.values, profile, renderer.menu,
                                         collection.scopes)
                    rendered = render_pages(renderer, pages, writer, cache.pages, shared, jobs, progress)
                with timings.stage("assets"):
                    writer.write_all(assets_module.files(options.assets))
                with timings.stage("outputs"):
                    # While the output children finish: work the swap and the next build would wait for.
                    cache.save_records()
                    writer.scan()
                    made = outputs.finish()
                _count_outputs(writer, made, timings)
                with timings.stage("swap"):
                    writer.commit()
                # While the output children save their own caches.
                cache.save({**rendered.fingerprints, **made.fingerprints})
            finally:
                outputs.close()

    thesis_pages = sum(1 for page in pages if page.kind == "thesis")
    return BuildResult(options.out, profile, len(collection.theses), thesis_pages, len(pages), len(writer.stats.paths),
                       writer.stats.written, writer.stats.unchanged, time.perf_counter() - started,
                       collection.warnings, timings.seconds)


class Timings:
    """Wall-clock seconds per build stage, for the summary in -v mode and the benchmark."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        started = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[name] = self.seconds.get(name, 0.0) + time.perf_counter() - started


def read_inputs(content: Path, cache: BuildCache | None = None) -> tuple[Config, Collection]:
    """Read and validate the config and the content; raise BuildFailed listing every problem."""
    problems: list[str] = []
    config: Config | None = None
    collection: Collection | None = None
    try:
        config = load_config(content / "site.yaml")
    except ConfigError as error:
        problems.extend(error.problems)
    try:
        collection = load_collection(content, cache)
    except ContentError as error:
        problems.extend(error.problems)
    if problems or config is None or collection is None:
        raise BuildFailed(problems)
    return config, collection


def _profile(options: BuildOptions, config: Config) -> Profile:
    try:
        return make_profile(options.profile, config["base_url"], options.base_url)
    except ValueError as error:
        raise BuildFailed([str(error)]) from error


def _count_outputs(writer: SiteWriter, made: OutputsResult, timings: Timings) -> None:
    """Claim the search and export files in the writer (two outputs on one path is an error) and add their timings."""
    writer.reserve(path for path, _, _ in made.files)
    for _, unchanged, size in made.files:
        writer.count(unchanged, size)
    for name, seconds in made.seconds.items():
        timings.seconds[name] = seconds


# --- the command --------------------------------------------------------------------------------


def run_build(args: argparse.Namespace, console: Console) -> int:
    options = BuildOptions(args.content, args.out, args.profile, args.base_url, getattr(args, "jobs", 0))
    try:
        result = build_site(options, progress=console.progress)
    except BuildFailed as error:
        for problem in error.problems:
            console.error(problem)
        count = len(error.problems)
        console.summary(f"Build failed: {count} problem{'s' if count != 1 else ''}; {options.out}/ was left as it was")
        return 1
    except (TemplateProblem, WriteError) as error:
        console.error(str(error))
        console.summary(f"Build failed; {options.out}/ was left as it was")
        return 1
    except OSError as error:
        console.error(f"{error.filename or options.out}: {error.strerror or error}")
        console.summary(f"Build failed; {options.out}/ was left as it was")
        return 1
    for warning in result.warnings:
        console.warning(warning)
    if console.verbosity > 0:
        console.info("Stages: " + ", ".join(f"{name} {seconds:.2f} s" for name, seconds in result.timings.items()))
    console.summary(summary_line(result, console.warnings))
    if console.verbosity >= 0:
        console.out(how_to_open(result, serve_command(args)))
    return 0


def summary_line(result: BuildResult, warnings: int) -> str:
    return (f"Built {result.out}/ ({result.profile.name}): {result.theses} records loaded = {result.thesis_pages} thesis pages, "
            f"{result.pages} pages in all, {result.files} files ({result.written} written, {result.unchanged} unchanged), "
            f"{warnings} warning{'s' if warnings != 1 else ''}, {result.seconds:.1f} s")


def how_to_open(result: BuildResult, serve: str) -> str:
    index = result.out.resolve() / "index.html"
    if result.profile.offline:
        return f"Open {index} in a browser; no server is needed."
    return (f"Preview it with `{serve}` (http://127.0.0.1:8000{result.profile.deploy_path}), or build with "
            f"--profile offline to open {index} straight from disk.")


def serve_command(args: argparse.Namespace) -> str:
    """Spell out the serve command for the site just built, with the build's options that differ from the defaults."""
    try:
        # A virtual environment in the project, such as .venv/bin/python, is named by its path.
        interpreter = str(Path(sys.executable).relative_to(Path.cwd()))
    except ValueError:
        interpreter = "python"
    words = [interpreter, "build.py", "serve"]
    if args.content != Path("content"):
        words += ["--content", str(args.content)]
    if args.out != Path("site"):
        words += ["--out", str(args.out)]
    if args.profile != "hosted":
        words += ["--profile", args.profile]
    if args.base_url:
        words += ["--base-url", args.base_url]
    return shlex.join(words)
