"""Bad records, pages, people and scope files: each problem names the file, line and field, then one failure."""

from __future__ import annotations

from pathlib import Path

import pytest

from shelfmark import cli
from shelfmark.builder import BuildFailed
from site_helpers import build, copy_content, empty_content, tree_digests, write_record

GOOD = "id: {id}\ntitle: A title\nauthors:\n- Lee, Ann\ndate_issued: '2021'\n"


def problems(content: Path) -> list[str]:
    with pytest.raises(BuildFailed) as raised:
        build(content, content.parent / "site")
    return raised.value.problems


def record_file(content: Path, name: str, text: str) -> Path:
    path = content / "theses" / f"{name}.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def content(tmp_path) -> Path:
    return empty_content(tmp_path)


# --- records ----------------------------------------------------------------------------------------


def test_record_missing_title(content):
    path = record_file(content, "lee-2021-x", "id: lee-2021-x\nauthors:\n- Lee, Ann\n")
    assert problems(content) == [f"{path}: missing required field 'title'"]


def test_record_title_wrong_type(content):
    path = record_file(content, "lee-2021-x", "id: lee-2021-x\ntitle: 1984\n")
    [problem] = problems(content)
    assert problem.startswith(f"{path}:2: field 'title': expected a string, found the number 1984")


def test_record_authors_wrong_type(content):
    path = record_file(content, "lee-2021-x", "id: lee-2021-x\ntitle: T\nauthors: Lee, Ann\n")
    assert problems(content) == [f"{path}:3: field 'authors': expected a list of strings, found a string"]


def test_record_flag_wrong_type(content):
    path = record_file(content, "lee-2021-x", "id: lee-2021-x\ntitle: T\nabstract_complete: mostly\n")
    assert problems(content) == [f"{path}:3: field 'abstract_complete': expected true or false, found a string"]


def test_record_impossible_date(content):
    path = record_file(content, "lee-2021-x", GOOD.format(id="lee-2021-x").replace("'2021'", "'2023-02-30'"))
    [problem] = problems(content)
    assert problem.startswith(f"{path}:5: field 'date_issued': impossible date '2023-02-30'")


def test_record_date_not_a_date(content):
    path = record_file(content, "lee-2021-x", GOOD.format(id="lee-2021-x").replace("'2021'", "spring"))
    [problem] = problems(content)
    assert problem.startswith(f"{path}:5: field 'date_issued': not a date: 'spring'")


def test_record_id_must_match_file(content):
    path = record_file(content, "lee-2021-x", GOOD.format(id="lee-2021-y"))
    assert problems(content) == [
        f"{path}:1: field 'id' is 'lee-2021-y' but the file is named 'lee-2021-x.yaml'; they must match"
    ]


def test_record_duplicate_id(content):
    record_file(content, "lee-2021-x", GOOD.format(id="lee-2021-x"))
    copy = record_file(content, "lee-2021-x-copy", GOOD.format(id="lee-2021-x"))
    [problem] = problems(content)
    assert problem.startswith(f"{copy}:1: field 'id' is 'lee-2021-x'")


def test_record_unknown_field(content):
    path = record_file(content, "lee-2021-x", GOOD.format(id="lee-2021-x") + "colour: red\n")
    [problem] = problems(content)
    assert problem.startswith(f"{path}:6: unknown field 'colour'; known fields: id, title,")


def test_record_syntax_error_line(content):
    path = record_file(content, "lee-2021-x", GOOD.format(id="lee-2021-x") + "subjects: [unclosed\n")
    assert problems(content) == [f"{path}:7: invalid YAML: did not find expected ',' or ']'"]


def test_record_not_utf8(content):
    path = content / "theses" / "lee-2021-x.yaml"
    path.write_bytes((GOOD.format(id="lee-2021-x") + "abstract: Thèse\n").encode("latin-1"))
    [problem] = problems(content)
    assert problem.startswith(f"{path}: not UTF-8")


def test_record_object_tag_rejected(content, tmp_path):
    marker = tmp_path / "made-by-yaml"
    path = record_file(content, "lee-2021-x",
                       GOOD.format(id="lee-2021-x") + f"abstract: !!python/object/apply:os.mkdir ['{marker}']\n")
    [problem] = problems(content)
    assert problem.startswith(f"{path}:6: invalid YAML: could not determine a constructor for the tag")


