"""Outputs other than pages (search index, citation exports, feed and crawl files), made beside the pages.

For a large collection each module runs in a forked child process while the render workers run,
so all cores stay busy. A child writes its files into the staging folder itself, then sends back
their paths, sizes, stage timings and log records. A small collection makes them in the build's
own process, through the same code.
"""

from __future__ import annotations

import filecmp
import gc
import importlib
import inspect
import logging
import multiprocessing
import pickle
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO, Callable, Iterator

from .cache import CACHE_VERSION
from .collection import Collection
from .config import Config
from .urls import Profile
from .textio import write_atomic_with
from .writer import SiteWriter, check_output_path, fresh_file, link_previous, store_file

MODULES = ("search", "exports")
CHILD_THRESHOLD = 500  # theses; below this a child process costs more than it saves


@dataclass(frozen=True)
class Reusable:
    """Output files that depend only on what `key` digests: reused from the previous site when the key is unchanged."""

    key: str
    paths: tuple[str, ...]
    make: Callable[[], list[tuple[str, bytes]]]


@dataclass
class OutputsResult:
    files: list[tuple[str, bool, int]] = field(default_factory=list)  # (path, unchanged, bytes written)
    seconds: dict[str, float] = field(default_factory=dict)
    logs: list[tuple[str, int, str]] = field(default_factory=list)  # (logger name, level, message) from a child
    fingerprints: dict[str, str] = field(default_factory=dict)  # path -> key of each Reusable output


def _modules() -> list[tuple[str, Any]]:
    found = []
    for name in MODULES:
        try:
            found.append((name, importlib.import_module(f"shelfmark.{name}")))
        except ModuleNotFoundError as error:
            if error.name != f"shelfmark.{name}":
                raise
    return found


class OutputSink:
    """Where output modules put their files: into the staging folder, reusing what did not change."""

    def __init__(self, writer: SiteWriter, previous: dict[str, str], result: OutputsResult):
        self.writer = writer
        self.previous = previous
        self.result = result

    def file(self, path: str, data: bytes) -> None:
        path = check_output_path(path)
        unchanged = store_file(self.writer.staging, self.writer.out, path, data)
        self.result.files.append((path, unchanged, 0 if unchanged else len(data)))

    def reusable(self, output: Reusable) -> None:
        """Hard-link the group's files when its key matches the previous build's, otherwise make them."""
        paths = [check_output_path(path) for path in output.paths]
        staging, out = self.writer.staging, self.writer.out
        if all(self.previous.get(path) == output.key for path in paths) \
                and all(link_previous(staging, out, path) for path in paths):
            self.result.files.extend((path, True, 0) for path in paths)
        else:
            for path, data in output.make():
                self.file(path, data)
        self.result.fingerprints.update((path, output.key) for path in paths)

    @contextmanager
    def stream(self, path: str) -> Iterator[BinaryIO]:
        """A file written piece by piece, for outputs too large to hold in memory; unchanged ones become hard links."""
        path = check_output_path(path)
        target = self.writer.staging / path
        fresh_file(target)
        with open(target, "wb") as stream:
            yield stream
            size = stream.tell()
        previous = self.writer.out / path
        unchanged = previous.is_file() and filecmp.cmp(previous, target, shallow=False)
        if unchanged and not link_previous(self.writer.staging, self.writer.out, path):
            unchanged = False  # no hard links here: the new copy stays
        self.result.files.append((path, unchanged, 0 if unchanged else size))


def make_outputs(collection: Collection, config: Config, profile: Profile, writer: SiteWriter,
                 previous: dict[str, str], cache_folder: Path | None, names: tuple[str, ...] = MODULES,
                 unsaved: list["ModuleCache"] | None = None) -> OutputsResult:
    """Make every output of the named modules, writing it into the staging folder.

    A module either defines write_outputs(collection, config, profile, sink), which puts files
    through an OutputSink, or files(collection, config, profile), which yields (path, bytes) and
    Reusable groups. Either one that takes a `cache` argument gets a dictionary it may keep data
    in between builds; it is read from and saved to `cache_folder` by the process that runs the
    module, so a large cache never passes through the build's main process. Given an `unsaved`
    list, the caches are put there for the caller to save, instead of being saved here.
    """
    result = OutputsResult()
    sink = OutputSink(writer, previous, result)
    for name, module in _modules():
        if name not in names:
            continue
        started = time.perf_counter()
        function = getattr(module, "write_outputs", None) or module.files
        arguments: dict[str, Any] = {}
        cache = ModuleCache(cache_folder, name) if "cache" in inspect.signature(function).parameters else None
        if cache is not None:
            arguments["cache"] = cache.data
        if hasattr(module, "write_outputs"):
            function(collection, config, profile, sink, **arguments)
        else:
            for output in module.files(collection, config, profile, **arguments):
                if isinstance(output, Reusable):
                    sink.reusable(output)
                else:
                    sink.file(*output)
        if cache is not None:
            if unsaved is None:
                cache.save()
            else:
                unsaved.append(cache)
        result.seconds[name] = time.perf_counter() - started
    return result


