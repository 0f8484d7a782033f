"""The command line: help for every option, -q, --strict and the summary line."""

from __future__ import annotations

import argparse
import os
import re
import sys
from pathlib import Path
from shlex import quote

import pytest

from shelfmark import cli
from shelfmark.config import OPTIONS
from site_helpers import CONTENT, copy_content, empty_content, write_numbered_records

COMMANDS = ("build", "ingest", "check", "serve", "bundle")
SUMMARY = re.compile(
    r"Built (?P<out>.+)/ \((?P<profile>\w+)\): (?P<records>\d+) records loaded = (?P<thesis_pages>\d+) thesis pages, "
    r"(?P<pages>\d+) pages in all, (?P<files>\d+) files \((?P<written>\d+) written, (?P<unchanged>\d+) unchanged\), "
    r"(?P<warnings>\d+) warnings?, \d+\.\d s"
)


def subcommand(name: str) -> argparse.ArgumentParser:
    commands = next(action for action in cli.make_parser()._actions if isinstance(action, argparse._SubParsersAction))
    return commands.choices[name]


def options_of(name: str) -> list[argparse.Action]:
    return [action for action in subcommand(name)._actions if action.option_strings]


def help_text(capsys, *argv: str) -> str:
    with pytest.raises(SystemExit) as raised:
        cli.main([*argv, "--help"])
    assert raised.value.code == 0
    return capsys.readouterr().out


# --- help -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("command", COMMANDS)
def test_every_option_explained(command):
    for action in options_of(command):
        assert action.help and action.help.strip(), action.option_strings


@pytest.mark.parametrize("command", COMMANDS)
def test_help_lists_every_option(command, capsys):
    text = help_text(capsys, command)
    for action in options_of(command):
        assert action.option_strings[-1] in text, action.option_strings


@pytest.mark.parametrize("command", COMMANDS)
def test_help_shows_explanations(command, capsys):
    text = " ".join(help_text(capsys, command).split())
    for action in options_of(command):
        if action.help != argparse.SUPPRESS:
            first_words = " ".join(action.help.replace("%%", "%").split()[:3])
            assert first_words in text, action.option_strings


def test_main_help_lists_commands(capsys):
    text = help_text(capsys)
    for command in COMMANDS:
        assert re.search(rf"^\s+{command}\s+\S", text, re.MULTILINE), command


def test_build_help_lists_settings(capsys):
    text = help_text(capsys, "build")
    for option in OPTIONS:
        assert f"  {option.key}: " in text


def test_unknown_profile_rejected(capsys):
    with pytest.raises(SystemExit) as raised:
        cli.main(["build", "--profile", "print"])
    assert raised.value.code == 2


# --- output -----------------------------------------------------------------------------------------


def test_summary_line_format(tmp_path, capsys):
    cli.main(["build", "--content", str(CONTENT), "--out", str(tmp_path / "site"), "-q"])
    line = capsys.readouterr().out.rstrip("\n")
    match = SUMMARY.fullmatch(line)
    assert match is not None, line
    assert match["out"] == str(tmp_path / "site")
    assert match["profile"] == "hosted"


def test_summary_counts_records_as_pages(tmp_path, capsys):
    cli.main(["build", "--content", str(CONTENT), "--out", str(tmp_path / "site"), "-q"])
    match = SUMMARY.fullmatch(capsys.readouterr().out.rstrip("\n"))
    assert match["records"] == "10"
    assert match["thesis_pages"] == "10"


def test_summary_counts_generated_records(tmp_path, capsys):
    content = empty_content(tmp_path)
    write_numbered_records(content, 22)
    cli.main(["build", "--content", str(content), "--out", str(tmp_path / "site"), "-q"])
    assert "22 records loaded = 22 thesis pages, " in capsys.readouterr().out


def test_summary_files_add_up(tmp_path, capsys):
    cli.main(["build", "--content", str(CONTENT), "--out", str(tmp_path / "site"), "-q"])
    match = SUMMARY.fullmatch(capsys.readouterr().out.rstrip("\n"))
    assert int(match["written"]) + int(match["unchanged"]) == int(match["files"])
    assert int(match["files"]) == sum(1 for path in (tmp_path / "site").rglob("*") if path.is_file())


def test_quiet_prints_only_summary(tmp_path, capsys):
    assert cli.main(["build", "--content", str(CONTENT), "--out", str(tmp_path / "site"), "-q"]) == 0
    captured = capsys.readouterr()
    assert len(captured.out.splitlines()) == 1
    assert captured.err == ""


