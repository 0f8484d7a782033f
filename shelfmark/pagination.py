"""Pagination like the repository's own lists: "Now showing 11 - 20 of 22"."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Sequence, TypeVar

T = TypeVar("T")
WINDOW = 2  # page numbers shown either side of the current page


@dataclass(frozen=True)
class Pagination:
    base: str  # folder of page 1, e.g. "theses/" or "browse/author/groth-katrina/"
    number: int  # 1-based
    count: int  # number of pages, at least 1
    total: int  # number of items over all pages
    size: int

    def fingerprint_data(self) -> list[str | int]:
        """Return the fields for the build cache, because dataclasses.asdict copies them one by one and is several times slower."""
        return [self.base, self.number, self.count, self.total, self.size]

    @property
    def first_item(self) -> int:
        return (self.number - 1) * self.size + 1 if self.total else 0

    @property
    def last_item(self) -> int:
        return min(self.number * self.size, self.total)

    @property
    def showing(self) -> str:
        if not self.total:
            return "Now showing 0 of 0"
        return f"Now showing {self.first_item} - {self.last_item} of {self.total}"

    @property
    def path(self) -> str:
        return page_path(self.base, self.number)

    def path_of(self, number: int) -> str:
        return page_path(self.base, number)

    @property
    def numbers(self) -> list[int | None]:
        """Page numbers to link, with None where a run of numbers is left out: 1 None 4 5 6 None 12."""
        shown = {1, self.count} | set(range(max(1, self.number - WINDOW), min(self.count, self.number + WINDOW) + 1))
        result: list[int | None] = []
        previous = 0
        for number in sorted(shown):
            if number - previous > 1:
                result.append(None)
            result.append(number)
            previous = number
        return result


def page_path(base: str, number: int) -> str:
    return f"{base}index.html" if number == 1 else f"{base}page/{number}/index.html"


def paginate(items: Sequence[T], size: int, base: str) -> list[tuple[Pagination, Sequence[T]]]:
    """Split items into pages of `size`; no items still gives one (empty) page, never a page 0."""
    count = max(1, math.ceil(len(items) / size))
    return [
        (Pagination(base, number, count, len(items), size), items[(number - 1) * size: number * size])
        for number in range(1, count + 1)
    ]
