"""The offline bundle: one reproducible zip that works wherever it is unpacked."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from shelfmark import cli
from shelfmark.check import check_site
from site_helpers import CONTENT, ROOT, html_files, is_external, loaded_urls, soup

TOP = "engineering-theses-and-dissertations-offline"


@pytest.fixture(scope="module")
def bundle(tmp_path_factory) -> Path:
    """The zip written by `python build.py bundle --zip FILE` run from the repository."""
    archive = tmp_path_factory.mktemp("bundle") / "x.zip"
    subprocess.run([sys.executable, "build.py", "bundle", "-q", "--zip", str(archive)], cwd=ROOT, check=True,
                   capture_output=True)
    return archive


@pytest.fixture(scope="module")
def unpacked(bundle, tmp_path_factory) -> Path:
    """The bundle unpacked under a folder whose path has spaces and accented letters."""
    folder = tmp_path_factory.mktemp("unpack") / "Théses à lire"
    folder.mkdir()
    with zipfile.ZipFile(bundle) as archive:
        archive.extractall(folder)
    return folder / TOP


def test_bundle_writes_one_file(bundle):
    assert [path.name for path in bundle.parent.iterdir()] == ["x.zip"]


def test_bundle_has_one_top_folder(bundle):
    with zipfile.ZipFile(bundle) as archive:
        assert {name.split("/", 1)[0] for name in archive.namelist()} == {TOP}


def test_bundle_entries_sorted(bundle):
    with zipfile.ZipFile(bundle) as archive:
        names = archive.namelist()
    assert names == sorted(names, key=lambda name: name.split("/"))  # folder by folder, as pathlib sorts


def test_bundle_entries_have_fixed_time(bundle):
    with zipfile.ZipFile(bundle) as archive:
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_bundle_holds_offline_site(unpacked):
    assert soup(unpacked, "index.html").html["data-profile"] == "offline"


def test_bundle_holds_every_thesis(unpacked):
    theses = [name for name in html_files(unpacked) if name.startswith("theses/") and "/page/" not in name]
    assert len(theses) == 11  # ten thesis pages and the listing


def test_unpacked_bundle_checks_clean(unpacked):
    assert check_site(unpacked).problems == []


def test_unpacked_path_has_spaces_and_accents(unpacked):
    assert "Théses à lire" in str(unpacked)


def test_unpacked_links_relative_file_names(unpacked):
    for name in html_files(unpacked):
        page = soup(unpacked, name)
        urls = [a["href"] for a in page.find_all("a", href=True) if not a["href"].startswith("#")] + loaded_urls(page)
        for url in urls:
            if is_external(url):
                continue
            path = urlsplit(url).path
            assert not path.startswith("/"), f"{name}: {url}"
            assert "." in path.rsplit("/", 1)[-1], f"{name}: {url}"
            assert (unpacked / name).parent.joinpath(path).resolve().is_file(), f"{name}: {url}"


def test_two_bundles_identical(bundle, tmp_path, capsys):
    second = tmp_path / "y.zip"
    assert cli.main(["bundle", "--content", str(CONTENT), "--zip", str(second)]) == 0
    assert second.read_bytes() == bundle.read_bytes()


def test_bundle_summary(tmp_path, capsys):
    archive = tmp_path / "x.zip"
    cli.main(["bundle", "--content", str(CONTENT), "--zip", str(archive)])
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "search index: 10 theses, 60.2 KB raw, 21.5 KB gzip"
    assert lines[-1].startswith(f"Bundled 10 theses into {archive} (")
    assert lines[-1].endswith(f"); unpack it anywhere and open {TOP}/index.html")


def test_bundle_keeps_site_when_asked(tmp_path, capsys):
    cli.main(["bundle", "--content", str(CONTENT), "--zip", str(tmp_path / "x.zip"), "--out", str(tmp_path / "offline")])
    assert soup(tmp_path / "offline", "index.html").html["data-profile"] == "offline"


def test_bundle_fails_on_bad_content(tmp_path, capsys):
    content = tmp_path / "content"
    (content / "theses").mkdir(parents=True)
    (content / "theses" / "x.yaml").write_text("id: x\n", encoding="utf-8")
    status = cli.main(["bundle", "--content", str(content), "--zip", str(tmp_path / "x.zip")])
    assert status == 1
    assert not (tmp_path / "x.zip").exists()
