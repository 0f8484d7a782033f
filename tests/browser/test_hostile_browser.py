"""Records holding markup and script run nothing in a real browser, on any page type or in search results."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from shelfmark import records
from shelfmark.builder import BuildOptions, build_site

ROOT = Path(__file__).resolve().parent.parent.parent
CONTENT = ROOT / "content"

# Each payload sets window.pwned if it ever runs; none may.
SCRIPT = "<script>window.pwned = 'script'</script>"
IMAGE = "\"><img src=x onerror=\"window.pwned = 'onerror'\">"
SCRIPT_END = "</script><script>window.pwned = 'script end'</script>"
SVG = "<svg onload=\"window.pwned = 'svg'\"></svg>"
TEMPLATE = "{{ 7*7 }} {% raw %}"
BIDI = "\u202egnp.exe"

PAGES = [
    "index.html",
    "theses/index.html",
    "theses/hostile-2020-payload/index.html",
    "browse/author/index.html",
    "browse/department/index.html",
    "browse/advisor/index.html",
    "browse/year/2020/index.html",
    "downloads/index.html",
    "about/index.html",
]


@pytest.fixture(scope="module")
def hostile_site_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The shipped content plus one record with a payload in every text field, offline, opened from disk."""
    content = tmp_path_factory.mktemp("hostile") / "content"
    shutil.copytree(CONTENT, content)
    record = records.empty_record("hostile-2020-payload")
    record.update(
        title=f"Payload {SCRIPT} {IMAGE} {TEMPLATE}",
        authors=[f"Payload, {IMAGE}"],
        advisors=[f"Advisor, {SVG}"],
        department=f"Department {SCRIPT}",
        date_issued="2020",
        publishers=[f"Press {SCRIPT_END}"],
        subjects=[f"{SVG} subject"],
        abstract=f"Payload abstract {SCRIPT_END} {IMAGE} {BIDI} {TEMPLATE} with the word payload.",
        degree=f"Doctor {SCRIPT}",
    )
    (content / "theses" / "hostile-2020-payload.yaml").write_text(records.dump_record(record), encoding="utf-8")
    site_yaml = content / "site.yaml"
    settings = yaml.safe_load(site_yaml.read_text(encoding="utf-8"))
    settings["title"] = f"Theses {SCRIPT}"
    site_yaml.write_text(yaml.safe_dump(settings, allow_unicode=True), encoding="utf-8")
    out = tmp_path_factory.mktemp("hostile-site") / "site"
    build_site(BuildOptions(content=content, out=out, profile="offline"))
    return out.resolve().as_uri() + "/"


def _nothing_ran(page) -> None:
    assert page.evaluate("window.pwned === undefined")
    assert page.locator("img[src=x]").count() == 0
    assert page.locator("svg[onload]").count() == 0


@pytest.mark.parametrize("path", PAGES)
def test_payloads_do_not_run(page, guard, hostile_site_url, path):
    guard.prefix = hostile_site_url
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(hostile_site_url + path)
    _nothing_ran(page)
    assert dialogs == []


def test_payload_title_is_shown_as_text(page, guard, hostile_site_url):
    guard.prefix = hostile_site_url
    page.goto(hostile_site_url + "theses/hostile-2020-payload/index.html")
    assert page.locator("h1").inner_text() == f"Payload {SCRIPT} {IMAGE} {TEMPLATE}"


def test_payloads_in_search_results_stay_text(page, guard, hostile_site_url):
    guard.prefix = hostile_site_url
    page.goto(hostile_site_url + "search/index.html#q=payload")
    results = page.locator("#search-results")
    from playwright.sync_api import expect

    expect(results).to_have_attribute("data-query", "payload")
    assert page.locator("#search-results .thesis-title a").all_inner_texts() == [f"Payload {SCRIPT} {IMAGE} {TEMPLATE}"]
    _nothing_ran(page)
    assert results.locator("script, img, svg").count() == 0
