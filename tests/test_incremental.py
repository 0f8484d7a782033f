"""Incremental rebuilds: after an edit, the site is byte-identical to a clean build, and little is rewritten."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from shelfmark import records
from shelfmark.builder import BuildOptions, build_site

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"


def tree(folder: Path) -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in sorted(folder.rglob("*")) if path.is_file()}


@pytest.fixture
def content(tmp_path: Path) -> Path:
    """The shipped content plus forty generated records, so listings and browse pages have several pages."""
    folder = tmp_path / "content"
    shutil.copytree(CONTENT, folder)
    template = records.read_record(sorted((folder / "theses").glob("*.yaml"))[0]).data
    for number in range(40):
        record = dict(template, id=f"extra-{2000 + number % 7}-thesis-{number}", title=f"Extra thesis number {number}",
                      date_issued=str(2000 + number % 7), authors=[f"Extra, Author {number % 13}"],
                      advisors=[f"Advisor, Name {number % 5}"], department=f"Department {number % 3}",
                      handle=None, source={})
        (folder / "theses" / f"{record['id']}.yaml").write_text(records.dump_record(record), encoding="utf-8")
    return folder


def edit(content: Path, record_id: str, **changes) -> None:
    path = content / "theses" / f"{record_id}.yaml"
    data = records.read_record(path).data
    data.update(changes)
    path.write_text(records.dump_record(data), encoding="utf-8")


def build(content: Path, out: Path, in_child: bool = False, use_cache: bool = True):
    return build_site(BuildOptions(content=content, out=out, outputs_in_child=in_child, use_cache=use_cache))


@pytest.mark.parametrize("in_child", [False, True])
def test_edited_abstract_equals_clean_build(content, tmp_path, in_child):
    out = tmp_path / "site"
    build(content, out, in_child)
    edit(content, "extra-2003-thesis-10", abstract="A new abstract that is much longer than before. " * 20)
    build(content, out, in_child)
    build(content, tmp_path / "clean", in_child, use_cache=False)
    assert tree(out) == tree(tmp_path / "clean")


def test_edited_title_equals_clean_build(content, tmp_path):
    out = tmp_path / "site"
    build(content, out)
    edit(content, "extra-2001-thesis-15", title="A corrected title")
    build(content, out)
    build(content, tmp_path / "clean", use_cache=False)
    assert tree(out) == tree(tmp_path / "clean")


def test_renamed_author_equals_clean_build(content, tmp_path):
    out = tmp_path / "site"
    build(content, out)
    edit(content, "extra-2004-thesis-4", authors=["Zz Renamed, Author"])
    build(content, out)
    build(content, tmp_path / "clean", use_cache=False)
    assert tree(out) == tree(tmp_path / "clean")


def test_deleted_record_equals_clean_build(content, tmp_path):
    out = tmp_path / "site"
    build(content, out)
    (content / "theses" / "extra-2002-thesis-2.yaml").unlink()
    build(content, out)
    build(content, tmp_path / "clean", use_cache=False)
    assert tree(out) == tree(tmp_path / "clean")


def test_unchanged_rebuild_writes_nothing(content, tmp_path):
    out = tmp_path / "site"
    build(content, out)
    result = build(content, out)
    assert result.written == 0
    assert result.unchanged == result.files


def test_one_edit_rewrites_only_what_shows_it(content, tmp_path):
    out = tmp_path / "site"
    first = build(content, out)
    before = tree(out)
    edit(content, "extra-2003-thesis-10", degree="Master of Science")
    result = build(content, out)
    after = tree(out)
    # The degree shows on the thesis page, in its citations and in the collection downloads only.
    assert sorted(path for path in after if before.get(path) != after[path]) == [
        "downloads/records.json", "downloads/theses.bib", "downloads/theses.csv", "downloads/theses.json",
        "downloads/theses.ris", "theses/extra-2003-thesis-10/cite.bib", "theses/extra-2003-thesis-10/cite.json",
        "theses/extra-2003-thesis-10/cite.ris", "theses/extra-2003-thesis-10/index.html",
    ]
    assert result.written == 9
    assert result.files == first.files


def test_tampered_download_is_rebuilt_whole(content, tmp_path):
    out = tmp_path / "site"
    build(content, out)
    with open(out / "downloads" / "theses.bib", "ab") as stream:
        stream.write(b"% added by hand\n")
    edit(content, "extra-2003-thesis-10", title="A corrected title")
    build(content, out)
    build(content, tmp_path / "clean", use_cache=False)
    assert (out / "downloads" / "theses.bib").read_bytes() == (tmp_path / "clean" / "downloads" / "theses.bib").read_bytes()


def test_reordered_listing_equals_clean_build(content, tmp_path):
    out = tmp_path / "site"
    build(content, out)
    edit(content, "extra-2000-thesis-0", date_issued="2030")
    build(content, out)
    build(content, tmp_path / "clean", use_cache=False)
    assert tree(out) == tree(tmp_path / "clean")


def test_failed_third_build_leaves_live_site_whole(content, tmp_path, monkeypatch):
    """The third build starts from the first build's tree, whose files are hard links to the live site's."""
    out = tmp_path / "site"
    build(content, out)
    edit(content, "extra-2003-thesis-10", title="Second title")
    build(content, out)
    live = tree(out)
    edit(content, "extra-2003-thesis-10", title="Third title", abstract="Changed again. " * 30)
    (content / "theses" / "extra-2002-thesis-2.yaml").unlink()

    from shelfmark import writer

    def failing_commit(self):
        raise writer.WriteError("simulated failure at the swap")

    monkeypatch.setattr(writer.SiteWriter, "commit", failing_commit)
    with pytest.raises(writer.WriteError):
        build(content, out)
    assert tree(out) == live


def test_third_build_from_reused_tree_equals_clean_build(content, tmp_path):
    out = tmp_path / "site"
    build(content, out)
    edit(content, "extra-2003-thesis-10", title="Second title")
    build(content, out)
    edit(content, "extra-2003-thesis-10", title="Third title")
    (content / "theses" / "extra-2002-thesis-2.yaml").unlink()
    build(content, out)
    build(content, tmp_path / "clean", use_cache=False)
    assert tree(out) == tree(tmp_path / "clean")
    assert [path.name for path in tmp_path.iterdir() if path.name.startswith(".site.old-")] != []


def test_cached_records_keep_their_fingerprints(content, tmp_path):
    from shelfmark.cache import BuildCache, fingerprint
    from shelfmark.collection import load_collection

    parsed = load_collection(content)
    first = BuildCache(tmp_path / "cache")
    load_collection(content, first)
    first.save_records()
    cache = BuildCache(tmp_path / "cache")
    assert len(cache.records) == 50
    from_cache = load_collection(content, cache)
    assert [thesis.fingerprint_data() for thesis in from_cache.theses] == \
        [thesis.fingerprint_data() for thesis in parsed.theses]
    thesis = from_cache.theses[0]
    assert thesis.data_digest == fingerprint(thesis.data)
    edit(content, thesis.id, abstract="A new abstract.")
    edited = load_collection(content, cache)
    changed = [a.id for a, b in zip(edited.theses, from_cache.theses) if a.fingerprint_data() != b.fingerprint_data()]
    assert changed == [thesis.id]


def test_pagination_fingerprint_covers_every_field():
    from shelfmark.cache import fingerprint
    from shelfmark.pagination import Pagination

    base = Pagination("browse/author/a/", 2, 3, 45, 20)
    variants = [Pagination("browse/author/b/", 2, 3, 45, 20), Pagination("browse/author/a/", 3, 3, 45, 20),
                Pagination("browse/author/a/", 2, 4, 45, 20), Pagination("browse/author/a/", 2, 3, 46, 20),
                Pagination("browse/author/a/", 2, 3, 45, 10)]
    digests = {fingerprint({"pagination": page}) for page in [base, *variants]}
    assert len(digests) == 6
    assert fingerprint({"pagination": base}) == fingerprint({"pagination": Pagination("browse/author/a/", 2, 3, 45, 20)})
