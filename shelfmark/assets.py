"""Static files copied into the site's assets/ folder."""

from __future__ import annotations

from pathlib import Path
from typing import Iterator


def files(folder: Path) -> Iterator[tuple[str, bytes]]:
    """Every file under `folder`, sorted, as ("assets/<relative path>", bytes); hidden files are skipped."""
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder)
        if path.is_file() and not any(part.startswith(".") for part in relative.parts):
            yield f"assets/{relative.as_posix()}", path.read_bytes()
