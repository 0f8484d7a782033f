"""Run the Node tests of the search page (tests/node/) on freshly built sites, so that pytest runs them too."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from test_search_corpus import lunr_serialisation, write_search_sites

from shelfmark.builder import BuildOptions, build_site, read_inputs

ROOT = Path(__file__).resolve().parent.parent
NODE_TESTS = ROOT / "tests" / "node"
NAMES_CONTENT = NODE_TESTS / "fixtures" / "names"

pytestmark = pytest.mark.node


def _unavailable(message: str) -> None:
    """Skip when a tool is missing, but fail when $CI is set: CI must run every test."""
    if os.environ.get("CI", "").lower() not in ("", "0", "false", "no"):
        pytest.fail(f"{message} (CI is set, so this is an error, not a skip)", pytrace=False)
    pytest.skip(message)


def test_node_search_tests(tmp_path):
    node = shutil.which("node")
    if node is None:
        _unavailable("node not found: install Node.js 20 (apt-get install -y nodejs)")

    shipped = tmp_path / "site"
    names = tmp_path / "names"
    build_site(BuildOptions(content=ROOT / "content", out=shipped, profile="hosted"))
    build_site(BuildOptions(content=NAMES_CONTENT, out=names, profile="hosted"))
    # lunr.py's own serialisation of the shipped index, which the compact form must expand to.
    expected = tmp_path / "lunr-index.json"
    expected.write_text(json.dumps(lunr_serialisation(read_inputs(ROOT / "content")[1])), encoding="utf-8")
    # A generated collection of 2,500 theses, in one file and in shards, with a table of queries.
    shard_sites = tmp_path / "shards"
    write_search_sites(shard_sites, 2500, 7)

    environment = dict(os.environ, SHELFMARK_SITE=str(shipped), SHELFMARK_NAMES_SITE=str(names),
                       SHELFMARK_LUNR_JSON=str(expected), SHELFMARK_SHARD_SITES=str(shard_sites))
    result = subprocess.run([node, "--test", str(NODE_TESTS)], cwd=ROOT, env=environment,
                            capture_output=True, text=True, timeout=300)
    summary = "\n".join(line for line in result.stdout.splitlines() if line.startswith("# "))
    assert result.returncode == 0, f"node --test failed:\n{result.stdout[-20000:]}\n{result.stderr[-5000:]}"
    assert "# fail 0" in summary
    assert "# skipped 0" in summary, summary
