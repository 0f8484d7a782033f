"""Writing the site safely: built aside, swapped in whole, one build at a time.

The new site is written into a staging folder beside the output folder. Only when every file is
written is the old folder renamed away and the staging folder renamed into its place, so a build
that fails at any point leaves the previous site as it was. Files whose bytes did not change are
hard-linked from the previous site instead of written again.
"""

from __future__ import annotations

import errno
import fcntl
import os
import posixpath
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable


class WriteError(Exception):
    pass


class BuildLocked(WriteError):
    pass


def check_output_path(path: str) -> str:
    """Reject any output path that could leave the output folder; return it normalised."""
    if not path or path.startswith("/") or "\\" in path or "\x00" in path:
        raise WriteError(f"refusing to write {path!r}: output paths must be relative")
    normal = posixpath.normpath(path)
    if normal.startswith("../") or normal == ".." or normal != path:
        raise WriteError(f"refusing to write {path!r}: it would leave the output folder")
    return normal


class BuildLock:
    """An exclusive lock on the output folder, held for the whole build."""

    def __init__(self, out: Path):
        self.path = out.parent / f".{out.name}.lock"
        self.handle = None

    def __enter__(self) -> "BuildLock":
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.handle = open(self.path, "a+")
        try:
            fcntl.flock(self.handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as error:
            self.handle.close()
            if error.errno in (errno.EAGAIN, errno.EACCES):
                raise BuildLocked(f"another build is writing {self.path.parent / self.path.name[1:-5]} "
                                  f"(lock file {self.path}); wait for it to finish and try again") from error
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        assert self.handle is not None
        fcntl.flock(self.handle.fileno(), fcntl.LOCK_UN)
        self.handle.close()


@dataclass
class WriteStats:
    written: int = 0
    unchanged: int = 0
    bytes: int = 0
    paths: set[str] = field(default_factory=set)


class SiteWriter:
    """Collects output files into a staging folder, then swaps it in for the output folder."""

    def __init__(self, out: Path):
        self.out = out
        self.staging = out.parent / f".{out.name}.staging-{os.getpid()}"
        self.stats = WriteStats()
        self._made_dirs: set[str] = set()

    def __enter__(self) -> "SiteWriter":
        # Under the build lock, any other staging folder is left over from a killed build.
        for stale in self.out.parent.glob(f".{self.out.name}.staging-*"):
            shutil.rmtree(stale, ignore_errors=True)
        self.staging.mkdir(parents=True)
        return self

    def __exit__(self, exc_type, *exc: object) -> None:
        if exc_type is not None and self.staging.exists():
            shutil.rmtree(self.staging, ignore_errors=True)

    def write(self, path: str, data: bytes) -> None:
        path = check_output_path(path)
        if path in self.stats.paths:
            raise WriteError(f"two outputs claim the same path {path!r}; rename one of the records or pages")
        self.stats.paths.add(path)
        target = self.staging / path
        folder = posixpath.dirname(path)
        if folder not in self._made_dirs:
            target.parent.mkdir(parents=True, exist_ok=True)
            self._made_dirs.add(folder)
        previous = self.out / path
        if _same_bytes(previous, data):
            try:
                os.link(previous, target)
            except OSError:
                pass  # no hard links on this file system: write a copy below
            else:
                self.stats.unchanged += 1
                return
        with open(target, "wb") as stream:
            stream.write(data)
        self.stats.written += 1
        self.stats.bytes += len(data)

    def write_all(self, files: Iterable[tuple[str, bytes]]) -> None:
        for path, data in files:
            self.write(path, data)

    def commit(self) -> None:
        """Swap the staging folder in for the output folder."""
        retired = self.out.parent / f".{self.out.name}.old-{os.getpid()}"
        if self.out.exists():
            if not self.out.is_dir():
                raise WriteError(f"{self.out} exists and is not a folder; move it away")
            os.rename(self.out, retired)
        os.rename(self.staging, self.out)
        if retired.exists():
            shutil.rmtree(retired, ignore_errors=True)


def _same_bytes(path: Path, data: bytes) -> bool:
    try:
        if path.stat().st_size != len(data):
            return False
        return path.read_bytes() == data
    except OSError:
        return False


def recover_interrupted_swap(out: Path) -> Path | None:
    """If a build died between the two renames of the swap, put the previous site back."""
    if out.exists():
        return None
    retired = sorted(out.parent.glob(f".{out.name}.old-*"))
    if retired:
        os.rename(retired[-1], out)
        return retired[-1]
    return None
