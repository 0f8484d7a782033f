"""Thesis records: the YAML byte round trip, ids, and validation messages that name file and line."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import ROOT
from shelfmark import records

SHIPPED = ROOT / "content" / "theses"


@pytest.fixture(scope="module")
def record_files() -> list[Path]:
    """The shipped records."""
    shipped = sorted(SHIPPED.glob("*.yaml"))
    assert len(shipped) == 10
    return shipped


def round_trip(text: str) -> str:
    return records.dump_record(records.parse_record(Path("x.yaml"), text).data)


# --- byte round trip ------------------------------------------------------------------------------------


def test_record_files_found(record_files):
    assert len(record_files) == 10


def test_record_files_round_trip(record_files):
    for path in record_files:
        text = path.read_text(encoding="utf-8")
        assert round_trip(text) == text, path.name


def test_record_files_validate(record_files):
    for path in record_files:
        errors, _ = records.validate_record(records.read_record(path))
        assert errors == [], path.name


def test_dump_key_order():
    text = records.dump_record({"title": "T", "id": "a-2020-t", "source": {}})
    keys = [line.split(":")[0] for line in text.splitlines() if line and not line.startswith((" ", "-"))]
    assert keys == list(records.FIELD_NAMES)


def test_dump_unknown_keys_last():
    record = records.empty_record("a-2020-t") | {"zeta": 1, "alpha": 2}
    text = records.dump_record(record)
    assert text.endswith("alpha: 2\nzeta: 1\n")


def test_dump_abstract_folded():
    record = records.empty_record("a-2020-t") | {"abstract": "One sentence. Another one."}
    assert "abstract: >-\n  One sentence. Another one.\n" in records.dump_record(record)


# Pieces that YAML treats specially, or that a naive writer breaks.
PIECES = [
    '"', "'", ": ", ":", "#", " #", " ", "  ", "\n", "\n\n", "\t", "null", "Null", "~", "yes", "no", "on", "- ", "-",
    "? ", "&anchor", "*alias", "!tag", "%", "@", "`", "|", ">", "{", "}", "[", "]", ",", "---", "...", "\\",
    "1e3", "0x1F", "2020-01-01", "12:30", "é", "Brøndum", "日本語", "x" * 150, "\u00a0", "\u2028",
]
TEXT = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=6)), max_size=10).map("".join)
NAME = st.lists(st.sampled_from(PIECES[:20] + ["Smith", "Groth, Katrina M"]), min_size=1, max_size=4).map("".join)
RECORDS = st.fixed_dictionaries({
    "title": TEXT,
    "authors": st.lists(NAME, max_size=3),
    "advisors": st.lists(NAME, max_size=3),
    "department": st.one_of(st.none(), TEXT),
    "publishers": st.lists(TEXT, max_size=2),
    "abstract": st.one_of(st.none(), TEXT),
    "abstract_complete": st.booleans(),
    "thumbnail": st.one_of(st.none(), st.booleans()),
    "printed": st.dictionaries(st.sampled_from(["authors", "advisors"]), st.lists(NAME, min_size=1, max_size=2)),
})


@settings(derandomize=True, max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(fields=RECORDS)
def test_generated_bytes_round_trip(fields):
    text = records.dump_record(records.empty_record("smith-2020-a") | fields)
    assert round_trip(text) == text


@settings(derandomize=True, max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(fields=RECORDS)
def test_generated_values_round_trip(fields):
    text = records.dump_record(records.empty_record("smith-2020-a") | fields)
    loaded = records.parse_record(Path("smith-2020-a.yaml"), text).data
    assert {name: loaded[name] for name in fields} == fields


@pytest.mark.parametrize("value", [
    "null", "yes", "- dash", "a: b # c", "  leading", "trailing  ", "first\n\nsecond", "\tTab", "日本語 and é",
    "x" * 200, "line\n  indented\nline",
])
def test_special_abstract_round_trip(value):
    text = records.dump_record(records.empty_record("smith-2020-a") | {"abstract": value})
    assert records.parse_record(Path("smith-2020-a.yaml"), text).data["abstract"] == value


# --- ids --------------------------------------------------------------------------------------------------


def test_id_family_year_four_words():
    assert records.make_id("Devaraj", 2024, "FROM PARTS TO WHOLE IN ACTION", set()) == "devaraj-2024-from-parts-to-whole"


def test_id_lower_ascii():
    assert records.make_id("Brøndum", 2023, "Ærø Łódź Straße", set()) == "brondum-2023-aero-lodz-strasse"


def test_id_apostrophe_joined():
    assert records.make_id("O'Brien", 2020, "Adolescents’ Late-Night Screens", set()) == \
        "obrien-2020-adolescents-late-night-screens"


def test_id_two_word_family():
    assert records.make_id("Tan Morales", 2025, "Sleep", set()) == "tan-morales-2025-sleep"


def test_id_without_year():
    assert records.make_id("Smith", None, "Title", set()) == "smith-nd-title"


def test_id_year_0023():
    assert records.make_id("Achterberg", 23, "Transcripts", set()) == "achterberg-0023-transcripts"


def test_id_unique_suffix():
    assert records.make_id("Smith", 2020, "Title", {"smith-2020-title"}) == "smith-2020-title-2"


def test_id_unique_suffix_three():
    taken = {"smith-2020-title", "smith-2020-title-2"}
    assert records.make_id("Smith", 2020, "Title", taken) == "smith-2020-title-3"


def test_id_max_length():
    title = "Understanding Improving Reliability Predictive Generative Models"
    assert len(records.make_id("Kattakinda-Seneviratne", 2024, title, set())) <= 60


def test_id_long_family_keeps_year():
    record_id = records.make_id("Wolfeschlegelsteinhausenbergerdorffwelchevoralternwarengewissenhaft", 2020, "Title", set())
    assert record_id == "wolfeschlegelsteinhausenbergerdorffwelchevora-2020-title"


def test_id_many_suffixes_max_length():
    taken: set[str] = set()
    for _ in range(120):
        taken.add(records.make_id("a" * 40, 2024, "Understands", taken))
    assert len(taken) == 120
    assert max(len(record_id) for record_id in taken) <= 60


def test_id_all_punctuation_title():
    assert records.make_id("Smith", 2020, "?!… — ***", set()) == "smith-2020-untitled"


def test_id_non_latin_title():
    assert records.make_id("Smith", 2020, "Путь домой 日本語", set()) == "smith-2020-untitled"


def test_id_non_latin_family():
    assert records.make_id("Иванов", 2020, "Title", set()) == "thesis-2020-title"


def test_id_dot_dot_title():
    assert records.make_id("..", 2020, "../../etc/passwd", set()) == "anonymous-2020-etc-passwd"


@pytest.mark.parametrize("reserved", sorted(records.RESERVED_IDS))
def test_id_error_reserved(reserved):
    assert records.id_error(reserved) == f"{reserved!r} is a reserved device name on Windows"


def test_id_never_reserved():
    assert records.make_id("", None, "", set()) not in records.RESERVED_IDS


@settings(derandomize=True, max_examples=300, deadline=None)
@given(family=st.one_of(st.none(), TEXT), year=st.one_of(st.none(), st.integers(0, 9999)), title=TEXT,
       taken=st.sets(st.sampled_from(["anonymous-nd-untitled", "anonymous-nd-untitled-2", "smith-2020-title"])))
def test_id_always_valid(tmp_path_factory, family, year, title, taken):
    record_id = records.make_id(family, year, title, taken)
    assert records.id_error(record_id) is None
    assert record_id not in taken
    folder = tmp_path_factory.getbasetemp() / "theses"
    assert (folder / f"{record_id}.yaml").resolve().parent == folder.resolve()


def test_match_key_ignores_case_and_accents():
    assert records.match_key("Café: Étude", "Brøndum, Helle", 2023) == records.match_key("CAFE ETUDE", "Brondum", 2023)


# --- validation -------------------------------------------------------------------------------------------

VALID = """\
id: smith-2020-a-title
title: A title
authors:
- Smith, John
date_issued: '2020'
"""


def validate(text: str, name: str = "smith-2020-a-title.yaml") -> tuple[list[str], list[str]]:
    return records.validate_record(records.parse_record(Path("theses") / name, text))


def test_valid_record_no_errors():
    assert validate(VALID) == ([], [])


def test_unknown_field_names_line():
    errors, _ = validate(VALID + "colour: blue\n")
    assert errors == [
        f"theses/smith-2020-a-title.yaml:6: unknown field 'colour'; known fields: {', '.join(records.FIELD_NAMES)}"
    ]


def test_wrong_type_list():
    errors, _ = validate(VALID.replace("authors:\n- Smith, John", "authors: Smith, John"))
    assert errors == ["theses/smith-2020-a-title.yaml:3: field 'authors': expected a list of strings, found a string"]


def test_wrong_type_bool():
    errors, _ = validate(VALID + "thumbnail: 'yes'\n")
    assert errors == ["theses/smith-2020-a-title.yaml:6: field 'thumbnail': expected true or false, found a string"]


def test_wrong_type_empty_author():
    errors, _ = validate(VALID.replace("- Smith, John", "- ''"))
    assert errors == [
        "theses/smith-2020-a-title.yaml:3: field 'authors': expected a list of strings, found a list holding a string"
    ]


def test_unquoted_year_hint():
    errors, _ = validate(VALID.replace("'2020'", "2020"))
    assert errors == [
        "theses/smith-2020-a-title.yaml:5: field 'date_issued': expected a string, found the number 2020; "
        "put the value in quotes: '2020'"
    ]


def test_unquoted_date_hint():
    errors, _ = validate(VALID.replace("'2020'", "2020-05-01"))
    assert errors == [
        "theses/smith-2020-a-title.yaml:5: field 'date_issued': expected a string, found the unquoted date "
        "2020-05-01; put the value in quotes: '2020-05-01'"
    ]


def test_impossible_date():
    errors, _ = validate(VALID.replace("'2020'", "'2023-02-30'"))
    assert errors == [
        "theses/smith-2020-a-title.yaml:5: field 'date_issued': impossible date '2023-02-30': "
        "day is out of range for month"
    ]


def test_date_not_iso():
    errors, _ = validate(VALID.replace("'2020'", "'20-Aug-2010'"))
    assert errors == [
        "theses/smith-2020-a-title.yaml:5: field 'date_issued': expected the ISO form '2010-08-20', found '20-Aug-2010'"
    ]


def test_implausible_date_warning():
    _, warnings = validate(VALID.replace("'2020'", "'0023-08-24'"))
    assert warnings == ["theses/smith-2020-a-title.yaml:5: implausible date '0023-08-24': year 0023 is before 1800"]


def test_name_split_at_comma_warning():
    text = VALID + "advisors: [Azarm, Shapour, Groth, Katrina M]\n"
    errors, warnings = validate(text)
    assert errors == []
    assert warnings == ["theses/smith-2020-a-title.yaml:6: field 'advisors': 'Azarm' and 'Shapour', 'Groth' and "
                        "'Katrina M' look like names split at their commas; quote each name, as in "
                        "[\"Azarm, Shapour\", \"Groth, Katrina M\"]"]


def test_one_name_split_among_whole_names():
    _, warnings = validate(VALID + 'advisors: ["Weiner, Matthew", Chellappa, Rama, "Czaja, Wojciech"]\n')
    assert warnings == ["theses/smith-2020-a-title.yaml:6: field 'advisors': 'Chellappa' and 'Rama' look like one name "
                        "split at its comma; quote each name, as in "
                        "[\"Weiner, Matthew\", \"Chellappa, Rama\", \"Czaja, Wojciech\"]"]


def test_quoted_names_no_warning():
    _, warnings = validate(VALID + 'advisors: ["Azarm, Shapour", "Groth, Katrina M"]\n')
    assert warnings == []


def test_id_not_file_name():
    errors, _ = validate(VALID, name="other.yaml")
    assert errors == [
        "theses/other.yaml:1: field 'id' is 'smith-2020-a-title' but the file is named 'other.yaml'; they must match"
    ]


def test_invalid_id():
    errors, _ = validate(VALID.replace("id: smith-2020-a-title", "id: Smith_2020"), name="Smith_2020.yaml")
    assert errors == [
        "theses/Smith_2020.yaml:1: field 'id': 'Smith_2020' is not a valid id: use lower-case letters, digits "
        "and single hyphens"
    ]


def test_missing_title():
    errors, _ = validate(VALID.replace("title: A title\n", ""))
    assert errors == ["theses/smith-2020-a-title.yaml: missing required field 'title'"]


def test_unknown_roles_rule():
    errors, _ = validate(VALID + "roles: advisors-first\n")
    assert errors == [
        "theses/smith-2020-a-title.yaml:6: field 'roles': expected department, first-author or all-authors, "
        "found 'advisors-first'"
    ]


def test_all_problems_at_once():
    text = VALID.replace("'2020'", "'2023-02-30'").replace("- Smith, John", "- 7") + "colour: blue\nthumbnail: 2\n"
    errors, _ = validate(text, name="other.yaml")
    assert errors == [
        f"theses/other.yaml:6: unknown field 'colour'; known fields: {', '.join(records.FIELD_NAMES)}",
        "theses/other.yaml:3: field 'authors': expected a list of strings, found a list holding the number 7",
        "theses/other.yaml:7: field 'thumbnail': expected true or false, found the number 2",
        "theses/other.yaml:1: field 'id' is 'smith-2020-a-title' but the file is named 'other.yaml'; they must match",
        "theses/other.yaml:5: field 'date_issued': impossible date '2023-02-30': day is out of range for month",
    ]


# --- reading -------------------------------------------------------------------------------------------------


def test_syntax_error_line():
    with pytest.raises(records.RecordSyntaxError) as raised:
        records.parse_record(Path("a.yaml"), "id: a\ntitle: [unclosed\n")
    assert str(raised.value) == "a.yaml:3: invalid YAML: did not find expected ',' or ']'"


def test_unclosed_quote_reports_its_line():
    with pytest.raises(records.RecordSyntaxError) as raised:
        records.parse_record(Path("a.yaml"), 'id: a\ntitle: "unclosed\nabstract: x\nsubjects: []\n')
    assert str(raised.value) == ("a.yaml:2: invalid YAML: found unexpected end of stream on line 5, "
                                 "while scanning a quoted scalar that starts on this line")


def test_missing_colon_reports_key_line():
    with pytest.raises(records.RecordSyntaxError) as raised:
        records.parse_record(Path("a.yaml"), "id: a\ntitle: T\ndepartment Physics\nabstract: x\n")
    assert str(raised.value) == ("a.yaml:3: invalid YAML: could not find expected ':' on line 4, "
                                 "while scanning a simple key that starts on this line")


def test_duplicate_key_names_both_lines():
    with pytest.raises(records.RecordSyntaxError) as raised:
        records.parse_record(Path("a.yaml"), "id: a\ntitle: T\nid: b\n")
    assert str(raised.value) == "a.yaml:3: field 'id' appears twice (lines 1 and 3); keep one of them"


def test_empty_file():
    with pytest.raises(records.RecordSyntaxError) as raised:
        records.parse_record(Path("a.yaml"), "")
    assert str(raised.value) == "a.yaml: the file is empty; expected a mapping of record fields"


def test_not_a_mapping():
    with pytest.raises(records.RecordSyntaxError) as raised:
        records.parse_record(Path("a.yaml"), "- a\n- b\n")
    assert str(raised.value) == "a.yaml:1: expected a mapping of record fields"


def test_python_tag_rejected():
    with pytest.raises(records.RecordSyntaxError) as raised:
        records.parse_record(Path("a.yaml"), "id: !!python/object/apply:os.getcwd []\n")
    assert str(raised.value).startswith("a.yaml:1: invalid YAML: could not determine a constructor")


def test_not_utf8(tmp_path):
    path = tmp_path / "a.yaml"
    path.write_bytes(b"id: a\ntitle: caf\xe9\n")
    with pytest.raises(records.RecordSyntaxError) as raised:
        records.read_record(path)
    assert str(raised.value) == f"{path}: not UTF-8 (byte 16); save the record as UTF-8"
