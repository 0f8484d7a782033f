"""Terminal output: warnings with repeats folded, a progress bar on interactive terminals, the summary line."""

from __future__ import annotations

import logging
import sys
import time
from collections import Counter
from typing import TextIO

FOLD_AFTER = 5  # warnings of one kind shown before the rest are folded into a count


class _CountingHandler(logging.Handler):
    def __init__(self, console: "Console"):
        super().__init__(logging.DEBUG)
        self.console = console

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if record.levelno >= logging.ERROR:
            self.console.error(message)
        elif record.levelno >= logging.WARNING:
            self.console.warning(message, kind=getattr(record, "kind", None))
        elif record.levelno >= logging.INFO:
            self.console.out(message)
        else:
            self.console.info(message)


class Console:
    """Prints to stderr what the user should see; counts warnings for --strict."""

    def __init__(self, verbosity: int = 0, stream: TextIO | None = None):
        self.verbosity = verbosity  # -1 quiet, 0 normal, 1+ verbose
        self._stream = stream
        self.warnings = 0
        self.errors = 0
        self._kinds: Counter[str] = Counter()
        self._progress_shown = False
        self._last_draw = 0.0
        self.interactive = self.stream.isatty()
        handler = _CountingHandler(self)
        logger = logging.getLogger("shelfmark")
        logger.handlers = [h for h in logger.handlers if not isinstance(h, _CountingHandler)]
        logger.addHandler(handler)
        logger.setLevel(logging.DEBUG if verbosity > 0 else logging.INFO)
        logger.propagate = False

    @property
    def stream(self) -> TextIO:
        """The given stream, or sys.stderr as it is now: the logging handler outlives the command that made it."""
        return self._stream or sys.stderr

    def _print(self, text: str) -> None:
        self._clear_progress()
        print(text, file=self.stream)

    def error(self, message: str) -> None:
        self.errors += 1
        self._print(f"error: {message}")

    def warning(self, message: str, kind: str | None = None) -> None:
        self.warnings += 1
        kind = kind or message.split(":", 1)[0]
        self._kinds[kind] += 1
        if self.verbosity < 0:
            return
        if self.verbosity == 0 and self._kinds[kind] > FOLD_AFTER:
            return
        self._print(f"warning: {message}")

    def info(self, message: str) -> None:
        if self.verbosity > 0:
            self._print(message)

    def out(self, message: str) -> None:
        """A line of a report: shown unless --quiet."""
        if self.verbosity >= 0:
            self._clear_progress()
            print(message, flush=True)

    def summary(self, message: str) -> None:
        """The one line that closes a command: always shown, on stdout."""
        self._clear_progress()
        self.fold_report()
        print(message, flush=True)

    def fold_report(self) -> None:
        if self.verbosity != 0:
            return
        for kind, count in sorted(self._kinds.items()):
            if count > FOLD_AFTER:
                self._print(f"warning: ... and {count - FOLD_AFTER} more like {kind!r} (use -v to see all)")
        self._kinds.clear()

    def progress(self, done: int, total: int, label: str) -> None:
        """Draw a progress bar, at most ten times a second, only on an interactive terminal."""
        if not self.interactive or self.verbosity < 0 or total <= 0:
            return
        now = time.monotonic()
        if done < total and now - self._last_draw < 0.1:
            return
        self._last_draw = now
        width = 30
        filled = int(width * done / total)
        bar = "#" * filled + "-" * (width - filled)
        self.stream.write(f"\r[{bar}] {done}/{total} {label[:40]:<40}")
        self.stream.flush()
        self._progress_shown = True

    def _clear_progress(self) -> None:
        if self._progress_shown:
            self.stream.write("\r" + " " * 90 + "\r")
            self.stream.flush()
            self._progress_shown = False
