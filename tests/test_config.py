"""The site.yaml schema: typed keys with defaults, every problem reported with file and line, then one failure."""

from __future__ import annotations

from pathlib import Path

import pytest

from shelfmark import cli
from shelfmark.config import OPTIONS, ConfigError, check_value, describe, load_config
from site_helpers import ROOT, build, copy_content, tree_digests


def problems_of(tmp_path: Path, text: str) -> list[str]:
    path = tmp_path / "site.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as raised:
        load_config(path)
    return raised.value.problems


# --- the schema -------------------------------------------------------------------------------------


@pytest.mark.parametrize("option", OPTIONS, ids=lambda option: option.key)
def test_option_default_is_valid(option):
    assert check_value(option, option.default) is None


@pytest.mark.parametrize("option", OPTIONS, ids=lambda option: option.key)
def test_option_has_description(option):
    assert option.description.strip()
    assert "\n" not in option.description


@pytest.mark.parametrize("option", OPTIONS, ids=lambda option: option.key)
def test_option_has_type(option):
    kinds = option.kind if isinstance(option.kind, tuple) else (option.kind,)
    assert all(isinstance(kind, type) for kind in kinds)


@pytest.mark.parametrize("option", OPTIONS, ids=lambda option: option.key)
def test_option_described_for_help(option):
    assert f"  {option.key}: " in describe()


@pytest.mark.parametrize("option", OPTIONS, ids=lambda option: option.key)
def test_option_in_readme(option):
    assert f"| `{option.key}` |" in (ROOT / "README.md").read_text(encoding="utf-8")


def test_missing_file_gives_defaults(tmp_path):
    config = load_config(tmp_path / "site.yaml")
    assert config["page_size"] == 10
    assert config["title"] == "Theses and Dissertations"


def test_empty_file_gives_defaults(tmp_path):
    (tmp_path / "site.yaml").write_text("# nothing set\n", encoding="utf-8")
    assert load_config(tmp_path / "site.yaml")["feed_size"] == 20


def test_values_are_read(tmp_path):
    (tmp_path / "site.yaml").write_text("page_size: 5\ningest:\n  roles: all-authors\n", encoding="utf-8")
    config = load_config(tmp_path / "site.yaml")
    assert config["page_size"] == 5
    assert config["ingest.roles"] == "all-authors"


def test_unset_nested_key_keeps_default(tmp_path):
    (tmp_path / "site.yaml").write_text("search:\n  budget_kb: 100\n", encoding="utf-8")
    assert load_config(tmp_path / "site.yaml")["search.shard_threshold"] == 2000


# --- problems ---------------------------------------------------------------------------------------


def test_unknown_key_suggests_close_match(tmp_path):
    assert problems_of(tmp_path, "title: A\ntitel: B\n") == [
        f"{tmp_path / 'site.yaml'}:2: unknown key 'titel'; did you mean 'title'?"
    ]


def test_unknown_nested_key_suggests_close_match(tmp_path):
    assert problems_of(tmp_path, "search:\n  budget: 300\n") == [
        f"{tmp_path / 'site.yaml'}:2: unknown key 'search.budget'; did you mean 'search.budget_kb'?"
    ]


def test_unknown_key_without_match_lists_keys(tmp_path):
    [problem] = problems_of(tmp_path, "zzz: 1\n")
    assert problem.startswith(f"{tmp_path / 'site.yaml'}:1: unknown key 'zzz'; known keys: title, description,")


def test_wrong_type(tmp_path):
    assert problems_of(tmp_path, "page_size: ten\n") == [
        f"{tmp_path / 'site.yaml'}:1: page_size: expected a whole number, found 'ten'"
    ]


def test_boolean_is_not_a_number(tmp_path):
    assert problems_of(tmp_path, "page_size: true\n") == [
        f"{tmp_path / 'site.yaml'}:1: page_size: expected a whole number, found True"
    ]


def test_below_minimum(tmp_path):
    assert problems_of(tmp_path, "page_size: 0\n") == [f"{tmp_path / 'site.yaml'}:1: page_size: expected at least 1, found 0"]


