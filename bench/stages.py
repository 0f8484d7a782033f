"""One benchmark stage, run by bench/run.py in a fresh process so that its peak memory is its own.

    python bench/stages.py STAGE --content DIR [--listings DIR] [--out DIR] [--documents FILE]

Stages: ingest, load, build, index-ours, index-lunrpy. Each prints one JSON object on its last
line of standard output: wall-clock and CPU seconds of the timed part, the peak resident set size
(ru_maxrss, in KiB on Linux) of the process and of its largest child process, and what the stage
produced. CPU seconds (user + system, this
process and the worker processes it waited for) change less than wall-clock time when other
programs compete for the CPU. Set-up that is not part of the stage
(imports, reading the records before an index is built) happens before the clock starts.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time
from pathlib import Path

# bench/run.py sets BENCH_CODE to its snapshot of the code, so that a whole run measures one version.
sys.path.insert(0, os.environ.get("BENCH_CODE") or str(Path(__file__).resolve().parent.parent))

# Fields and boosts of the plain lunr.py and lunr.js indexes when shelfmark.search is missing.
# Otherwise plain_fields() takes the search module's own table.
FALLBACK_FIELDS = (
    ("title", 10), ("authors", 1), ("advisors", 1), ("department", 1), ("year", 1), ("subjects", 1), ("abstract", 1),
)


def plain_fields() -> list[dict]:
    """Return the fields and boosts of our search index as lunr.py's field list."""
    try:
        from shelfmark.search.index import FIELDS
    except ImportError:
        FIELDS = FALLBACK_FIELDS
    return [{"field_name": name, "boost": boost} for name, boost in FIELDS]


def peak_rss_kib() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def cpu_seconds() -> float:
    """Return the user and system CPU seconds of this process and of its children that have ended."""
    total = 0.0
    for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN):
        usage = resource.getrusage(who)
        total += usage.ru_utime + usage.ru_stime
    return total


class Clock:
    """Wall-clock and CPU seconds spent inside a `with` block."""

    def __enter__(self) -> "Clock":
        self.seconds, self.cpu_seconds = time.perf_counter(), cpu_seconds()
        return self

    def __exit__(self, *exc_info) -> None:
        self.seconds = time.perf_counter() - self.seconds
        self.cpu_seconds = cpu_seconds() - self.cpu_seconds


def folder_size(folder: Path) -> tuple[int, int]:
    """Return the number of files under `folder` and their total bytes."""
    files = [path for path in folder.rglob("*") if path.is_file()]
    return len(files), sum(path.stat().st_size for path in files)


def run_ingest(args: argparse.Namespace) -> dict:
    from shelfmark.ingest import IngestOptions, ingest

    with Clock() as clock:
        report = ingest([args.listings], args.content, IngestOptions())
    return {
        "seconds": clock.seconds,
        "cpu_seconds": clock.cpu_seconds,
        "files": len(report.files),
        "failed_files": len(report.failed),
        "created": report.total("created"),
        "items_skipped": report.total("skipped"),
        "duplicates": report.total("duplicate"),
    }


def run_load(args: argparse.Namespace) -> dict:
    from shelfmark.collection import load_collection

    with Clock() as clock:
        collection = load_collection(args.content)
    return {"seconds": clock.seconds, "cpu_seconds": clock.cpu_seconds, "theses": len(collection.theses),
            "warnings": len(collection.warnings)}


def run_build(args: argparse.Namespace) -> dict:
    from shelfmark.builder import BuildOptions, build_site

    with Clock() as clock:
        result = build_site(BuildOptions(args.content, args.out))
    files, size = folder_size(args.out)
    return {
        "seconds": result.seconds,
        "cpu_seconds": clock.cpu_seconds,
        "timings": result.timings,
        "theses": result.theses,
        "pages": result.pages,
        "files": result.files,
        "written": result.written,
        "unchanged": result.unchanged,
        "site_files": files,
        "site_bytes": size,
    }


def load_inputs(content: Path):
    from shelfmark.builder import read_inputs
    from shelfmark.urls import make_profile

    config, collection = read_inputs(content)
    profile = make_profile("hosted", config["base_url"], None)
    return config, collection, profile


def run_index_ours(args: argparse.Namespace) -> dict:
    try:
        from shelfmark import search
    except ModuleNotFoundError as error:
        if error.name != "shelfmark.search":
            raise
        return {"not_run": "shelfmark.search is not in this checkout"}
    config, collection, profile = load_inputs(args.content)

    with Clock() as clock:
        outputs = list(search.files(collection, config, profile))
    return {"seconds": clock.seconds, "cpu_seconds": clock.cpu_seconds, "files": len(outputs),
            "bytes": sum(len(data) for _, data in outputs)}


def documents(collection) -> list[dict]:
    """Make one lunr document per thesis, referred to by its position, with the text our index gets.

    List fields are joined into one string, so that each word is a term rather than each name.
    The text is the search module's field_values() when it exists. Unlike ours, the plain indexes
    leave accent folding, splitting and trimming to lunr's default tokenizer and pipeline.
    """
    try:
        from shelfmark.search.index import field_values
    except ImportError:
        field_values = fallback_field_values
    return [{"ref": str(position), **field_values(thesis)} for position, thesis in enumerate(collection.theses)]


def fallback_field_values(thesis) -> dict[str, str]:
    data = thesis.data
    return {
        "title": data.get("title") or "",
        "authors": "; ".join(thesis.authors),
        "advisors": "; ".join(thesis.advisors),
        "department": data.get("department") or "",
        "year": str(thesis.year) if thesis.year is not None else "",
        "subjects": "; ".join(data.get("subjects") or []),
        "abstract": data.get("abstract") or "",
    }


def run_index_lunrpy(args: argparse.Namespace) -> dict:
    import lunr

    fields = plain_fields()
    _, collection, _ = load_inputs(args.content)
    with Clock() as preparing:
        docs = documents(collection)
    if args.documents:
        args.documents.write_text(json.dumps({"ref": "ref", "fields": fields, "documents": docs}), encoding="utf-8")

    with Clock() as building:
        index = lunr.lunr(ref="ref", fields=fields, documents=docs)
    with Clock() as serializing:
        serialized = json.dumps(index.serialize(), separators=(",", ":"))
    return {
        "seconds": building.seconds + serializing.seconds,
        "cpu_seconds": building.cpu_seconds + serializing.cpu_seconds,
        "build_seconds": building.seconds,
        "serialize_seconds": serializing.seconds,
        "prepare_seconds": preparing.seconds,
        "bytes": len(serialized.encode("utf-8")),
        "documents": len(docs),
        "fields": fields,
    }


STAGES = {
    "ingest": run_ingest,
    "load": run_load,
    "build": run_build,
    "index-ours": run_index_ours,
    "index-lunrpy": run_index_lunrpy,
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("stage", choices=sorted(STAGES))
    parser.add_argument("--content", type=Path, required=True, help="content folder")
    parser.add_argument("--listings", type=Path, help="listing pages to ingest (ingest)")
    parser.add_argument("--out", type=Path, help="site folder to build into (build)")
    parser.add_argument("--documents", type=Path, help="also write the lunr documents as JSON here (index-lunrpy)")
    args = parser.parse_args()

    result = STAGES[args.stage](args)
    result["peak_rss_kib"] = peak_rss_kib()
    # The build renders in worker processes and makes the search index and exports in a child process.
    result["children_peak_rss_kib"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
