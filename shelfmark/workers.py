"""Rendering pages in worker processes, and reusing pages that did not change since the last build.

Each page that shows records (thesis, listing and browse pages) gets a fingerprint: a digest of
the templates, the settings and the page's own data. When the fingerprint equals the one saved
by the previous build and that build's file is still there, the file is hard-linked instead of
rendered. Workers are forked, so they share the planned pages and the renderer without copying.
"""

from __future__ import annotations

import multiprocessing
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from .cache import fingerprint
from .pages import Page
from .render import Renderer
from .writer import SiteWriter, link_previous, store_file

CACHEABLE_KINDS = frozenset({"thesis", "listing", "browse-value"})
PARALLEL_THRESHOLD = 500  # fewer pages than this render faster in one process than with workers
CHUNK = 250  # pages per task handed to a worker


@dataclass
class _Job:
    renderer: Renderer
    pages: list[Page]
    staging: Path
    out: Path
    previous: dict[str, str]  # output path -> fingerprint from the last build
    context: str  # fingerprint of everything pages share: templates, settings, profile


_job: _Job | None = None  # set before forking, so workers inherit it


@dataclass
class RenderResult:
    fingerprints: dict[str, str]
    rendered: int
    reused: int


def default_jobs() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)


def render_pages(renderer: Renderer, pages: list[Page], writer: SiteWriter, previous: dict[str, str],
                 context: str, jobs: int, progress: Callable[[int, int, str], None] | None = None) -> RenderResult:
    """Render every page into the writer's staging folder; return the new fingerprints."""
    global _job
    writer.reserve(page.path for page in pages)
    for thesis in renderer.collection.theses:
        thesis.fingerprint_data()  # once here rather than once per worker; cached after the first call
    _job = _Job(renderer, pages, writer.staging, writer.out, previous, context)
    ranges = [(start, min(start + CHUNK, len(pages))) for start in range(0, len(pages), CHUNK)]
    result = RenderResult({}, 0, 0)
    done = 0
    try:
        for outcomes in _map(_render_range, ranges, jobs if len(pages) >= PARALLEL_THRESHOLD else 1):
            for path, page_fingerprint, reused, unchanged, size in outcomes:
                if page_fingerprint:
                    result.fingerprints[path] = page_fingerprint
                result.reused += reused
                result.rendered += not reused
                writer.count(unchanged, size)
            done += len(outcomes)
            if progress:
                progress(done, len(pages), "rendering pages")
    finally:
        _job = None
    return result


def _map(function, ranges: list[tuple[int, int]], jobs: int):
    if jobs <= 1 or len(ranges) <= 1:
        yield from map(function, ranges)
        return
    with multiprocessing.get_context("fork").Pool(jobs) as pool:
        yield from pool.imap_unordered(function, ranges)


def _render_range(bounds: tuple[int, int]) -> list[tuple[str, str | None, bool, bool, int]]:
    """Render pages[start:end]: (path, fingerprint, reused, unchanged, bytes written) for each."""
    job = _job
    assert job is not None
    outcomes = []
    for page in job.pages[bounds[0]:bounds[1]]:
        page_fingerprint = fingerprint(job.context, page.path, page.template, page.title, page.breadcrumbs, page.data) \
            if page.kind in CACHEABLE_KINDS else None
        if page_fingerprint and job.previous.get(page.path) == page_fingerprint \
                and link_previous(job.staging, job.out, page.path):
            outcomes.append((page.path, page_fingerprint, True, True, 0))
            continue
        data = job.renderer.render(page)
        unchanged = store_file(job.staging, job.out, page.path, data)
        outcomes.append((page.path, page_fingerprint, False, unchanged, 0 if unchanged else len(data)))
    return outcomes
