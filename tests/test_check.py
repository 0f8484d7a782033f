"""The check command: the shipped site is clean in every profile, and each kind of broken page is caught."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from shelfmark import cli
from shelfmark.check import check_site
from site_helpers import CONTENT, PROFILES, build

MAIN = '<main id="main" class="wrap" tabindex="-1">'
PAGE = "theses/zhou-2020-deep-learning-for-forensics/index.html"


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict[str, Path]:
    sites = {}
    for profile in PROFILES:
        out = tmp_path_factory.mktemp(f"check-{profile}") / "site"
        build(CONTENT, out, profile=profile)
        sites[profile] = out
    return sites


def site_copy(built: dict[str, Path], profile: str, tmp_path: Path) -> Path:
    out = tmp_path / "site"
    shutil.copytree(built[profile], out)
    return out


def insert_after_main(site: Path, page: str, html: str) -> int:
    """Put `html` on its own line after the <main> tag of a built page; return that line's number."""
    path = site / page
    text = path.read_text(encoding="utf-8")
    line = text[: text.index(MAIN)].count("\n") + 2
    path.write_text(text.replace(MAIN, f"{MAIN}\n{html}", 1), encoding="utf-8")
    return line


@pytest.mark.parametrize("profile", PROFILES)
def test_shipped_site_has_no_problems(built, profile):
    assert check_site(built[profile]).problems == []


@pytest.mark.parametrize("profile", PROFILES)
def test_shipped_site_checks_every_page(built, profile):
    assert check_site(built[profile]).pages == len(list(built[profile].rglob("*.html")))


@pytest.mark.parametrize("profile", PROFILES)
def test_check_command_passes(built, profile, capsys):
    status = cli.main(["check", "--out", str(built[profile])])
    assert status == 0
    assert capsys.readouterr().out.endswith(", 0 problems\n")


def test_broken_link(built, tmp_path):
    site = site_copy(built, "hosted", tmp_path)
    line = insert_after_main(site, PAGE, '<a href="../no-such-thesis/">Gone</a>')
    assert check_site(site).problems == [
        f"{site / PAGE}:{line}: <a> '../no-such-thesis/': target theses/no-such-thesis/index.html does not exist"
    ]


def test_missing_anchor(built, tmp_path):
    site = site_copy(built, "hosted", tmp_path)
    line = insert_after_main(site, PAGE, '<a href="#no-such-section">Jump</a>')
    assert check_site(site).problems == [f"{site / PAGE}:{line}: <a> '#no-such-section': no element with id 'no-such-section' in {PAGE}"]


def test_missing_anchor_on_other_page(built, tmp_path):
    site = site_copy(built, "hosted", tmp_path)
    line = insert_after_main(site, PAGE, '<a href="../../browse/advisor/#letter-Q">Q</a>')
    assert check_site(site).problems == [
        f"{site / PAGE}:{line}: <a> '../../browse/advisor/#letter-Q': no element with id 'letter-Q' in "
        "browse/advisor/index.html"
    ]


def test_missing_asset(built, tmp_path):
    site = site_copy(built, "hosted", tmp_path)
    (site / "assets" / "site.css").unlink()
    lines = (site / "index.html").read_text(encoding="utf-8").splitlines()
    line = next(number for number, text in enumerate(lines, start=1) if 'rel="stylesheet"' in text)
    problems = check_site(site).problems
    assert f"{site / 'index.html'}:{line}: <link> 'assets/site.css': target assets/site.css does not exist" in problems


def test_missing_asset_on_every_page(built, tmp_path):
    site = site_copy(built, "hosted", tmp_path)
    (site / "assets" / "site.css").unlink()
    problems = [problem for problem in check_site(site).problems if "site.css" in problem]
    assert len(problems) == len(list(site.rglob("*.html")))


def test_offline_folder_link(built, tmp_path):
    site = site_copy(built, "offline", tmp_path)
    line = insert_after_main(site, PAGE, '<a href="../">All theses</a>')
    assert check_site(site).problems == [
        f"{site / PAGE}:{line}: <a> '../': links to a folder; opened from disk this shows a file listing, so link to "
        "its index.html"
    ]


def test_hosted_folder_link_allowed(built, tmp_path):
    site = site_copy(built, "hosted", tmp_path)
    insert_after_main(site, PAGE, '<a href="../">All theses</a>')
    assert check_site(site).problems == []


def test_script_from_another_host(built, tmp_path):
    site = site_copy(built, "offline", tmp_path)
    line = insert_after_main(site, PAGE, '<script src="https://cdn.example.com/lib.js"></script>')
    assert check_site(site).problems == [
        f"{site / PAGE}:{line}: <script> 'https://cdn.example.com/lib.js': loads a resource from another host"
    ]


def test_stylesheet_from_another_host(built, tmp_path):
    site = site_copy(built, "hosted", tmp_path)
    line = insert_after_main(site, PAGE, '<link rel="stylesheet" href="//fonts.example.com/a.css">')
    assert check_site(site).problems == [
        f"{site / PAGE}:{line}: <link> '//fonts.example.com/a.css': loads a resource from another host"
    ]


def test_link_to_another_host_allowed(built, tmp_path):
    site = site_copy(built, "hosted", tmp_path)
    insert_after_main(site, PAGE, '<a href="https://hdl.handle.net/1903/1">Handle</a>')
    assert check_site(site).problems == []


def test_javascript_link(built, tmp_path):
    site = site_copy(built, "hosted", tmp_path)
    line = insert_after_main(site, PAGE, '<a href="javascript:alert(1)">Click</a>')
    assert check_site(site).problems == [f"{site / PAGE}:{line}: <a> 'javascript:alert(1)': javascript: URLs are not allowed"]


def test_check_command_fails_on_problem(built, tmp_path, capsys):
    site = site_copy(built, "hosted", tmp_path)
    insert_after_main(site, PAGE, '<a href="#no-such-section">Jump</a>')
    assert cli.main(["check", "--out", str(site)]) == 1


def test_check_command_summary_counts_problems(built, tmp_path, capsys):
    site = site_copy(built, "hosted", tmp_path)
    insert_after_main(site, PAGE, '<a href="#one">1</a><a href="#two">2</a>')
    cli.main(["check", "--out", str(site)])
    assert capsys.readouterr().out.endswith(", 2 problems\n")


def test_check_without_site(tmp_path, capsys):
    assert cli.main(["check", "--out", str(tmp_path / "site")]) == 2
    captured = capsys.readouterr()
    assert captured.err == (f"error: {tmp_path / 'site'}/index.html not found; build the site first with "
                            f"`python build.py --out {tmp_path / 'site'}`\n")


def test_root_relative_link_leaving_site(built, tmp_path):
    site = site_copy(built, "hosted", tmp_path)
    line = insert_after_main(site, PAGE, '<a href="/theses/../../outside.html">Out</a>')
    assert check_site(site).problems == [f"{site / PAGE}:{line}: <a> '/theses/../../outside.html': leaves the site"]
