"""The build cache beside the output folder: parsed records and page fingerprints from the last build.

It only saves work. A record is taken from the cache when its file's size and modification time
are unchanged. A page is reused from the previous site when its fingerprint is unchanged: a
digest of the templates, the settings and everything the page shows. Deleting the cache folder
gives the same site, only slower.
"""

from __future__ import annotations

import hashlib
import json
import pickle
from dataclasses import asdict, is_dataclass
from pathlib import Path
from typing import Any

from .textio import write_atomic, write_atomic_with

CACHE_VERSION = 4  # raised whenever what the caches hold changes shape


def cache_folder(out: Path) -> Path:
    return out.parent / f".{out.name}.cache"


class BuildCache:
    def __init__(self, folder: Path | None):
        self.folder = folder
        self.records: dict[str, tuple[int, int, Any]] = {}
        self.pages: dict[str, str] = {}  # output path -> fingerprint, for pages and reusable outputs
        self._records_changed = False
        if folder is not None:
            self.records = self._load("records.pickle") or {}
            self.pages = self._load("pages.pickle") or {}

    def _load(self, name: str) -> Any:
        assert self.folder is not None
        try:
            with open(self.folder / name, "rb") as stream:
                version, payload = pickle.load(stream)
        except (OSError, pickle.UnpicklingError, EOFError, ValueError, TypeError, AttributeError, ImportError):
            return None
        return payload if version == CACHE_VERSION else None

    def record(self, path: Path, size: int, mtime: int) -> Any:
        entry = self.records.get(str(path))
        if entry and entry[0] == size and entry[1] == mtime:
            return entry[2]
        return None

    def remember_record(self, path: Path, size: int, mtime: int, value: Any) -> None:
        self.records[str(path)] = (size, mtime, value)
        self._records_changed = True

    def forget_missing_records(self, present: set[str]) -> None:
        stale = set(self.records) - present
        for key in stale:
            del self.records[key]
        self._records_changed |= bool(stale)

    def save_records(self) -> None:
        """Save the parsed records, if any changed; they are valid whether or not the build goes on to succeed."""
        if self.folder is None or not self._records_changed:
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        # Pickled straight into the file, which spares the peak memory a bytes copy of every record.
        write_atomic_with(self.folder / "records.pickle",
                          lambda stream: pickle.dump((CACHE_VERSION, self.records), stream, protocol=5))
        self._records_changed = False

    def save(self, pages: dict[str, str] | None = None) -> None:
        if self.folder is None:
            return
        self.save_records()
        self.folder.mkdir(parents=True, exist_ok=True)
        if pages is not None:
            write_atomic(self.folder / "pages.pickle", pickle.dumps((CACHE_VERSION, pages), protocol=5))


def digest_tree(folder: Path) -> str:
    """Digest every file's relative path and bytes under a folder."""
    hasher = hashlib.blake2b(digest_size=16)
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            hasher.update(path.relative_to(folder).as_posix().encode())
            hasher.update(b"\0")
            hasher.update(path.read_bytes())
    return hasher.hexdigest()


def _encode(value: Any) -> Any:
    """JSON for objects a page shows: records as their data, other dataclasses as their fields."""
    encode = getattr(value, "fingerprint_data", None)
    if encode is not None:
        return encode()
    if is_dataclass(value):
        return asdict(value)
    if isinstance(value, (set, frozenset)):
        return sorted(value)
    return repr(value)


def fingerprint(*parts: Any) -> str:
    text = json.dumps(parts, default=_encode, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()