def test_record_object_tag_not_run(content, tmp_path):
    marker = tmp_path / "made-by-yaml"
    record_file(content, "lee-2021-x", GOOD.format(id="lee-2021-x") + f"abstract: !!python/object/apply:os.mkdir ['{marker}']\n")
    problems(content)
    assert not marker.exists()


def test_record_empty_file(content):
    path = record_file(content, "lee-2021-x", "")
    assert problems(content) == [f"{path}: the file is empty; expected a mapping of record fields"]


def test_record_javascript_handle(content):
    path = record_file(content, "lee-2021-x", GOOD.format(id="lee-2021-x") + "handle: javascript:alert(1)\n")
    assert problems(content) == [f"{path}:6: field 'handle': expected an http or https URL, found 'javascript:alert(1)'"]


def test_record_data_url_pdf(content):
    path = record_file(content, "lee-2021-x", GOOD.format(id="lee-2021-x") + "pdf_url: 'data:text/html,<b>x</b>'\n")
    assert problems(content) == [f"{path}:6: field 'pdf_url': expected an http or https URL, found 'data:text/html,<b>x</b>'"]


def test_every_record_problem_at_once(content):
    first = record_file(content, "a-2021-x", "id: a-2021-x\n")
    second = record_file(content, "b-2021-x", GOOD.format(id="b-2021-x") + "colour: red\n")
    third = record_file(content, "c-2021-x", GOOD.format(id="c-2021-x").replace("'2021'", "'2021-13'"))
    found = problems(content)
    assert [problem.split(":", 1)[0] for problem in found] == [str(first), str(second), str(third)]


def test_record_and_config_problems_together(content):
    (content / "site.yaml").write_text("page_size: none\n", encoding="utf-8")
    record_file(content, "a-2021-x", "id: a-2021-x\n")
    assert len(problems(content)) == 2


# --- Markdown pages ---------------------------------------------------------------------------------


def page_file(content: Path, text: str, name: str = "about.md") -> Path:
    (content / "pages").mkdir(exist_ok=True)
    path = content / "pages" / name
    path.write_text(text, encoding="utf-8")
    return path


def test_page_front_matter_syntax_error(content):
    path = page_file(content, "---\ntitle: About\nmenu: [1\n---\nText.\n")
    [problem] = problems(content)
    assert problem.startswith(f"{path}:4: invalid front matter:")


def test_page_menu_not_a_number(content):
    path = page_file(content, "---\ntitle: About\nmenu: first\n---\nText.\n")
    assert problems(content) == [f"{path}:3: 'menu' must be a whole number (its place in the menu), found 'first'"]


def test_page_unknown_front_matter_key(content):
    path = page_file(content, "---\ntitle: About\nlayout: wide\n---\nText.\n")
    assert problems(content) == [f"{path}:3: unknown front matter key 'layout'; expected title, menu, slug"]


def test_page_missing_title(content):
    path = page_file(content, "---\nmenu: 1\n---\nText.\n")
    assert problems(content) == [f"{path}:1: missing 'title' in the front matter (--- title: About --- at the top)"]


def test_page_without_front_matter(content):
    path = page_file(content, "# About\n\nText.\n")
    assert problems(content) == [f"{path}:1: missing 'title' in the front matter (--- title: About --- at the top)"]


def test_page_bad_slug(content):
    path = page_file(content, "---\ntitle: About\nslug: ../up\n---\nText.\n")
    assert problems(content) == [f"{path}:3: 'slug' '../up' is not valid: use lower-case letters, digits and hyphens"]


def test_page_not_utf8(content):
    (content / "pages").mkdir()
    path = content / "pages" / "about.md"
    path.write_bytes("---\ntitle: À propos\n---\n".encode("latin-1"))
    assert problems(content) == [f"{path}: not UTF-8 (byte 11); save the page as UTF-8"]


def test_page_object_tag_rejected(content):
    path = page_file(content, "---\ntitle: !!python/object/apply:os.getcwd []\n---\nText.\n")
    assert problems(content) == [
        f"{path}:2: invalid front matter: could not determine a constructor for the tag '!!python/object/apply:os.getcwd'"
    ]


