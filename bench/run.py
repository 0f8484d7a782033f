"""Benchmark ingest, loading, building and search indexing on generated collections.

    python bench/run.py --sizes 1000 10000 --repeat 3 1 --out-md docs/benchmarks.md

First the package, templates, assets and bench scripts are copied to bench-out/code/, and every stage
of the run uses that copy, so edits made to the working tree meanwhile do not reach the measurements.
For each size, bench/generate.py makes a collection with listing pages, cached in bench-out/ and
keyed by size, seed, page size and the source of the code that writes records. Then each stage
runs --repeat times. Every run is a fresh process (bench/stages.py, or Node for lunr.js), so the peak memory reported
is that stage's own:

- ingest: the listing pages into an empty content folder;
- load: shelfmark.collection.load_collection on the generated records;
- build: shelfmark.builder.build_site into an empty folder, with its per-stage timings;
- incremental build: the same build again after one record's abstract was edited;
- search index three ways on the same records: shelfmark.search.files (skipped while that module
  is missing), plain lunr.py, and lunr.js 2.3.9 under Node, both with the same fields, boosts and
  default pipeline.

Results go to bench-out/results.json, a compact table to standard output and, with --out-md, a
Markdown page with the machine, the inputs, the figures and where the build time goes.
--report-only writes the table and the page again from bench-out/results.json without running.
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import json
import os
import platform
import shlex
import shutil
import statistics
import subprocess
import sys
import tarfile
import time
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
# Folders a stage runs from: the package, and the templates and assets that shelfmark.builder finds beside it.
CODE_FOLDERS = ("shelfmark", "templates", "assets")
# Modules whose output is part of a generated corpus, besides bench/generate.py.
CORPUS_MODULES = ("records.py", "ingest.py", "people.py", "dates.py")

LUNR_JS_VERSION = "2.3.9"
LUNR_JS_NAMES = ("lunr.js", "lunr.min.js")

BUILD_KEYS = ("build", "incremental", "incremental-later")
# Rows of the results, in order: key in the per-size results, label on the page.
STAGE_ROWS = [
    ("ingest", "Ingest listing pages into an empty folder"),
    ("load", "Load records (`load_collection`)"),
    ("build", "Full build (`build_site`)"),
    ("incremental", "Incremental build, one record edited"),
    ("incremental-later", "Incremental build, a later edit"),
    ("index-ours", "Search index: ours (`shelfmark.search`)"),
    ("index-lunrpy", "Search index: plain lunr.py (build + serialize)"),
    ("index-lunrjs", "Search index: lunr.js in Node (build + serialize)"),
]


# --- running stages -----------------------------------------------------------------------------


def run_json(command: list[str]) -> dict:
    """Run a command whose last line of output is a JSON object, and return that object.

    A failed command gives {"error": ...} with its exit status and last line of error output.
    """
    environment = dict(os.environ, BENCH_CODE=str(CODE))
    completed = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, env=environment)
    lines = completed.stdout.strip().splitlines()
    if completed.returncode != 0 or not lines:
        detail = (completed.stderr.strip().splitlines() or ["no output"])[-1]
        return {"error": f"exit status {completed.returncode}: {detail}"}
    try:
        return json.loads(lines[-1])
    except json.JSONDecodeError:
        return {"error": f"the last line of output is not JSON: {lines[-1][:200]}"}


def stage(name: str, content: Path, **options: Path | str) -> dict:
    command = [sys.executable, str(CODE / "bench" / "stages.py"), name, "--content", str(content)]
    for option, value in options.items():
        command += [f"--{option}", str(value)]
    return run_json(command)


def generator_digest() -> str:
    """Return a digest of the generator and of the snapshot's modules that shape the records it writes."""
    digest = hashlib.sha256((CODE / "bench" / "generate.py").read_bytes())
    for name in CORPUS_MODULES:
        digest.update((CODE / "shelfmark" / name).read_bytes())
    return digest.hexdigest()[:16]


