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

    The staging folder starts as the site retired by the build before, kept beside the output
    folder after its swap, and is brought up to date in place: files are replaced by renaming a
    new file over them, never written into, because they may be hard links to the live site's
    files. Then only what changed costs a file operation, and no build has to delete a whole
    site, which is slow on file systems that discard freed blocks as they go.
    """

    def __init__(self, out: Path):
        self.out = out
        self.staging = out.parent / f".{out.name}.staging-{os.getpid()}-{time.monotonic_ns()}"
        self.stats = WriteStats()
        self._scanned: tuple[list[str], list[str]] | None = None  # (files, folders) of the staging folder
        self._started_empty = False  # so it contains only what this build wrote

    def __enter__(self) -> "SiteWriter":
        # Under the build lock, retired sites and staging folders are left from earlier builds.
        leftovers = list(self.out.parent.glob(f".{self.out.name}.old-*"))
        leftovers += self.out.parent.glob(f".{self.out.name}.staging-*")
        leftovers.sort(key=lambda folder: folder.stat().st_ctime_ns)
        for stale in leftovers[:-1]:
            shutil.rmtree(stale, ignore_errors=True)
        if leftovers and leftovers[-1].is_dir():
            os.rename(leftovers[-1], self.staging)
        else:
            self.staging.mkdir(parents=True)
            self._started_empty = True
        return self

    def __exit__(self, exc_type, *exc: object) -> None:
        if exc_type is not None and self.staging.exists():
            # Kept, under a retired site's name, as the starting point of the next build.
            os.rename(self.staging, self.out.parent / f".{self.out.name}.old-{os.getpid()}-{time.monotonic_ns()}")

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

    def scan(self) -> None:
        """List the staging folder ahead of commit(), which then removes what is extra without walking the tree.

        Call it once every file the build writes itself is in place. Files written after it must
        all be outputs the build claims, as the search index and exports made in child processes are.
        """
        if self._started_empty:
            return
        files: list[str] = []
        folders: list[str] = []
        try:
            _scan(str(self.staging), "", files, folders)
        except OSError:
            return  # commit() walks the tree instead
        self._scanned = files, folders

    def commit(self) -> None:
        """Remove what this build did not write from the staging folder, then swap it in for the output folder."""
        if self._scanned is not None:
            _remove_listed_extras(self.staging, self.stats.paths, *self._scanned)
        elif not self._started_empty:
            remove_extra_files(self.staging, self.stats.paths)
        retired = self.out.parent / f".{self.out.name}.old-{os.getpid()}-{time.monotonic_ns()}"
        if self.out.exists():
            if not self.out.is_dir():
                raise WriteError(f"{self.out} exists and is not a folder; move it away")
            os.rename(self.out, retired)
        os.rename(self.staging, self.out)


def remove_extra_files(folder: Path, keep: set[str]) -> None:
    """Delete every file under `folder` whose relative path is not in `keep`, then the folders left empty."""
    _remove_extra(str(folder), "", keep)


def _remove_extra(folder: str, prefix: str, keep: set[str]) -> bool:
    """Clean one folder, `prefix` being its path relative to the top, and return True when it is left empty.

    os.scandir gives each entry's type without a stat call. Over a site of 25,000 folders this took
    about half the time of os.walk with a listdir per folder.
    """
    empty = True
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                if _remove_extra(entry.path, prefix + entry.name + "/", keep):
                    os.rmdir(entry.path)
                else:
                    empty = False
            elif entry.is_symlink() and entry.is_dir():
                os.unlink(entry.path)
            elif prefix + entry.name in keep:
                empty = False
            else:
                os.unlink(entry.path)
    return empty


def _scan(folder: str, prefix: str, files: list[str], folders: list[str]) -> None:
    """Add the relative paths of the files (symbolic links included) and folders under `folder`."""
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                folders.append(prefix + entry.name)
                _scan(entry.path, prefix + entry.name + "/", files, folders)
            else:
                files.append(prefix + entry.name)


def _remove_listed_extras(top: Path, keep: set[str], files: list[str], folders: list[str]) -> None:
    """remove_extra_files() for a folder listed beforehand by _scan()."""
    for path in files:
        if path not in keep:
            try:
                os.unlink(f"{top}/{path}")
            except FileNotFoundError:
                pass  # a temporary file that was renamed since
    needed: set[str] = set()
    for path in keep:
        folder = path.rpartition("/")[0]
        while folder and folder not in needed:
            needed.add(folder)
            folder = folder.rpartition("/")[0]
    for folder in sorted((folder for folder in folders if folder not in needed), key=len, reverse=True):
        try:
            os.rmdir(f"{top}/{folder}")
        except OSError:
            pass  # not empty: something the scan did not see, which the next build's commit removes


def _prepare(target: Path) -> None:
    """Make the folders above `target`, removing a stale file that sits where a folder must be."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError):
        for parent in reversed(target.parents):
            if parent.is_file() or parent.is_symlink():
                parent.unlink()
        target.parent.mkdir(parents=True, exist_ok=True)
    if target.is_dir() and not target.is_symlink():
        shutil.rmtree(target)


