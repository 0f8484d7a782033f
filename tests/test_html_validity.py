"""Every page type passes the Nu HTML checker (vnu.jar, from the npm package vnu-jar) with no error.

One run of the checker covers a hosted, a preview and an offline build of the shipped content plus records
that exercise optional fields, so the JVM starts once. Needs Java 11 or later and
`npm ci --ignore-scripts` at the repository root; on CI (CI set) a missing checker fails the test.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import ROOT
from shelfmark import records
from shelfmark.builder import BuildOptions, build_site

pytestmark = pytest.mark.validator

CONTENT = ROOT / "content"
VNU_JAR = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
EXTRA_RECORDS = [
    {
        "id": "okafor-2019-signal-recovery-in-sparse",
        "title": "Signal Recovery in Sparse Arrays <i>&</i> \"Quotes\"",
        "authors": ["Okafor, Adaeze", "Lindqvist, Per"],
        "advisors": ["Brown, Emma"],
        "department": "Electrical and Computer Engineering",
        "date_issued": "2019-05-20",
        "degree": "Master of Science",
        "language": "en",
        "subjects": ["Signal processing", "=1+1"],
        "abstract": "A first paragraph with </script> inside.\n\nA second paragraph.",
        "handle": "http://hdl.handle.net/1903/99001",
        "pdf_url": "https://repository.example.edu/bitstreams/99001/thesis.pdf",
    },
]
# One page of each kind the site has.
PAGE_KINDS = ("index.html", "theses/index.html", "theses/okafor-2019-signal-recovery-in-sparse/index.html",
              "browse/index.html", "browse/author/index.html", "browse/year/2019/index.html", "about/index.html",
              "search/index.html", "downloads/index.html", "404.html")


def checker() -> list[str]:
    java = shutil.which("java")
    missing = []
    if not java:
        missing.append("java")
    if not VNU_JAR.exists():
        missing.append(str(VNU_JAR))
    if missing:
        message = f"the Nu HTML checker needs {' and '.join(missing)}: install Java 11+ and run `npm ci --ignore-scripts`"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return [str(java), "-jar", str(VNU_JAR)]


@pytest.fixture(scope="module")
def sites(tmp_path_factory) -> Path:
    """A folder holding a hosted, a preview and an offline build of the same content."""
    folder = tmp_path_factory.mktemp("validity")
    content = folder / "content"
    shutil.copytree(CONTENT, content)
    for record in EXTRA_RECORDS:
        data = records.empty_record(record["id"]) | record
        (content / "theses" / f"{record['id']}.yaml").write_text(records.dump_record(data), encoding="utf-8")
    for profile, base_url in (("hosted", None), ("preview", "https://preview.example.org/pr-42/"), ("offline", None)):
        build_site(BuildOptions(content=content, out=folder / "sites" / profile, profile=profile, base_url=base_url))
    return folder / "sites"


def test_built_sites_have_every_page_kind(sites):
    for profile in ("hosted", "preview", "offline"):
        assert [path for path in PAGE_KINDS if not (sites / profile / path).is_file()] == [], profile


def test_nu_checker_finds_no_errors(sites):
    command = checker() + ["--skip-non-html", "--verbose", "--format", "json", str(sites)]
    result = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
    report = json.loads(result.stderr)  # vnu writes its JSON report to stderr, the checked files to stdout
    checked = [line for line in result.stdout.splitlines() if line.endswith(".html")]
    assert len(checked) == len(list(sites.rglob("*.html")))
    problems = [f"{message['url']}:{message.get('lastLine', '?')}: {message['message']}"
                for message in report["messages"] if message["type"] in ("error", "non-document-error")]
    assert problems == []