# How the hint names the interpreter: by its path when it lives under the working folder (a virtual
# environment such as .venv), otherwise as "python".
INTERPRETER = (os.path.relpath(sys.executable) if Path(sys.executable).is_relative_to(Path.cwd()) else "python")


def test_default_prints_how_to_open(tmp_path, capsys):
    cli.main(["build", "--content", str(CONTENT), "--out", str(tmp_path / "site")])
    lines = capsys.readouterr().out.splitlines()
    assert re.fullmatch(r"search index: 10 theses, 60\.1 KB raw, [0-9.]+ KB gzip", lines[0])
    assert lines[1].startswith("search index per field, KB raw/gzip: terms ")
    assert SUMMARY.fullmatch(lines[2])
    options = f"--content {quote(str(CONTENT))} --out {quote(str(tmp_path / 'site'))}"
    assert lines[3].startswith(f"Preview it with `{INTERPRETER} build.py serve {options}` (http://127.0.0.1:8000/)")


def test_hint_keeps_preview_options(tmp_path, capsys):
    cli.main(["build", "--content", str(CONTENT), "--out", str(tmp_path / "my site"), "--profile", "preview",
              "--base-url", "/pr-7/"])
    hint = capsys.readouterr().out.splitlines()[-1]
    options = f"--content {quote(str(CONTENT))} --out {quote(str(tmp_path / 'my site'))}"
    assert hint.startswith(f"Preview it with `{INTERPRETER} build.py serve {options} "
                           "--profile preview --base-url /pr-7/` (http://127.0.0.1:8000/pr-7/)")


def test_offline_says_open_from_disk(tmp_path, capsys):
    cli.main(["--content", str(CONTENT), "--out", str(tmp_path / "site"), "--profile", "offline"])
    lines = capsys.readouterr().out.splitlines()
    assert lines[-1] == f"Open {(tmp_path / 'site').resolve() / 'index.html'} in a browser; no server is needed."


def test_build_is_default_command(tmp_path, capsys):
    assert cli.main(["--content", str(CONTENT), "--out", str(tmp_path / "site"), "-q"]) == 0
    assert (tmp_path / "site" / "index.html").is_file()


# --- warnings and --strict ----------------------------------------------------------------------------


@pytest.fixture
def without_aliases(tmp_path):
    """The shipped content without people.yaml, so "Groth, Katrina" and "Groth, Katrina M" are two names."""
    content = copy_content(tmp_path)
    (content / "people.yaml").unlink()
    return content


def test_name_variants_warned(without_aliases, tmp_path, capsys):
    assert cli.main(["build", "--content", str(without_aliases), "--out", str(tmp_path / "site")]) == 0
    assert capsys.readouterr().err == (
        "warning: probable variants of one name: 'Groth, Katrina' and 'Groth, Katrina M'; map one to the other "
        f"under 'aliases:' in {without_aliases / 'people.yaml'}\n"
    )


def test_warning_counted_in_summary(without_aliases, tmp_path, capsys):
    cli.main(["build", "--content", str(without_aliases), "--out", str(tmp_path / "site"), "-q"])
    assert SUMMARY.fullmatch(capsys.readouterr().out.rstrip("\n"))["warnings"] == "1"


def test_strict_fails_on_warning(without_aliases, tmp_path, capsys):
    assert cli.main(["build", "--content", str(without_aliases), "--out", str(tmp_path / "site"), "--strict"]) == 1


def test_strict_says_why(without_aliases, tmp_path, capsys):
    cli.main(["build", "--content", str(without_aliases), "--out", str(tmp_path / "site"), "--strict"])
    assert capsys.readouterr().err.endswith("error: --strict: 1 warning\n")


def test_strict_still_builds(without_aliases, tmp_path, capsys):
    cli.main(["build", "--content", str(without_aliases), "--out", str(tmp_path / "site"), "--strict"])
    assert (tmp_path / "site" / "index.html").is_file()


def test_strict_passes_without_warnings(tmp_path, capsys):
    assert cli.main(["build", "--content", str(CONTENT), "--out", str(tmp_path / "site"), "--strict"]) == 0


def test_quiet_hides_warnings(without_aliases, tmp_path, capsys):
    cli.main(["build", "--content", str(without_aliases), "--out", str(tmp_path / "site"), "-q"])
    assert capsys.readouterr().err == ""


def test_quiet_strict_still_fails(without_aliases, tmp_path, capsys):
    assert cli.main(["build", "--content", str(without_aliases), "--out", str(tmp_path / "site"), "-q", "--strict"]) == 1