def test_not_a_choice(tmp_path):
    assert problems_of(tmp_path, "degree_level: phd\n") == [
        f"{tmp_path / 'site.yaml'}:1: degree_level: expected one of doctoral, masters, found 'phd'"
    ]


def test_base_url_must_be_absolute(tmp_path):
    assert problems_of(tmp_path, "base_url: theses.example.edu\n") == [
        f"{tmp_path / 'site.yaml'}:1: base_url: expected an absolute http or https URL such as https://theses.example.edu/"
    ]


def test_section_must_be_mapping(tmp_path):
    assert problems_of(tmp_path, "search: 5\n") == [f"{tmp_path / 'site.yaml'}:1: search: expected a mapping of search settings"]


def test_every_problem_at_once(tmp_path):
    text = "titel: A\npage_size: ten\nsearch:\n  budget: 3\nbase_url: ftp://example.org/\n"
    problems = problems_of(tmp_path, text)
    assert [problem.split(": ", 1)[0] for problem in problems] == [
        f"{tmp_path / 'site.yaml'}:{line}" for line in (1, 2, 4, 5)
    ]


def test_duplicate_key(tmp_path):
    assert problems_of(tmp_path, "title: A\npage_size: 4\ntitle: B\n") == [
        f"{tmp_path / 'site.yaml'}:3: 'title' is set twice (lines 1 and 3); keep one of them"
    ]


def test_object_tag_rejected(tmp_path):
    assert problems_of(tmp_path, "title: !!python/object/apply:os.getcwd []\n") == [
        f"{tmp_path / 'site.yaml'}:1: title: could not determine a constructor for the tag "
        "'!!python/object/apply:os.getcwd'; write a plain value"
    ]


def test_syntax_error_has_line(tmp_path):
    assert problems_of(tmp_path, "title: A\ndescription: [unclosed\n") == [
        f"{tmp_path / 'site.yaml'}:3: invalid YAML: did not find expected ',' or ']'"
    ]


def test_not_a_mapping(tmp_path):
    assert problems_of(tmp_path, "- title\n- page_size\n") == [f"{tmp_path / 'site.yaml'}:1: expected a mapping of settings"]


def test_not_utf8(tmp_path):
    (tmp_path / "site.yaml").write_bytes("title: Thèses\n".encode("latin-1"))
    with pytest.raises(ConfigError) as raised:
        load_config(tmp_path / "site.yaml")
    assert raised.value.problems == [f"{tmp_path / 'site.yaml'}: not UTF-8 (byte 9); save the file as UTF-8"]


# --- one failure, the site untouched ------------------------------------------------------------------


@pytest.fixture
def broken(tmp_path) -> tuple[Path, Path, dict[str, str]]:
    """A content copy whose site.yaml has three problems, and a site built before it broke."""
    content = copy_content(tmp_path)
    out = tmp_path / "site"
    build(content, out)
    with open(content / "site.yaml", "a", encoding="utf-8") as stream:
        stream.write("titel: A\npage_size: ten\nfeed_size: -1\n")
    return content, out, tree_digests(out)


def test_build_fails_once_with_status_1(broken, capsys):
    content, out, _ = broken
    assert cli.main(["build", "--content", str(content), "--out", str(out)]) == 1


def test_build_reports_every_problem(broken, capsys):
    content, out, _ = broken
    cli.main(["build", "--content", str(content), "--out", str(out)])
    errors = [line for line in capsys.readouterr().err.splitlines() if line.startswith("error: ")]
    assert len(errors) == 3
    assert errors[0].startswith(f"error: {content / 'site.yaml'}:")


def test_build_failure_summary(broken, capsys):
    content, out, _ = broken
    cli.main(["build", "--content", str(content), "--out", str(out)])
    assert capsys.readouterr().out == f"Build failed: 3 problems; {out}/ was left as it was\n"


def test_build_failure_leaves_site(broken, capsys):
    content, out, before = broken
    cli.main(["build", "--content", str(content), "--out", str(out)])
    assert tree_digests(out) == before
