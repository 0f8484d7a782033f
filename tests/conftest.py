"""Shared paths and helpers for the ingest tests."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import settings
from hypothesis.configuration import set_hypothesis_home_dir

from shelfmark import records
from shelfmark.ingest import IngestOptions, IngestReport, ingest

ROOT = Path(__file__).resolve().parent.parent
# The shipped listing page: a DRUM search-result page copied as text, ten theses of 22.
SEED = ROOT / "content" / "listings" / "000_fb90645d63e332b6.txt"
CORPUS = Path(__file__).resolve().parent / "fixtures" / "corpus" / "text"


# No example database: the property tests are derandomized, so a database would only add files.
settings.register_profile("shelfmark", database=None)
settings.load_profile("shelfmark")


_hypothesis_home: Path | None = None


def pytest_configure(config):
    """Keep Hypothesis's caches out of the working tree.

    Hypothesis's pytest plugin caches constants of the code under test while pytest collects, before any
    fixture runs, in .hypothesis/ of the working directory unless given another folder.
    """
    global _hypothesis_home
    _hypothesis_home = Path(tempfile.mkdtemp(prefix="shelfmark-hypothesis-"))
    set_hypothesis_home_dir(_hypothesis_home)


def pytest_unconfigure(config):
    if _hypothesis_home is not None:
        shutil.rmtree(_hypothesis_home, ignore_errors=True)


def run_ingest(paths: list[Path], content: Path, **options) -> IngestReport:
    """Ingest `paths` into `content` with IngestOptions built from keyword arguments."""
    return ingest(list(paths), content, IngestOptions(**options))


def load_records(content: Path) -> dict[str, dict]:
    """Every record in content/theses, by id."""
    folder = content / "theses"
    return {path.stem: records.read_record(path).data for path in sorted(folder.glob("*.yaml"))}


def snapshot(folder: Path) -> dict[str, bytes]:
    """The bytes of every file under `folder`, by relative path."""
    return {str(path.relative_to(folder)): path.read_bytes() for path in sorted(folder.rglob("*")) if path.is_file()}


def write_page(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8", newline="")
    return path


@pytest.fixture
def content(tmp_path: Path) -> Path:
    """An empty content folder."""
    folder = tmp_path / "content"
    (folder / "theses").mkdir(parents=True)
    return folder


@pytest.fixture
def inputs(tmp_path: Path) -> Path:
    """A folder for listing pages a test writes."""
    folder = tmp_path / "inputs"
    folder.mkdir()
    return folder


@pytest.fixture
def seeded(content: Path) -> Path:
    """A content folder holding the ten records made from the shipped listing page."""
    run_ingest([SEED], content)
    return content


@pytest.fixture
def seed_copy(inputs: Path) -> Path:
    """A copy of the shipped listing page that a test may change."""
    path = inputs / SEED.name
    shutil.copyfile(SEED, path)
    return path