class ModuleCache:
    """What one output module keeps between builds, in <cache folder>/<module>.pickle.

    It may be saved before or after the new site is swapped in, or for a build that then fails: a
    module must only trust data whose inputs it checks again, as the exports check the previous
    downloads' sizes and times.
    """

    def __init__(self, folder: Path | None, name: str):
        self.path = folder / f"{name}.pickle" if folder is not None else None
        self.data: dict[str, Any] = {}
        if self.path is not None:
            try:
                with open(self.path, "rb") as stream:
                    version, data = pickle.load(stream)
            except (OSError, pickle.UnpicklingError, EOFError, ValueError, TypeError, AttributeError, ImportError):
                return
            if version == CACHE_VERSION and isinstance(data, dict):
                self.data = data

    def save(self) -> None:
        if self.path is not None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            # Pickled straight into the file: the pickle of a large collection's search cache is
            # hundreds of megabytes, which a bytes object would add to the peak memory.
            write_atomic_with(self.path, lambda stream: pickle.dump((CACHE_VERSION, self.data), stream, protocol=5))


class _Capture(logging.Handler):
    def __init__(self, records: list[tuple[str, int, str]]):
        super().__init__(logging.DEBUG)
        self.records = records

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append((record.name, record.levelno, record.getMessage()))


def _child(connection, *arguments: Any) -> None:
    # A short-lived process that builds many small objects and no reference cycles worth collecting.
    gc.disable()
    logs: list[tuple[str, int, str]] = []
    logger = logging.getLogger("shelfmark")
    logger.handlers = [_Capture(logs)]
    unsaved: list[ModuleCache] = []
    try:
        result = make_outputs(*arguments, unsaved)
        result.logs = logs
        connection.send(("ok", result))
    except BaseException as error:  # every failure goes back to the build, which reports it
        connection.send(("error", error))
        return
    finally:
        connection.close()
    # The build goes on to swap the site in while the cache is written: it is not on the critical path.
    for cache in unsaved:
        try:
            cache.save()
        except OSError:
            pass  # the cache only saves work: the next build redoes what it cannot take from it


class OutputsJob:
    """Makes the outputs, one child process per module when `parallel`, otherwise when finish() is called."""

    def __init__(self, collection: Collection, config: Config, profile: Profile, writer: SiteWriter,
                 previous: dict[str, str], cache_folder: Path | None, parallel: bool):
        self.arguments = (collection, config, profile, writer, previous, cache_folder)
        self.children: list[tuple[Any, Any]] = []  # (process, connection)
        self.answered: set[int] = set()  # indexes of the children that sent their result
        if parallel:
            context = multiprocessing.get_context("fork")
            for name in MODULES:
                connection, child_end = context.Pipe(duplex=False)
                process = context.Process(target=_child, args=(child_end, *self.arguments, (name,)), daemon=True)
                process.start()
                child_end.close()
                self.children.append((process, connection))

    def finish(self) -> OutputsResult:
        """Wait for the outputs; re-raise a child's error, and replay the children's log records here."""
        if not self.children:
            return make_outputs(*self.arguments)
        total = OutputsResult()
        failure: BaseException | None = None
        for number, (process, connection) in enumerate(self.children):
            try:
                status, payload = connection.recv()
                self.answered.add(number)
            except EOFError:
                process.join()
                status, payload = "error", RuntimeError(
                    f"the process making the search index or the exports ended with status {process.exitcode}")
            if status == "error":
                failure = failure or payload
                continue
            for name, level, message in payload.logs:
                logging.getLogger(name).log(level, "%s", message)
            total.files.extend(payload.files)
            total.seconds.update(payload.seconds)
            total.fingerprints.update(payload.fingerprints)
        if failure is not None:
            raise failure
        return total

    def close(self) -> None:
        """Wait for the children that sent their result (they may still be saving a cache); stop the others."""
        for number, (process, _) in enumerate(self.children):
            if number not in self.answered and process.is_alive():
                process.terminate()
            process.join()
