"""The benchmark corpus generator (bench/generate.py): deterministic, valid records, a site that builds."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from shelfmark import records
from shelfmark.builder import BuildOptions, build_site
from shelfmark.ingest import IngestOptions, ingest

ROOT = Path(__file__).resolve().parent.parent
COUNT = 50


def _load_generator():
    spec = importlib.util.spec_from_file_location("bench_generate", ROOT / "bench" / "generate.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the file runs
    spec.loader.exec_module(module)
    return module


generator = _load_generator()


def _files(folder: Path) -> dict[str, bytes]:
    return {str(path.relative_to(folder)): path.read_bytes() for path in sorted(folder.rglob("*")) if path.is_file()}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("corpus")
    generator.generate(COUNT, seed=7, out=out, listings=True, page_size=10)
    return out


def test_same_seed_gives_same_bytes(corpus, tmp_path):
    again = tmp_path / "again"
    again.mkdir()
    generator.generate(COUNT, seed=7, out=again, listings=True, page_size=10)
    first, second = _files(corpus), _files(again)
    assert sorted(first) == sorted(second)
    for name in first:
        assert first[name] == second[name], name


def test_other_seed_gives_other_records(corpus, tmp_path):
    other = tmp_path / "other"
    other.mkdir()
    generator.generate(COUNT, seed=8, out=other)
    assert _files(other / "theses") != _files(corpus / "theses")


def test_writes_requested_count(corpus):
    assert len(list((corpus / "theses").glob("*.yaml"))) == COUNT
    assert len(list((corpus / "listings").glob("*.txt"))) == COUNT // 10


def test_every_record_validates(corpus):
    for path in sorted((corpus / "theses").glob("*.yaml")):
        loaded = records.read_record(path)
        errors, warnings = records.validate_record(loaded)
        assert errors == [], path.name
        assert warnings == [], path.name


def test_records_round_trip_byte_for_byte(corpus):
    for path in sorted((corpus / "theses").glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        assert records.dump_record(records.parse_record(path, text).data) == text, path.name


def test_digests_match_source_fields(corpus):
    for path in sorted((corpus / "theses").glob("*.yaml")):
        data = records.read_record(path).data
        digests = data["source"]["digests"]
        assert "subjects" not in digests, path.name
        for name, value in digests.items():
            assert records.digest(data[name]) == value, f"{path.name}: {name}"


def test_listings_ingest_to_same_records(corpus, tmp_path):
    report = ingest([corpus / "listings"], tmp_path, IngestOptions())
    assert report.total("created") == COUNT
    assert report.total("skipped") == 0
    ingested = _files(tmp_path / "theses")
    assert sorted(ingested) == sorted(_files(corpus / "theses"))
    for name, data in ingested.items():
        generated = records.read_record(corpus / "theses" / name).data
        generated["subjects"] = []  # a text listing carries no subjects; the generator adds them
        assert records.dump_record(generated) == data.decode("utf-8"), name
    assert (tmp_path / "collection.yaml").read_bytes() == (corpus / "collection.yaml").read_bytes()


def test_departments_read_as_departments():
    for name in generator.DEPARTMENTS:
        generator.check_department(name)


def test_vocabulary_without_word_list():
    vocabulary, source = generator.build_vocabulary(generator.random.Random(1), use_dictionary=False)
    assert source == "syllables (no word list)"
    assert len(vocabulary) == generator.VOCABULARY_SIZE
    assert len(set(vocabulary)) == len(vocabulary)


def test_build_succeeds(corpus, tmp_path):
    result = build_site(BuildOptions(corpus, tmp_path / "site"))
    assert result.theses == COUNT
    assert result.thesis_pages == COUNT
    assert (tmp_path / "site" / "index.html").is_file()
