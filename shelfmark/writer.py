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
import subprocess
import time
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
    """Collects output files into a staging folder, then swaps it in for the output folder.

    The previous site is kept aside after the swap and deleted by the next build, in a child
    process that runs while that build renders, because deleting tens of thousands of files is slow on
    some file systems. Unchanged files are hard links, so the kept copy costs little space.
    """

    def __init__(self, out: Path):
        self.out = out
        self.staging = out.parent / f".{out.name}.staging-{os.getpid()}"
        self.stats = WriteStats()
        self._cleaner: subprocess.Popen | None = None

    def __enter__(self) -> "SiteWriter":
        # Under the build lock, other staging folders and retired sites are left from earlier builds.
        leftovers = sorted(self.out.parent.glob(f".{self.out.name}.staging-*"))
        leftovers += sorted(self.out.parent.glob(f".{self.out.name}.old-*"))
        if leftovers:
            # A child process rather than a thread, so that forking render workers stays safe.
            self._cleaner = subprocess.Popen(["rm", "-rf", "--", *map(str, leftovers)],
                                             stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL)
        self.staging = self.out.parent / f".{self.out.name}.staging-{os.getpid()}-{time.monotonic_ns()}"
        self.staging.mkdir(parents=True)
        return self

    def __exit__(self, exc_type, *exc: object) -> None:
        if exc_type is not None and self.staging.exists():
            shutil.rmtree(self.staging, ignore_errors=True)
        if self._cleaner is not None:
            self._cleaner.wait()

    def reserve(self, paths: Iterable[str]) -> None:
        """Claim output paths before writing them from several processes; reject duplicates and unsafe paths."""
        for path in paths:
            path = check_output_path(path)
            if path in self.stats.paths:
                raise WriteError(f"two outputs claim the same path {path!r}; rename one of the records or pages")
            self.stats.paths.add(path)

    def write(self, path: str, data: bytes) -> None:
        self.reserve([path])
        self.count(store_file(self.staging, self.out, path, data), len(data))

    def count(self, unchanged: bool, size: int) -> None:
        if unchanged:
            self.stats.unchanged += 1
        else:
            self.stats.written += 1
            self.stats.bytes += size

    def write_all(self, files: Iterable[tuple[str, bytes]]) -> None:
        for path, data in files:
            self.write(path, data)

    def commit(self) -> None:
        """Swap the staging folder in for the output folder."""
        retired = self.out.parent / f".{self.out.name}.old-{os.getpid()}-{time.monotonic_ns()}"
        if self.out.exists():
            if not self.out.is_dir():
                raise WriteError(f"{self.out} exists and is not a folder; move it away")
            os.rename(self.out, retired)
        os.rename(self.staging, self.out)


def store_file(staging: Path, out: Path, path: str, data: bytes) -> bool:
    """Write one output file into the staging folder; return True when it was unchanged and hard-linked."""
    target = staging / path
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        if _same_bytes(out / path, data) and link_previous(staging, out, path):
            return True
        with open(target, "wb") as stream:
            stream.write(data)
    except OSError as error:
        # A full disk or a permission problem: report a failed build, not a crash.
        raise WriteError(f"could not write {out / path}: {error.strerror or error}") from error
    return False


def link_previous(staging: Path, out: Path, path: str) -> bool:
    """Hard-link the previous site's file into the staging folder; False when that is not possible."""
    target = staging / path
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        os.link(out / path, target)
    except OSError:
        return False
    return True


def _same_bytes(path: Path, data: bytes) -> bool:
    try:
        if path.stat().st_size != len(data):
            return False
        return path.read_bytes() == data
    except OSError:
        return False


def recover_interrupted_swap(out: Path) -> Path | None:
    """Put the previous site back if a build died between the two renames of the swap; return the folder restored.

    The newest retired folder is the previous site (a rename updates its change time). Older
    ones are deleted by the next SiteWriter. Call this under the build lock.
    """
    if out.exists():
        return None
    retired = sorted(out.parent.glob(f".{out.name}.old-*"), key=lambda folder: folder.stat().st_ctime_ns)
    if not retired:
        return None
    os.rename(retired[-1], out)
    return retired[-1]
