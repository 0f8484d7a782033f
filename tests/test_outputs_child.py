"""The search index and exports made in a child process give the same site, errors and warnings."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

import pytest

from shelfmark import exports
from shelfmark.builder import BuildOptions, build_site

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"


def tree(folder: Path) -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in sorted(folder.rglob("*")) if path.is_file()}


def build(out: Path, in_child: bool, content: Path = CONTENT):
    return build_site(BuildOptions(content=content, out=out, outputs_in_child=in_child, use_cache=False))


def test_child_gives_same_bytes(tmp_path):
    build(tmp_path / "inline", in_child=False)
    build(tmp_path / "child", in_child=True)
    assert tree(tmp_path / "child") == tree(tmp_path / "inline")


def test_child_counts_every_file(tmp_path):
    inline = build(tmp_path / "inline", in_child=False)
    child = build(tmp_path / "child", in_child=True)
    assert (child.files, child.written) == (inline.files, inline.written)


def test_child_timings_reported(tmp_path):
    result = build(tmp_path / "child", in_child=True)
    assert {"search", "exports"} <= set(result.timings)


def test_child_warning_reaches_the_build(tmp_path, caplog):
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    with open(content / "site.yaml", "a", encoding="utf-8") as stream:
        stream.write("search:\n  budget_kb: 1\n")
    with caplog.at_level(logging.WARNING, logger="shelfmark"):
        build(tmp_path / "site", in_child=True, content=content)
    assert [r.message for r in caplog.records if "over the budget of 1 KB" in r.message] != []


def test_child_error_leaves_previous_site(tmp_path, monkeypatch):
    out = tmp_path / "site"
    build(out, in_child=True)
    before = tree(out)

    def broken(collection, config, profile, sink):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(exports, "write_outputs", broken)
    with pytest.raises(OSError, match="No space left on device"):
        build(out, in_child=True)
    assert tree(out) == before
    assert list(tmp_path.glob(".site.staging-*")) == []