def _temporary(target: Path) -> Path:
    return target.parent / f".{target.name}.{os.getpid()}.tmp"


def store_file(staging: Path, out: Path, path: str, data: bytes) -> bool:
    """Put one output file into the staging folder; return True when it was unchanged and hard-linked."""
    try:
        if _same_bytes(f"{out}/{path}", data) and link_previous(staging, out, path):
            return True
        if _write_new(f"{staging}/{path}", data):
            return False
        target = staging / path
        _prepare(target)
        temporary = _temporary(target)
        with open(temporary, "wb") as stream:
            stream.write(data)
        os.replace(temporary, target)
    except OSError as error:
        # A full disk or a permission problem: report a failed build, not a crash.
        raise WriteError(f"could not write {out / path}: {error.strerror or error}") from error
    return False


def _write_new(target: str, data: bytes) -> bool:
    """Write a file where there is none yet, making its folders, and return False when something is in the way.

    A new file cannot be shared with the live site, so it is written in place. Anything already at
    `target` (which may be a hard link to a live file) is left to store_file's rename.
    """
    try:
        stream = open(target, "xb")
    except FileNotFoundError:
        try:
            os.makedirs(os.path.dirname(target), exist_ok=True)
            stream = open(target, "xb")
        except (FileExistsError, NotADirectoryError, FileNotFoundError):
            return False
    except (FileExistsError, NotADirectoryError, IsADirectoryError):
        return False
    with stream:
        stream.write(data)
    return True


def link_previous(staging: Path, out: Path, path: str) -> bool:
    """Make the staging file a hard link to the previous site's, and return False when that is not possible.

    Paths are joined as strings: an incremental build calls this for every unchanged file, and
    building Path objects cost more than the system calls. Where staging has no file at the path
    yet, as in a staging folder that starts empty, the link is made there directly in one system
    call, because it can overwrite nothing.
    """
    previous = f"{out}/{path}"
    target = f"{staging}/{path}"
    try:
        present = os.stat(target)
    except FileNotFoundError:
        if _link_new(previous, target):
            return True
    except OSError:
        pass
    else:
        try:
            before = os.stat(previous)
        except OSError:
            return False
        if (present.st_ino, present.st_dev) == (before.st_ino, before.st_dev):
            return True
    try:
        target_path = staging / path
        _prepare(target_path)
        temporary = _temporary(target_path)
        os.link(previous, temporary)
        os.replace(temporary, target_path)
    except OSError:
        return False
    return True


def _link_new(previous: str, target: str) -> bool:
    """Hard-link `previous` at `target`, where no file is, making the folders above it. Return False when that fails."""
    try:
        os.link(previous, target)
        return True
    except FileNotFoundError:
        pass  # the folder is missing, or the previous file is
    except OSError:
        return False
    try:
        os.makedirs(os.path.dirname(target), exist_ok=True)
        os.link(previous, target)
    except OSError:
        return False
    return True


def fresh_file(target: Path) -> None:
    """Make way for a new file at `target`: the old entry may be a hard link to the live site, so never write into it."""
    _prepare(target)
    try:
        target.unlink()
    except FileNotFoundError:
        pass


def _same_bytes(path: str, data: bytes) -> bool:
    try:
        if os.stat(path).st_size != len(data):
            return False
        with open(path, "rb") as stream:
            return stream.read() == data
    except OSError:
        return False


def recover_interrupted_swap(out: Path) -> Path | None:
    """Put the previous site back if a build died between the two renames of the swap; return the folder restored.

    The newest retired folder is the previous site (a rename updates its change time). The next
    SiteWriter reuses or deletes the others. Call this under the build lock.
    """
    if out.exists():
        return None
    retired = sorted(out.parent.glob(f".{out.name}.old-*"), key=lambda folder: folder.stat().st_ctime_ns)
    if not retired:
        return None
    os.rename(retired[-1], out)
    return retired[-1]
