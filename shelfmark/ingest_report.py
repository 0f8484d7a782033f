"""The ingest report: per file, what was found and done, and one accounting line at the end."""

from __future__ import annotations

from .ingest import FileReport, IngestReport
from .listing.detect import FORMAT_NAMES


def format_report(report: IngestReport, dry_run: bool = False) -> list[str]:
    lines: list[str] = []
    for file_report in report.files:
        lines.extend(_file_lines(file_report, dry_run))
    lines.extend(_ignored_lines(report))
    lines.extend(report.gaps)
    lines.append(summary_line(report, dry_run))
    return lines


def _file_lines(file_report: FileReport, dry_run: bool) -> list[str]:
    if file_report.error:
        return [f"error: {file_report.error}"]
    page = file_report.page
    assert page is not None
    encoding = f", {file_report.encoding}" if file_report.encoding else ""
    lines = [f"{file_report.path}: {FORMAT_NAMES.get(page.format, page.format)}{encoding}"]
    scope = page.scope
    if scope.name or scope.handle:
        kind = f"{scope.kind}, " if scope.kind else ""
        lines.append(f"  scope: {scope.name or '(no name)'} ({kind}{scope.handle or 'no handle'})")

    if not page.items:
        lines.append(_no_items_line(file_report))
        return lines + [f"  {note}" for note in file_report.notes]

    would = "would be " if dry_run else ""
    announced = f" ({page.count.printed})" if page.count else ""
    lines.append(
        f"  {len(page.items)} item{'' if len(page.items) == 1 else 's'} found{announced}: "
        f"{file_report.count('created')} {would}created, "
        f"{file_report.count('updated')} {would}updated, {file_report.count('unchanged')} unchanged, "
        f"{len(file_report.reported)} skipped"
    )
    if page.count and page.count.first is not None and page.count.last is not None:
        expected = page.count.last - page.count.first + 1
        if len(page.items) < expected:
            lines.append(
                f"  the page announces items {page.count.first}-{page.count.last} but holds {len(page.items)}: "
                f"{expected - len(page.items)} cut off after item {len(page.items)}"
            )
    for outcome in file_report.outcomes:
        if outcome.status in ("skipped", "duplicate"):
            lines.append(f"  {file_report.path}: skipped {outcome.where}: {outcome.reason}")
        elif outcome.status == "updated" and outcome.changes:
            lines.append(f"  {would}updated {outcome.record_id}: {', '.join(outcome.changes)}")
    lines.extend(f"  {note}" for note in file_report.notes)
    return lines


IGNORED_SHOWN = 5  # ignored files named in the report; the rest are counted


def _ignored_lines(report: IngestReport) -> list[str]:
    if not report.ignored:
        return []
    count = len(report.ignored)
    lines = [f"{count} file{'' if count == 1 else 's'} in the folders given "
             f"{'is' if count == 1 else 'are'} not .txt, .html or .htm and {'was' if count == 1 else 'were'} not read:"]
    lines.extend(f"  {path}" for path in report.ignored[:IGNORED_SHOWN])
    if count > IGNORED_SHOWN:
        lines.append(f"  ... and {count - IGNORED_SHOWN} more")
    return lines


def _no_items_line(file_report: FileReport) -> str:
    page = file_report.page
    assert page is not None
    if page.containers:
        kind = page.container_kind or "sub-communities"
        return f"  no items: this page lists {len(page.containers)} {kind} ({'; '.join(page.containers)})"
    return "  no items on this page"


def summary_line(report: IngestReport, dry_run: bool = False) -> str:
    """The accounting line: items seen = items recorded + items reported, then distinct records."""
    recorded = sum(report.total(status) for status in ("created", "updated", "unchanged"))
    reported = sum(len(f.reported) for f in report.files)
    seen = sum(len(f.page.items) for f in report.files if f.page)
    counts = report.records or {"created": 0, "updated": 0, "unchanged": 0}
    distinct = sum(counts.values())
    files = len(report.files)
    failed = len(report.failed)
    would = "would be " if dry_run else ""
    prefix = "Dry run (nothing written)" if dry_run else "Ingest"
    return (
        f"{prefix}: {files} file{'s' if files != 1 else ''}, {seen} items seen = {recorded} recorded + "
        f"{reported} reported; {distinct} record{'s' if distinct != 1 else ''}: {counts['created']} {would}created, "
        f"{counts['updated']} {would}updated, {counts['unchanged']} unchanged; "
        f"{report.conflicts} conflicts, {failed} failed file{'s' if failed != 1 else ''} ({report.seconds:.1f} s)"
    )