# --- people.yaml and collection.yaml ----------------------------------------------------------------


def test_people_not_utf8(content):
    (content / "people.yaml").write_bytes("aliases:\n  'Müller, A': 'Mueller, A'\n".encode("latin-1"))
    assert problems(content) == [f"{content / 'people.yaml'}: not UTF-8 (byte 13); save the file as UTF-8"]


def test_people_syntax_error(content):
    (content / "people.yaml").write_text("aliases:\n  'Lee, A: 'Lee, Ann'\n", encoding="utf-8")
    [problem] = problems(content)
    assert problem.startswith(f"{content / 'people.yaml'}:2: invalid YAML:")


def test_people_alias_chain(content):
    (content / "people.yaml").write_text("aliases:\n  'Lee, A': 'Lee, An'\n  'Lee, An': 'Lee, Ann'\n", encoding="utf-8")
    assert problems(content) == [
        f"{content / 'people.yaml'}: alias chain: 'Lee, A' maps to 'Lee, An', which is itself mapped; map both to the final name"
    ]


def test_people_not_a_mapping(content):
    (content / "people.yaml").write_text("- Lee, A\n", encoding="utf-8")
    assert problems(content) == [
        f"{content / 'people.yaml'}: expected 'aliases:' mapping each name variant to one name, both strings"
    ]


def test_scopes_not_a_list(content):
    (content / "collection.yaml").write_text("scopes: 5\n", encoding="utf-8")
    assert problems(content) == [
        f"{content / 'collection.yaml'}: expected 'scopes:' holding a list of scopes, each a mapping of name, kind, "
        "handle, description, announced_total, pages_harvested, items_missing"
    ]


def test_scope_total_not_a_number(content):
    (content / "collection.yaml").write_text("scopes:\n- name: X\n  announced_total: many\n", encoding="utf-8")
    assert problems(content) == [
        f"{content / 'collection.yaml'}: scope 1: field 'announced_total': expected a whole number, found 'many'"
    ]


def test_scope_javascript_handle(content):
    (content / "collection.yaml").write_text("scopes:\n- name: X\n  handle: javascript:alert(1)\n", encoding="utf-8")
    assert problems(content) == [
        f"{content / 'collection.yaml'}: scope 1: field 'handle': expected an http or https URL, found 'javascript:alert(1)'"
    ]


def test_scopes_syntax_error_line(content):
    (content / "collection.yaml").write_text("scopes:\n- name: [X\n", encoding="utf-8")
    [problem] = problems(content)
    assert problem.startswith(f"{content / 'collection.yaml'}:3: invalid YAML:")


# --- through the command line -------------------------------------------------------------------------


@pytest.fixture
def bad_records(tmp_path) -> tuple[Path, Path, dict[str, str]]:
    """Shipped content with two broken records added, and a site built before they broke."""
    content = copy_content(tmp_path)
    out = tmp_path / "site"
    build(content, out)
    record_file(content, "zz-2021-one", "id: zz-2021-one\n")
    write_record(content, "zz-2021-two", title="T", date_issued="2021-02-30")
    return content, out, tree_digests(out)


def test_cli_bad_records_status(bad_records, capsys):
    content, out, _ = bad_records
    assert cli.main(["build", "--content", str(content), "--out", str(out)]) == 1


def test_cli_bad_records_each_reported(bad_records, capsys):
    content, out, _ = bad_records
    cli.main(["build", "--content", str(content), "--out", str(out)])
    errors = capsys.readouterr().err.splitlines()
    assert errors[0] == f"error: {content / 'theses' / 'zz-2021-one.yaml'}: missing required field 'title'"
    assert errors[1].startswith(f"error: {content / 'theses' / 'zz-2021-two.yaml'}:")


def test_cli_bad_records_one_summary(bad_records, capsys):
    content, out, _ = bad_records
    cli.main(["build", "--content", str(content), "--out", str(out)])
    assert capsys.readouterr().out == f"Build failed: 2 problems; {out}/ was left as it was\n"


def test_cli_bad_records_leave_site(bad_records, capsys):
    content, out, before = bad_records
    cli.main(["build", "--content", str(content), "--out", str(out)])
    assert tree_digests(out) == before