def snapshot_code(cache: Path) -> dict:
    """Copy the package, templates, assets and bench scripts to CACHE/code, and return the git state of the code.

    Other people may edit the working tree while a run lasts, so every stage imports this copy instead.
    """
    target = cache / "code"
    if target.exists():
        shutil.rmtree(target)
    digest = hashlib.sha256()
    for folder in CODE_FOLDERS:
        shutil.copytree(ROOT / folder, target / folder, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        for path in sorted((target / folder).rglob("*")):
            if path.is_file():
                digest.update(str(path.relative_to(target)).encode() + b"\0" + path.read_bytes())
    # The bench scripts too, so that a stage still starts if the working tree briefly lacks them.
    shutil.copytree(BENCH, target / "bench", ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    return {"commit": git("rev-parse", "--short", "HEAD"),
            "changed_files": git("status", "--porcelain", "--", *CODE_FOLDERS).splitlines(),
            "digest": digest.hexdigest()[:16]}


def git(*arguments: str) -> str:
    completed = subprocess.run(["git", *arguments], capture_output=True, text=True, cwd=ROOT)
    return completed.stdout.strip() if completed.returncode == 0 else "unknown"


def ensure_corpus(size: int, seed: int, page_size: int, cache: Path) -> tuple[Path, dict]:
    """Return the generated collection for `size`, reusing the cached one when the generator is unchanged."""
    folder = cache / f"corpus-{size}-seed{seed}-page{page_size}"
    marker = folder / "generated.json"
    if marker.exists():
        summary = json.loads(marker.read_text(encoding="utf-8"))
        if summary.get("generator") == generator_digest():
            summary["cached"] = True
            return folder, summary
    print(f"generating {size} records in {folder} ...", flush=True)
    summary = run_json([sys.executable, str(CODE / "bench" / "generate.py"), "--count", str(size), "--seed", str(seed),
                        "--out", str(folder), "--listings", "--page-size", str(page_size), "--force", "--json"])
    if "error" in summary:
        raise SystemExit(f"generating {size} records failed: {summary['error']}")
    summary["generator"] = generator_digest()
    marker.write_text(json.dumps(summary, indent=1), encoding="utf-8")
    summary["cached"] = False
    return folder, summary


def fresh_folder(path: Path) -> Path:
    if path.exists():
        shutil.rmtree(path)
    path.mkdir(parents=True)
    return path


def remove_work(work: Path) -> None:
    """Delete the scratch folders of a benchmark (sites, copies of the content), then flush the file system.

    On this machine's file system (ext4 mounted with `discard`), creating files stays several times
    slower for minutes after a large tree was deleted, long after Linux stops reporting disk waits.
    Writing 55,000 small files took 20 s of system time right after a site was deleted, and 2 s after
    the disk had been left alone. So runs keep their sites until the whole benchmark ends, and nothing
    is deleted between one run's stages and the next run's builds.
    """
    if work.exists():
        shutil.rmtree(work)
    os.sync()


def work_bytes_needed(sizes: list[int], repeats: list[int]) -> int:
    """Estimate the disk that the kept scratch folders take: 200 KB per record and run, more than a site and two content copies."""
    return sum(size * repeat for size, repeat in zip(sizes, repeats)) * 200_000


def settle_disk(limit: float = 60.0) -> None:
    """Flush the file system, then wait up to `limit` seconds for other disk work to end.

    Linux reports in /proc/pressure/io the share of the last 10 seconds in which some task waited
    for the disk. A full build is timed once that share is under 1 %, so it does not pay for what
    the stages before it wrote or deleted. Elsewhere only the flush happens.
    """
    os.sync()
    pressure = Path("/proc/pressure/io")
    waited = 0.0
    while pressure.exists() and waited < limit:
        line = pressure.read_text(encoding="ascii").splitlines()[0]  # some avg10=0.52 avg60=...
        if float(line.split()[1].split("=")[1]) < 1.0:
            return
        time.sleep(2.0)
        waited += 2.0


def copy_content(corpus: Path, target: Path) -> None:
    """Copy the content folder without its listing pages, so edits never reach the cached corpus."""
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(corpus, target, ignore=shutil.ignore_patterns("listings", "generated.json"))


def edit_one_record(content: Path, position: int = 0) -> str:
    """Append a sentence to one record's abstract, as a person editing it would, and return the record's id."""
    from shelfmark import records

    path = sorted((content / "theses").glob("*.yaml"))[position]
    loaded = records.read_record(path)
    loaded.data["abstract"] = loaded.data["abstract"] + " This sentence was added by hand."
    path.write_text(records.dump_record(loaded.data), encoding="utf-8")
    return path.stem


def run_lunr_js(documents: Path, lunr_js: Path | None) -> dict:
    if lunr_js is None:
        return {"not_run": "no lunr.js file: none vendored in assets/vendor/lunr/ and npm pack failed"}
    if shutil.which("node") is None:
        return {"not_run": "node is not installed"}
    return run_json(["node", str(CODE / "bench" / "lunr_index.js"), str(documents), str(lunr_js)])


def load_average() -> float | None:
    """Return the 1-minute load average, which counts the processes that wanted a CPU, this one included."""
    try:
        return float(Path("/proc/loadavg").read_text(encoding="ascii").split()[0])
    except (OSError, ValueError, IndexError):
        return None


def run_once(corpus: Path, work: Path, keep: bool) -> dict:
    """Run every stage once on fresh copies in `work`. Without `keep`, delete the sites after the builds."""
    fresh_folder(work)
    results: dict[str, dict] = {"load_average": {"before": load_average()}}
    ingest_content = fresh_folder(work / "ingested")
    results["ingest"] = stage("ingest", ingest_content, listings=corpus / "listings")

    content = work / "content"
    copy_content(corpus, content)
    results["load"] = stage("load", content)
    site = work / "site"
    settle_disk()
    results["build"] = stage("build", content, out=site)
    if "error" in results["build"]:
        results["incremental"] = {"not_run": "the full build failed"}
        results["incremental-later"] = {"not_run": "the full build failed"}
    else:
        edited = edit_one_record(content)
        results["incremental"] = stage("build", content, out=site)
        results["incremental"]["edited"] = edited
        # From the third build on, the writer starts from the site retired by the build before.
        edited = edit_one_record(content, 1)
        results["incremental-later"] = stage("build", content, out=site)
        results["incremental-later"]["edited"] = edited
    if not keep:
        for path in work.iterdir():
            if path.is_dir() and (path.name == "ingested" or path.name.lstrip(".").startswith("site")):
                shutil.rmtree(path)
        os.sync()

    results["index-ours"] = stage("index-ours", content)
    documents = work / "documents.json"
    results["index-lunrpy"] = stage("index-lunrpy", content, documents=documents)
    if documents.exists():
        results["index-lunrjs"] = run_lunr_js(documents, LUNR_JS)
    else:
        results["index-lunrjs"] = {"not_run": "the lunr.py stage failed, so there are no documents"}
    results["load_average"]["after"] = load_average()
    return results


def run_size(size: int, repeat: int, args: argparse.Namespace) -> dict:
    corpus, corpus_summary = ensure_corpus(size, args.seed, args.page_size, args.cache)
    runs = []
    for number in range(1, repeat + 1):
        print(f"{size} records: run {number} of {repeat} ...", flush=True)
        runs.append(run_once(corpus, args.cache / "work" / str(size) / f"run-{number}", args.keep_work))
    return {"records": size, "repeat": repeat, "corpus": corpus_summary, "runs": runs}


# --- lunr.js ------------------------------------------------------------------------------------


def find_lunr_js(cache: Path) -> Path | None:
    """Find the vendored lunr.js, or pack lunr 2.3.9 from the npm registry into the cache and unpack it."""
    for name in LUNR_JS_NAMES:
        candidate = CODE / "assets" / "vendor" / "lunr" / name
        if candidate.exists():
            return candidate
    unpacked = cache / "npm" / "package" / "lunr.js"
    if unpacked.exists():
        return unpacked
    if shutil.which("npm") is None:
        return None
    target = cache / "npm"
    target.mkdir(parents=True, exist_ok=True)
    completed = subprocess.run(["npm", "pack", f"lunr@{LUNR_JS_VERSION}", "--pack-destination", str(target)],
                               capture_output=True, text=True)
    archive = target / f"lunr-{LUNR_JS_VERSION}.tgz"
    if completed.returncode != 0 or not archive.exists():
        print(f"npm pack lunr@{LUNR_JS_VERSION} failed: {completed.stderr.strip()[-300:]}", file=sys.stderr)
        return None
    with tarfile.open(archive) as packed:
        packed.extract("package/lunr.js", target, filter="data")
    return unpacked


LUNR_JS: Path | None = None
CODE = ROOT  # the snapshot that stages import; main() sets it


# --- summarising --------------------------------------------------------------------------------


def seconds_of(result: dict) -> float | None:
    return result.get("seconds") if "error" not in result and "not_run" not in result else None


def spread(values: list[float]) -> dict | None:
    if not values:
        return None
    return {"median": statistics.median(values), "min": min(values), "max": max(values), "n": len(values)}


def summarise(size_results: dict) -> dict:
    """Compute each stage's median, minimum and maximum seconds, its largest peak memory, and the build stage timings."""
    runs = size_results["runs"]
    summary: dict[str, dict] = {}
    for key, _ in STAGE_ROWS:
        results = [run[key] for run in runs]
        entry = {
            "seconds": spread([s for s in map(seconds_of, results) if s is not None]),
            "peak_mib": max((r["peak_rss_kib"] / 1024 for r in results if "peak_rss_kib" in r), default=None),
            "child_peak_mib": max((r.get("children_peak_rss_kib", 0) / 1024 for r in results), default=0),
            "problems": sorted({r.get("error") or r.get("not_run") for r in results if "error" in r or "not_run" in r}),
            "last": results[-1],
        }
        for part in ("cpu_seconds", "build_seconds", "serialize_seconds"):
            values = [r[part] for r in results if part in r and seconds_of(r) is not None]
            if values:
                entry[part] = spread(values)
        summary[key] = entry
    for key in ("build", "incremental", "incremental-later"):
        stages: dict[str, list[float]] = {}
        for run in runs:
            for name, seconds in run[key].get("timings", {}).items():
                stages.setdefault(name, []).append(seconds)
        summary[key]["timings"] = {name: statistics.median(values) for name, values in stages.items()}
    return summary


# --- machine --------------------------------------------------------------------------------------


def read_first(path: str, prefix: str) -> str | None:
    try:
        for line in Path(path).read_text(encoding="utf-8").splitlines():
            if line.startswith(prefix):
                return line.split(":", 1)[1].strip() if ":" in line else line.split("=", 1)[1].strip().strip('"')
    except OSError:
        return None
    return None


def machine_facts() -> dict:
    from shelfmark import records

    node = shutil.which("node")
    node_version = subprocess.run([node, "--version"], capture_output=True, text=True).stdout.strip() if node else "not installed"
    memory_kib = read_first("/proc/meminfo", "MemTotal")
    return {
        "cpu": read_first("/proc/cpuinfo", "model name") or platform.processor() or "unknown",
        "cores": os.cpu_count(),
        "memory_gib": round(int(memory_kib.split()[0]) / 1024 / 1024, 1) if memory_kib else None,
        "python": platform.python_version(),
        "node": node_version,
        "os": f"{read_first('/etc/os-release', 'PRETTY_NAME=') or platform.system()}, Linux {platform.release()}",
        "packages": {name: version_of(name) for name in ("lunr", "PyYAML", "Jinja2")},
        "libyaml": records.Loader.__name__ == "CSafeLoader",
    }


def version_of(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "not installed"


# --- reporting ------------------------------------------------------------------------------------


def fmt_seconds(entry: dict | None) -> str:
    if not entry:
        return "n/a"
    text = f"{entry['median']:.2f}"
    if entry["n"] > 1:
        text += f" ({entry['min']:.2f}–{entry['max']:.2f})"
    return text


def fmt_median(entry: dict | None) -> str:
    return f"{entry['median']:.2f}" if entry else "n/a"


def fmt_peak(entry: dict) -> str:
    """Format the stage's peak memory, and its largest child process's when that exceeds 1 MiB."""
    text = fmt_mib(entry["peak_mib"])
    child = entry.get("child_peak_mib") or 0
    return f"{text} (child {child:.0f})" if child >= 1 else text


def fmt_mib(value: float | None) -> str:
    return f"{value:.0f}" if value is not None else "n/a"


def cell(summary: dict, key: str, repeat: int) -> str:
    """Format a stage's seconds, saying how many runs they come from when some runs failed."""
    entry = summary[key]
    if entry["seconds"] is None:
        return "n/a: " + "; ".join(entry["problems"])
    text = fmt_seconds(entry["seconds"])
    if entry["seconds"]["n"] < repeat:
        text += f", {entry['seconds']['n']} of {repeat} runs"
    return text


def ratio(numerator: dict | None, denominator: dict | None) -> str:
    if not numerator or not denominator or not denominator["median"]:
        return "n/a"
    return f"{numerator['median'] / denominator['median']:.1f}"


def stdout_table(report: dict) -> str:
    sizes = report["sizes"]
    header = ["stage"]
    for size in sizes:
        header += [f"{size['records']}: wall s", "CPU s", "peak MiB"]
    rows = [header]
    for key, _ in STAGE_ROWS:
        row = [key]
        for size in sizes:
            entry = size["summary"][key]
            row += [fmt_seconds(entry["seconds"]), fmt_median(entry.get("cpu_seconds")), fmt_peak(entry)]
        rows.append(row)
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    table = ["  ".join(value.ljust(width) for value, width in zip(row, widths)) for row in rows]
    for size in sizes:
        summary = size["summary"]
        table.append(f"{size['records']} records: lunr.py / ours {ratio(summary['index-lunrpy']['seconds'], summary['index-ours']['seconds'])}, "
                     f"lunr.py / lunr.js {ratio(summary['index-lunrpy']['seconds'], summary['index-lunrjs']['seconds'])} (median times)")
    return "\n".join(table)


def markdown(report: dict) -> str:
    sizes = report["sizes"]
    machine = report["machine"]
    names = [f"{size['records']:,} records ({size['repeat']} run{'s' if size['repeat'] != 1 else ''})" for size in sizes]
    lines = [
        "# Benchmarks",
        "",
        f"Measured on {report['date']} with",
        "",
        "```sh",
        report["command"],
        "```",
        "",
        "on generated collections (`bench/generate.py`, seed "
        f"{report['seed']}): invented people, about 40 departments of skewed size, years 1990-2025 "
        "weighted to recent ones, titles of 6-18 words and abstracts of 150-450 words drawn from a "
        "vocabulary with Zipf-like word frequencies. Every stage runs in a fresh process, so each peak "
        "memory figure (maximum resident set size) is that stage's own, interpreter and imports included. "
        "Times are wall-clock seconds: the median, with the minimum and maximum in brackets when a "
        "stage ran more than once. Files were read from a warm page cache.",
        "",
        "## Machine",
        "",
        "| | |",
        "| --- | --- |",
        f"| CPU | {machine['cpu']}, {machine['cores']} cores |",
        f"| memory | {machine['memory_gib']} GiB |",
        f"| OS | {machine['os']} |",
        f"| Python | {machine['python']} (PyYAML {machine['packages']['PyYAML']} with "
        f"{'libyaml' if machine['libyaml'] else 'the pure-Python parser'}, Jinja2 {machine['packages']['Jinja2']}, "
        f"lunr.py {machine['packages']['lunr']}) |",
        f"| Node | {machine['node']}, lunr.js {lunr_js_version(report)} from `{report['lunr_js']}` |",
        f"| code | {code_description(report.get('code'))} |",
        "",
        "## Inputs",
        "",
        "| | " + " | ".join(f"{size['records']:,} records" for size in sizes) + " |",
        "| --- |" + " ---: |" * len(sizes),
    ]
    lines += input_rows(sizes)

    lines += ["", "## Time and memory", "",
              "Wall-clock seconds (median, min–max), the median CPU seconds (user + system, worker processes "
              "included) and the peak memory of each stage's process. Where the stage started child processes, "
              "the peak of the largest child follows in brackets; the two may be resident at the same time.",
              "",
              "| stage | " + " | ".join(f"{name}: wall s | CPU s | peak MiB" for name in names) + " |",
              "| --- |" + " ---: |" * (3 * len(sizes))]
    for key, label in STAGE_ROWS:
        row = [label]
        for size in sizes:
            entry = size["summary"][key]
            row += [cell(size["summary"], key, size["repeat"]), fmt_median(entry.get("cpu_seconds")), fmt_peak(entry)]
        lines.append("| " + " | ".join(row) + " |")

    lines += ["", "## Search index, three ways on the same records", ""] + index_section(sizes)
    lines += ["", "## Build stages", ""] + build_stage_section(sizes)
    lines += ["", "## Where the time goes", ""] + where_the_time_goes(sizes)
    lines += ["", "## Notes", ""] + notes(report)
    return "\n".join(lines) + "\n"


def code_description(code: dict | None) -> str:
    if not code:
        return "not recorded"
    changed = len(code["changed_files"])
    text = f"commit {code['commit']}"
    if changed:
        text += f" with uncommitted changes in {changed} file{'s' if changed != 1 else ''} of {', '.join(CODE_FOLDERS)}"
    return text + f"; every stage ran a copy taken at the start (digest {code['digest']})"


def lunr_js_version(report: dict) -> str:
    """Return the version lunr.js reported, or the version expected when lunr.js never ran."""
    for size in report["sizes"]:
        for run in size["runs"]:
            if "lunr_version" in run["index-lunrjs"]:
                return run["index-lunrjs"]["lunr_version"]
    return LUNR_JS_VERSION


def input_rows(sizes: list[dict]) -> list[str]:
    def row(label: str, values: list[str]) -> str:
        return f"| {label} | " + " | ".join(values) + " |"

    corpora = [size["corpus"] for size in sizes]
    builds = [size["summary"]["build"]["last"] for size in sizes]
    return [
        row("abstract words", [f"{c['abstract_words']:,}" for c in corpora]),
        row("record YAML, bytes", [f"{c['record_bytes']:,}" for c in corpora]),
        row("listing pages (files, bytes)", [f"{c['listing_pages']:,}, {c['listing_bytes']:,}" for c in corpora]),
        row("generation, seconds (peak MiB)", [
            f"{c['seconds']:.1f} ({c['peak_rss_kib'] / 1024:.0f})" + (", earlier run, cached" if c.get("cached") else "")
            for c in corpora]),
        row("built site: pages, files, bytes", [
            f"{b.get('pages', 0):,}, {b.get('site_files', 0):,}, {b.get('site_bytes', 0):,}" if "error" not in b else "n/a"
            for b in builds]),
    ]


def index_section(sizes: list[dict]) -> list[str]:
    lines = [
        "| | " + " | ".join(f"{size['records']:,} records" for size in sizes) + " |",
        "| --- |" + " ---: |" * len(sizes),
    ]

    def add(label: str, values: list[str]) -> None:
        lines.append(f"| {label} | " + " | ".join(values) + " |")

    summaries = [size["summary"] for size in sizes]
    add("ours: seconds", [cell(size["summary"], "index-ours", size["repeat"]) for size in sizes])
    add("ours: output bytes", [f"{s['index-ours']['last'].get('bytes', 0):,}" if s["index-ours"]["seconds"] else "n/a" for s in summaries])
    for key, name in (("index-lunrpy", "lunr.py"), ("index-lunrjs", "lunr.js")):
        add(f"{name}: build seconds", [fmt_seconds(s[key].get("build_seconds")) for s in summaries])
        add(f"{name}: serialize seconds", [fmt_seconds(s[key].get("serialize_seconds")) for s in summaries])
        add(f"{name}: index JSON bytes", [f"{s[key]['last'].get('bytes', 0):,}" if s[key]["seconds"] else "n/a" for s in summaries])
    add("lunr.py time / ours, wall (CPU)", [
        f"{ratio(s['index-lunrpy']['seconds'], s['index-ours']['seconds'])} "
        f"({ratio(s['index-lunrpy'].get('cpu_seconds'), s['index-ours'].get('cpu_seconds'))})" for s in summaries])
    add("lunr.py time / lunr.js, wall (CPU)", [
        f"{ratio(s['index-lunrpy']['seconds'], s['index-lunrjs']['seconds'])} "
        f"({ratio(s['index-lunrpy'].get('cpu_seconds'), s['index-lunrjs'].get('cpu_seconds'))})" for s in summaries])
    fields = next((s["index-lunrpy"]["last"]["fields"] for s in summaries if "fields" in s["index-lunrpy"]["last"]), [])
    lines += [
        "",
        "Ratios divide medians measured in the same run. All three indexes get the same text per "
        "thesis, with list fields joined into one string, and the same fields and boosts ("
        + ", ".join(f"{f['field_name']} {f['boost']}" for f in fields)
        + "). The plain lunr.py and lunr.js indexes use each implementation's default pipeline "
        "(trimmer, stop-word filter, stemmer). Ours folds accents, splits and trims before lunr's "
        "stop-word filter and a stemmer patched to match lunr.js, runs the pipeline once per distinct "
        "word, and also writes each result's display data. The plain times exclude reading the records "
        "and making the documents; ours is `shelfmark.search.files(collection, config, profile)` "
        "consumed to the end, which is everything the build's search stage writes.",
    ]
    return lines


def build_stage_section(sizes: list[dict]) -> list[str]:
    names: list[str] = []
    for size in sizes:
        for key in BUILD_KEYS:
            for name in size["summary"][key]["timings"]:
                if name not in names:
                    names.append(name)
    lines = [
        "Median seconds per stage (`BuildResult.timings`) of the full build, the first incremental build "
        "and a later one, each with its share of that build's median wall-clock time. Stages that run at the same "
        "time, such as a search index made in a child process while the pages render, can add up to "
        "more than 100 %.",
        "",
        "| build stage | " + " | ".join(f"{size['records']:,}: full | {size['records']:,}: incremental | "
                                       f"{size['records']:,}: later edit" for size in sizes) + " |",
        "| --- |" + " ---: |" * (len(BUILD_KEYS) * len(sizes)),
    ]
    for name in names:
        values = []
        for size in sizes:
            for key in BUILD_KEYS:
                timings = size["summary"][key]["timings"]
                total = wall_median(size["summary"][key])
                seconds = timings.get(name)
                values.append(f"{seconds:.2f} ({100 * seconds / total:.0f} %)" if seconds is not None and total else "n/a")
        lines.append(f"| {name} | " + " | ".join(values) + " |")
    return lines


def wall_median(entry: dict) -> float:
    return entry["seconds"]["median"] if entry["seconds"] else 0.0


def top_stages(timings: dict[str, float], total: float, count: int = 3) -> str:
    ranked = sorted(timings.items(), key=lambda item: item[1], reverse=True)[:count]
    return ", ".join(f"{name} {seconds:.1f} s ({100 * seconds / total:.0f} %)" for name, seconds in ranked)


def where_the_time_goes(sizes: list[dict]) -> list[str]:
    """Write sentences computed from the figures, for the largest size and for the growth from the smallest."""
    largest = sizes[-1]
    summary = largest["summary"]
    timings = summary["build"]["timings"]
    if not timings:
        return ["The full build failed, so there are no stage timings; see the table above."]
    lines = [f"- At {largest['records']:,} records the full build's largest stages are "
             f"{top_stages(timings, wall_median(summary['build']))}, as shares of its wall-clock time."]

    build_cpu = summary["build"].get("cpu_seconds")
    if build_cpu and summary["build"]["seconds"]:
        lines.append(f"- The full build used {build_cpu['median']:.1f} CPU seconds in "
                     f"{summary['build']['seconds']['median']:.1f} wall-clock seconds.")

    pages = summary["build"]["last"].get("pages")
    if pages and timings.get("pages"):
        lines.append(f"- The pages stage renders and writes {pages:,} pages, about "
                     f"{pages / timings['pages']:,.0f} pages a second.")
    load = summary["load"]["seconds"]
    load_cpu = summary["load"].get("cpu_seconds")
    if load and load_cpu and timings.get("read"):
        lines.append(f"- Reading the content inside the build takes {timings['read']:.1f} s. Loading the records "
                     f"alone in a fresh process takes {load['median']:.1f} s ({load_cpu['median']:.1f} CPU seconds).")

    for key, which in (("incremental", "the second build"), ("incremental-later", "the third build")):
        incremental = summary[key]
        if incremental.get("seconds") and summary["build"]["seconds"]:
            last = incremental["last"]
            share = 100 * incremental["seconds"]["median"] / summary["build"]["seconds"]["median"]
            lines.append(f"- After one record was edited, {which} took {incremental['seconds']['median']:.1f} s, "
                         f"{share:.0f} % of a full build. It wrote {last.get('written', 0):,} files and left "
                         f"{last.get('unchanged', 0):,} unchanged; its largest stages were "
                         f"{top_stages(incremental['timings'], wall_median(incremental))}.")

    if len(sizes) > 1:
        smallest = sizes[0]
        factor = largest["records"] / smallest["records"]
        growth = []
        for key, label in STAGE_ROWS:
            small, large = smallest["summary"][key].get("cpu_seconds"), summary[key].get("cpu_seconds")
            if small and large and small["median"] > 0:
                growth.append(f"{key} {large['median'] / small['median']:.1f}×")
        # CPU seconds, because the sizes may have run while other programs loaded the machine differently.
        lines.append(f"- From {smallest['records']:,} to {largest['records']:,} records ({factor:.0f}× the records) "
                     f"the median CPU seconds grew: " + ", ".join(growth) + ".")
    return lines


def notes(report: dict) -> list[str]:
    result = [
        "- The incremental build edits the abstract of the first record in file-name order, then builds "
        "into the folder the full build wrote. It starts from an empty staging folder, because a first "
        "build leaves no retired site behind. The later edit changes the second record and builds again; "
        "from then on the writer starts from the site the build before retired, as it does in daily use.",
        "- Ingest starts from an empty content folder and creates every record; its time includes "
        "parsing the listing pages, inferring roles and writing the YAML files.",
        "- Before the full build the benchmark flushes the file system and waits, up to a minute, until "
        "Linux reports almost no waiting for the disk (/proc/pressure/io), so the build does not pay for "
        "what the stages before it wrote.",
        "- " + ("Every run keeps its sites and content copies until the benchmark ends, and only then are they "
                "deleted. " if report.get("kept_work") else
                "There was too little free disk to keep every run's sites, so each run's sites were deleted "
                "after its builds; the next run's builds may have paid for that. ") +
        "On this machine (ext4 mounted with `discard`), creating files stays several times slower for "
        "minutes after a large tree is deleted. Writing 55,000 small files took 20 s of system time right "
        "after a site was deleted, and 2 s on a disk left alone.",
        "- docs/build-time.md splits the CPU time of a full build by stage (bench/build_profile.py), and "
        "docs/search.md times queries typed in Chromium (bench/search_latency.py).",
        "- The generated vocabulary comes from the machine's word list, so another word list gives other "
        "words (same sizes and distributions); the corpus is the same byte for byte only on machines with "
        "the same list.",
    ]
    ranges = []
    for size in report["sizes"]:
        averages = [value for run in size["runs"] for value in run["load_average"].values() if value is not None]
        if averages:
            ranges.append(f"{min(averages):.1f} to {max(averages):.1f} for {size['records']:,} records")
    if ranges:
        result.append(f"- The 1-minute load average, sampled before and after each run, ranged from "
                      f"{', and '.join(ranges)}, on {report['machine']['cores']} cores. It decays over minutes, so it "
                      "counts the benchmark's own stages of the minute before, which run up to four processes; "
                      "it cannot tell them from other programs. Wall-clock times are longer when other programs "
                      "compete for the CPU, and CPU seconds depend much less on that competition.")
    for size in report["sizes"]:
        for key, _ in STAGE_ROWS:
            for problem in size["summary"][key]["problems"]:
                result.append(f"- {size['records']:,} records, {key}: {problem}")
    return result


# --- main ---------------------------------------------------------------------------------------------


def main() -> int:
    global LUNR_JS, CODE
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000], help="collection sizes, in records")
    parser.add_argument("--repeat", type=int, nargs="+", default=[3],
                        help="runs per size: one number for every size, or one per size (default 3)")
    parser.add_argument("--seed", type=int, default=1, help="generator seed (default 1)")
    parser.add_argument("--page-size", type=int, choices=(10, 20), default=20, help="items per listing page (default 20)")
    parser.add_argument("--cache", type=Path, default=ROOT / "bench-out", help="folder for corpora and scratch files")
    parser.add_argument("--out-md", type=Path, help="write the results as a Markdown page here")
    parser.add_argument("--report-only", action="store_true",
                        help="run nothing: print the table and write --out-md from CACHE/results.json")
    args = parser.parse_args()
    if args.report_only:
        results_file = args.cache / "results.json"
        if not results_file.exists():
            parser.error(f"{results_file} not found; run the benchmark first")
        report = json.loads(results_file.read_text(encoding="utf-8"))
        print_and_write(report, args.out_md)
        return 0
    if len(args.repeat) not in (1, len(args.sizes)):
        parser.error("--repeat takes one number, or one number per size")
    repeats = args.repeat * len(args.sizes) if len(args.repeat) == 1 else args.repeat
    if min(repeats) < 1 or min(args.sizes) < 1:
        parser.error("sizes and repeats must be at least 1")
    args.cache = args.cache.resolve()
    args.cache.mkdir(parents=True, exist_ok=True)
    code = snapshot_code(args.cache)
    CODE = args.cache / "code"
    sys.path.insert(0, str(CODE))
    LUNR_JS = find_lunr_js(args.cache)
    work = args.cache / "work"
    if work.exists():
        print(f"deleting {work}, left by an earlier run, and waiting for the disk ...", flush=True)
        remove_work(work)
        settle_disk(600.0)
    free = shutil.disk_usage(args.cache).free
    args.keep_work = free > work_bytes_needed(args.sizes, repeats)
    if not args.keep_work:
        print(f"only {free / 2**30:.1f} GiB free: each run's sites are deleted after its builds", flush=True)

    started = time.perf_counter()
    report = {
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "command": shlex.join(["python", "bench/run.py", *sys.argv[1:]]),
        "seed": args.seed,
        "machine": machine_facts(),
        "code": code,
        "lunr_js": str(LUNR_JS.relative_to(CODE)) if LUNR_JS and LUNR_JS.is_relative_to(CODE) else str(LUNR_JS),
        "sizes": [],
        "kept_work": args.keep_work,
    }
    for size, repeat in zip(args.sizes, repeats):
        results = run_size(size, repeat, args)
        results["summary"] = summarise(results)
        report["sizes"].append(results)
    report["seconds"] = time.perf_counter() - started
    print(f"deleting {work} ...", flush=True)
    remove_work(work)

    (args.cache / "results.json").write_text(json.dumps(report, indent=1), encoding="utf-8")
    print_and_write(report, args.out_md)
    return 0


def print_and_write(report: dict, out_md: Path | None) -> None:
    print(stdout_table(report))
    if out_md:
        out_md.parent.mkdir(parents=True, exist_ok=True)
        out_md.write_text(markdown(report), encoding="utf-8")
        print(f"wrote {out_md}")


if __name__ == "__main__":
    sys.exit(main())
