"""The search latency benchmark's query states (bench/search_latency.py): what a user types, key by key."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _load_script():
    spec = importlib.util.spec_from_file_location("bench_search_latency", ROOT / "bench" / "search_latency.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


latency = _load_script()


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
