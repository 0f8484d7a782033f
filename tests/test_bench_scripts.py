"""The benchmark scripts: the search latency states typed key by key, and the build profile table."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _load_script(name: str):
    """Import a script of bench/ by its file name."""
    spec = importlib.util.spec_from_file_location(f"bench_{name}", ROOT / "bench" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


latency = _load_script("search_latency")


def test_states_are_every_prefix_then_a_space():
    assert latency.typed_states("ab cd") == ["a", "ab", "ab ", "ab c", "ab cd", "ab cd "]


def test_each_state_gets_the_kind_the_table_reports():
    kinds = [latency.kind_of(state) for state in latency.typed_states("model ic")]
    assert kinds == ["last word of 1 letter (whole word)", "prefix of 2 letters"] + \
        ["word or prefix of 3 or more letters"] * 3 + ["words finished with a space", "last word of 1 letter (whole word)",
                                                       "prefix of 2 letters", "words finished with a space"]


def test_percentile_reads_the_sorted_values():
    values = [float(value) for value in range(1, 11)]
    assert latency.percentile(values, 0.9) == 10.0
    assert latency.percentile(values, 0.5) == 6.0


def test_build_profile_splits_pages_into_render_and_write():
    profile = _load_script("build_profile")
    single = {"seconds": 20.0, "user": 18.0, "system": 2.0, "render": 8.0,
              "timings": {"read": 2.0, "plan": 0.5, "pages": 11.0, "assets": 0.1, "outputs": 6.5, "search": 3.0,
                          "exports": 3.0, "swap": 0.1}}
    usual = {"seconds": 12.0, "user": 19.0, "system": 2.5, "timings": {"read": 2.0, "pages": 9.0, "assets": 0.01}}
    lines = profile.table(single, usual).splitlines()
    assert lines[4] == "| render the pages with Jinja | 8.00 | 40 % |"
    assert lines[5] == "| write the pages (fingerprints, files) | 3.00 | 15 % |"
    assert lines[8] == "| assets, folder listing, caches and the swap | 0.70 | 4 % |"
    assert lines[9] == "| the whole build: wall-clock (CPU user + system) | 20.00 (20.0) | 100 % |"
    assert lines[-1].endswith("12.00 s wall-clock, 21.5 CPU seconds (19.0 user, 2.5 system); stages: read 2.0 s, pages 9.0 s.")


def test_benchmark_keeps_scratch_folders(tmp_path):
    run = _load_script("run")
    assert run.work_bytes_needed([1000, 10000], [3, 5]) == 53_000 * 200_000
    report = {"kept_work": True, "sizes": [], "machine": {"cores": 2}}
    kept_note = [line for line in run.notes(report) if "deleted" in line]
    assert kept_note[0].startswith("- Every run keeps its sites and content copies until the benchmark ends")
    report["kept_work"] = False
    deleted_note = [line for line in run.notes(report) if "deleted" in line]
    assert deleted_note[0].startswith("- There was too little free disk to keep every run's sites")
    work = tmp_path / "work"
    (work / "10000" / "run-1" / "site").mkdir(parents=True)
    run.remove_work(work)
    assert not work.exists()
    run.remove_work(work)  # nothing left to delete is not an error
