"""Outputs other than pages (search index, citation exports, feed and crawl files), made beside the pages.

For a large collection they are made in a forked child process while the render workers run, so
all cores stay busy: the child writes its files into the staging folder itself and sends back
their paths, sizes, stage timings and log records. A small collection makes them in the build's
own process, through the same code.
"""

from __future__ import annotations

import importlib
import logging
import multiprocessing
import time
from dataclasses import dataclass, field
from typing import Any

from .collection import Collection
from .config import Config
from .urls import Profile
from .writer import SiteWriter, check_output_path, store_file

MODULES = ("search", "exports")
CHILD_THRESHOLD = 500  # theses; below this a child process costs more than it saves


@dataclass
class OutputsResult:
    files: list[tuple[str, bool, int]] = field(default_factory=list)  # (path, unchanged, bytes written)
    seconds: dict[str, float] = field(default_factory=dict)
    logs: list[tuple[str, int, str]] = field(default_factory=list)  # (logger name, level, message) from a child


def _modules() -> list[tuple[str, Any]]:
    found = []
    for name in MODULES:
        try:
            found.append((name, importlib.import_module(f"shelfmark.{name}")))
        except ModuleNotFoundError as error:
            if error.name != f"shelfmark.{name}":
                raise
    return found


def make_outputs(collection: Collection, config: Config, profile: Profile, writer: SiteWriter) -> OutputsResult:
    """Make every output of every module, writing it into the staging folder."""
    result = OutputsResult()
    for name, module in _modules():
        started = time.perf_counter()
        for path, data in module.files(collection, config, profile):
            path = check_output_path(path)
            unchanged = store_file(writer.staging, writer.out, path, data)
            result.files.append((path, unchanged, 0 if unchanged else len(data)))
        result.seconds[name] = time.perf_counter() - started
    return result


class _Capture(logging.Handler):
    def __init__(self, records: list[tuple[str, int, str]]):
        super().__init__(logging.DEBUG)
        self.records = records

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append((record.name, record.levelno, record.getMessage()))


def _child(connection, collection: Collection, config: Config, profile: Profile, writer: SiteWriter) -> None:
    logs: list[tuple[str, int, str]] = []
    logger = logging.getLogger("shelfmark")
    logger.handlers = [_Capture(logs)]
    try:
        result = make_outputs(collection, config, profile, writer)
        result.logs = logs
        connection.send(("ok", result))
    except BaseException as error:  # every failure goes back to the build, which reports it
        connection.send(("error", error))
    finally:
        connection.close()


class OutputsJob:
    """Makes the outputs in a child process when `parallel`, otherwise when finish() is called."""

    def __init__(self, collection: Collection, config: Config, profile: Profile, writer: SiteWriter, parallel: bool):
        self.arguments = (collection, config, profile, writer)
        self.process = None
        self.connection = None
        if parallel:
            context = multiprocessing.get_context("fork")
            self.connection, child_end = context.Pipe(duplex=False)
            self.process = context.Process(target=_child, args=(child_end, *self.arguments), daemon=True)
            self.process.start()
            child_end.close()

    def finish(self) -> OutputsResult:
        """Wait for the outputs; re-raise the child's error, and replay its log records here."""
        if self.process is None:
            return make_outputs(*self.arguments)
        try:
            status, payload = self.connection.recv()
        except EOFError:
            self.process.join()
            raise RuntimeError(f"the process making the search index and exports ended with status {self.process.exitcode}") from None
        self.process.join()
        if status == "error":
            raise payload
        for name, level, message in payload.logs:
            logging.getLogger(name).log(level, "%s", message)
        return payload

    def cancel(self) -> None:
        if self.process is not None and self.process.is_alive():
            self.process.terminate()
            self.process.join()
