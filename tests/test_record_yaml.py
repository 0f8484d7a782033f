"""The fast record reader (shelfmark/record_yaml.py) gives PyYAML's values, or leaves the file to PyYAML."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import ROOT
from shelfmark import record_yaml, records

PROPERTY = settings(derandomize=True, max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def pyyaml(text: str) -> tuple[dict, dict[str, int]]:
    """The values and top-level key lines as PyYAML reads them."""
    loader = records.Loader(text)
    try:
        node = loader.get_single_node()
        lines = {key.value: key.start_mark.line + 1 for key, _ in node.value}
        return loader.construct_document(node), lines
    finally:
        loader.dispose()


def typed(value):
    """The value with the type of every scalar, so 1 and True and "1" differ."""
    if isinstance(value, dict):
        return {key: typed(item) for key, item in value.items()}
    if isinstance(value, list):
        return [typed(item) for item in value]
    return type(value).__name__, value


def assert_agrees(text: str) -> bool:
    """Assert that the fast reader gives what PyYAML gives, unless it declines; return whether it read the text."""
    quick = record_yaml.read(text)
    if quick is None:
        return False
    data, lines = pyyaml(text)
    assert typed(quick[0]) == typed(data)
    assert quick[1] == lines
    return True


def assert_agrees_or_fails_both(text: str) -> None:
    """Assert that the fast reader declines text PyYAML rejects (PyYAML reports the error, with its line), else agrees."""
    try:
        yaml.load(text, Loader=records.Loader)
    except yaml.YAMLError:
        assert record_yaml.read(text) is None
        return
    assert_agrees(text)


# --- records as the tool writes them ---------------------------------------------------------------


def test_shipped_records_take_the_fast_path():
    paths = sorted((ROOT / "content" / "theses").glob("*.yaml"))
    assert len(paths) == 10
    assert [assert_agrees(path.read_text(encoding="utf-8")) for path in paths] == [True] * 10


def test_fixture_records_agree_or_are_declined():
    paths = sorted((ROOT / "tests").rglob("*.yaml"))
    assert len(paths) >= 8
    read = [assert_agrees(path.read_text(encoding="utf-8")) for path in paths]
    assert sum(read) >= len(paths) - 1  # a site.yaml with a comment is declined


# Values that YAML reads as something other than the plain string, or that need quoting or folding.
PIECES = [
    '"', "'", "''", ": ", ":", "#", " #", " ", "  ", "\n", "\n\n", "\t", "null", "NULL", "~", "yes", "No", "on",
    "true", "False", "- ", "-", "? ", "&a", "*a", "!t", "%", "@", "`", "|", ">", "{", "}", "[", "]", ",", "---",
    "...", "\\", "1e3", "0x1F", "012", "7", "1_000", "2020-01-01", "12:30", ".5", "+1", "é", "Brøndum", "日本語",
    "x" * 95, "\u00a0", "\u2028", "\x85", "\ufeff",
]
TEXT = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=8)), max_size=12).map("".join)
SCALAR = st.one_of(TEXT, st.none(), st.booleans(), st.integers(min_value=-5, max_value=10 ** 12))
RECORD = st.fixed_dictionaries({
    "title": TEXT,
    "authors": st.lists(TEXT, max_size=3),
    "department": SCALAR,
    "date_issued": SCALAR,
    "subjects": st.lists(TEXT, max_size=3),
    "abstract": st.one_of(st.none(), TEXT, st.lists(TEXT, min_size=1, max_size=4).map("\n\n".join)),
    "abstract_complete": st.booleans(),
    "printed": st.dictionaries(st.sampled_from(["authors", "title"]), st.one_of(TEXT, st.lists(TEXT, max_size=2))),
    "source": st.fixed_dictionaries({"file": TEXT, "position": st.integers(min_value=0, max_value=999),
                                     "digests": st.dictionaries(st.sampled_from(["title", "abstract"]), TEXT)}),
})


@PROPERTY
@given(fields=RECORD)
def test_written_records_agree(fields):
    assert_agrees(records.dump_record(records.empty_record("smith-2020-a") | fields))


def test_plain_records_are_read_by_the_fast_path():
    record = records.empty_record("smith-2020-a") | {
        "title": "A study: of the long title that the writer has to fold over two lines, or even three, it goes on",
        "authors": ["Smith, Jane", "O'Brien, Pat"], "date_issued": "2020", "abstract": "One.\n\nTwo three.",
        "source": {"file": "000_fb90645d63e332b6.txt", "position": 9, "digests": {"title": "2dbd4118430b"}},
    }
    text = records.dump_record(record)
    assert "\n  " in text.split("authors:")[0]  # the title did fold
    assert assert_agrees(text)
    assert record_yaml.read(text)[0] == record


# --- records edited by hand ------------------------------------------------------------------------------


BASE = records.dump_record(records.empty_record("smith-2020-a") | {
    "title": "Wavefront shaping in a fibre", "authors": ["Smith, Jane"], "abstract": "One line.\n\nAnother one.",
    "source": {"file": "page.txt", "position": 3},
})


@pytest.mark.parametrize("edit, fast", [
    (lambda text: text.replace("title: Wavefront", "title:    Wavefront"), True),
    (lambda text: text.replace("title: Wavefront shaping in a fibre", "title: Wavefront shaping  \n  in a fibre"), True),
    (lambda text: text.replace("- Smith, Jane", "- Smith, Jane\n- Doe, John"), True),
    (lambda text: text + "\n\n", True),
    (lambda text: text.replace("title: Wavefront shaping in a fibre", "title: Wavefront # a comment"), False),
    (lambda text: "# a comment\n" + text, False),
    (lambda text: text.replace("- Smith, Jane", "  - Smith, Jane"), False),
    (lambda text: text.replace("authors:\n- Smith, Jane", "authors: [Smith, Jane]"), False),
    (lambda text: text.replace("title: Wavefront shaping in a fibre", 'title: "Wavefront\\tshaping"'), False),
    (lambda text: text.replace("date_issued: null", "date_issued: 2020-05-01"), False),
    (lambda text: text.replace("date_issued: null", "date_issued: 2020"), True),
    (lambda text: text.replace("thumbnail: null", "thumbnail: yes"), False),
    (lambda text: text.replace("thumbnail: null", "thumbnail: ~"), False),
    (lambda text: text.replace("abstract: >-", "abstract: |"), False),
    (lambda text: text.replace("abstract: >-\n", "abstract: >-\n\n"), False),
    (lambda text: text.replace("  One line.\n\n\n  Another one.", "    One line.\n\n\n    Another one."), True),
    (lambda text: text.replace("  One line.", "    One line."), False),
    (lambda text: text.replace("\n  Another one.", "\n    indented more\n  Another one."), False),
    (lambda text: text.replace("\n", "\r\n"), False),
    (lambda text: "\ufeff" + text, False),
    (lambda text: text.replace("title: Wavefront", "title: &t Wavefront"), False),
    (lambda text: text.replace("title: Wavefront shaping in a fibre", "title: 'Wavefront '' shaping\n  on two lines'"), True),
    (lambda text: text + "title: again\n", False),
    (lambda text: text.replace("  position: 3", "  position: 03"), False),
    (lambda text: text.replace("  position: 3", "   position: 3"), False),
])
def test_hand_edits_agree_or_are_declined(edit, fast):
    text = edit(BASE)
    assert text != BASE
    assert assert_agrees(text) is fast


def test_declined_text_still_loads_through_pyyaml():
    text = BASE.replace("title: Wavefront shaping in a fibre", "title: Wavefront # a comment")
    loaded = records.parse_record(Path("smith-2020-a.yaml"), text)
    assert loaded.data["title"] == "Wavefront"
    assert loaded.lines["title"] == 2


def test_duplicate_keys_are_left_to_the_pyyaml_error():
    last = BASE.count("\n") + 1
    with pytest.raises(records.RecordSyntaxError, match=rf"field 'title' appears twice \(lines 2 and {last}\)"):
        records.parse_record(Path("x.yaml"), BASE + "title: again\n")


LINE_EDITS = st.lists(st.tuples(st.integers(min_value=0, max_value=40),
                                st.sampled_from(["", " ", "  ", "#", "- ", "x: ", ": ", "'", "''", "\"", ">-", "[]", "{}",
                                                 "null", "yes", "12", "a", "é", "\n", "\n\n", "  - b"])),
                      min_size=1, max_size=4)


@PROPERTY
@given(edits=LINE_EDITS)
def test_edited_lines_agree_or_are_declined(edits):
    lines = BASE.split("\n")
    for number, piece in edits:
        number %= len(lines)
        cut = len(lines[number]) // 2
        lines[number] = lines[number][:cut] + piece + lines[number][cut:]
    assert_agrees_or_fails_both("\n".join(lines))


RAW_VALUE = st.lists(st.one_of(st.sampled_from(PIECES), st.text(alphabet="ab &*!:#-'\"0123456789.", max_size=5)),
                     max_size=6).map("".join)


@PROPERTY
@given(value=RAW_VALUE, item=RAW_VALUE)
def test_values_typed_by_hand_agree_or_are_declined(value, item):
    text = BASE.replace("title: Wavefront shaping in a fibre", f"title: {value}").replace("- Smith, Jane", f"- {item}")
    assert_agrees_or_fails_both(text)


@PROPERTY
@given(lines=st.integers(min_value=1, max_value=28), item=RAW_VALUE)
def test_records_cut_short_agree_or_are_declined(lines, item):
    text = "\n".join(BASE.replace("- Smith, Jane", f"- Smith, Jane\n- {item}").split("\n")[:lines]) + "\n"
    assert_agrees_or_fails_both(text)


def test_reader_list_at_end_of_file():
    assert record_yaml.read("id: lee-2021-x\nauthors:\n- Lee, Ann\n") == (
        {"id": "lee-2021-x", "authors": ["Lee, Ann"]}, {"id": 1, "authors": 2})
