"""Safe builds: reproducible output, and a failed or interrupted build leaves the previous site whole."""

from __future__ import annotations

import builtins
import errno
import logging
import shutil
from pathlib import Path

import pytest

from shelfmark import cli, writer
from shelfmark.builder import TEMPLATES, BuildFailed
from shelfmark.render import TemplateProblem
from shelfmark.writer import BuildLock, BuildLocked, SiteWriter, WriteError, check_output_path
from site_helpers import CONTENT, build, copy_content, empty_content, tree_digests, write_record


@pytest.fixture
def previous(tmp_path) -> tuple[Path, dict[str, str]]:
    """A site built from the shipped content, and the digests of its files."""
    out = tmp_path / "site"
    build(CONTENT, out)
    return out, tree_digests(out)


def staging_folders(folder: Path) -> list[str]:
    """Staging folders a build left beside its output."""
    return sorted(path.name for path in folder.iterdir() if ".staging-" in path.name)


def broken_templates(tmp_path: Path, name: str, marker: str, replacement: str) -> tuple[Path, int]:
    """A copy of the templates with `marker` in one template replaced; return the folder and the changed line."""
    folder = tmp_path / "templates"
    shutil.copytree(TEMPLATES, folder)
    path = folder / name
    text = path.read_text(encoding="utf-8")
    assert marker in text
    line = text[: text.index(marker)].count("\n") + 1
    path.write_text(text.replace(marker, replacement, 1), encoding="utf-8")
    return folder, line


# --- reproducible output ------------------------------------------------------------------------------


@pytest.mark.parametrize("profile", ["hosted", "preview", "offline"])
def test_same_input_same_files(tmp_path, profile):
    build(CONTENT, tmp_path / "one", profile=profile)
    build(CONTENT, tmp_path / "two", profile=profile)
    assert tree_digests(tmp_path / "one") == tree_digests(tmp_path / "two")


def test_rebuild_reuses_unchanged_files(tmp_path):
    build(CONTENT, tmp_path / "site")
    result = build(CONTENT, tmp_path / "site")
    assert result.written == 0
    assert result.unchanged == result.files


def test_rebuild_leaves_no_staging(tmp_path):
    build(CONTENT, tmp_path / "site")
    build(CONTENT, tmp_path / "site")
    assert staging_folders(tmp_path) == []


# --- failing templates and records --------------------------------------------------------------------


def test_template_error_names_file_and_line(tmp_path, previous):
    out, _ = previous
    templates, line = broken_templates(tmp_path, "thesis.html", "{{ data.thesis.title | plain }}",
                                       "{{ data.thesis.no_such_field }}")
    with pytest.raises(TemplateProblem) as raised:
        build(CONTENT, out, templates=templates)
    assert str(raised.value).startswith(f"{templates / 'thesis.html'}:{line}: UndefinedError:")


def test_template_error_leaves_site(tmp_path, previous):
    out, before = previous
    templates, _ = broken_templates(tmp_path, "thesis.html", "{{ data.thesis.title | plain }}",
                                    "{{ data.thesis.no_such_field }}")
    with pytest.raises(TemplateProblem):
        build(CONTENT, out, templates=templates)
    assert tree_digests(out) == before


def test_template_error_leaves_no_staging(tmp_path, previous):
    out, _ = previous
    templates, _ = broken_templates(tmp_path, "thesis.html", "{{ data.thesis.title | plain }}",
                                    "{{ data.thesis.no_such_field }}")
    with pytest.raises(TemplateProblem):
        build(CONTENT, out, templates=templates)
    assert staging_folders(tmp_path) == []


def test_template_syntax_error_names_file_and_line(tmp_path, previous):
    out, _ = previous
    templates, line = broken_templates(tmp_path, "partials/thesis_list.html", "{% for thesis in theses %}",
                                       "{% for thesis in %}")
    with pytest.raises(TemplateProblem) as raised:
        build(CONTENT, out, templates=templates)
    assert str(raised.value).startswith(f"{templates / 'partials' / 'thesis_list.html'}:{line}: template syntax error:")


def test_missing_template_named(tmp_path, previous):
    out, before = previous
    templates, _ = broken_templates(tmp_path, "base.html", "<!DOCTYPE html>", "<!DOCTYPE html>")
    (templates / "browse.html").unlink()
    with pytest.raises(TemplateProblem) as raised:
        build(CONTENT, out, templates=templates)
    assert str(raised.value) == f"template 'browse.html' not found in {templates} (needed for browse/index.html)"


def test_record_error_leaves_site(tmp_path):
    content = copy_content(tmp_path)
    out = tmp_path / "site"
    build(content, out)
    before = tree_digests(out)
    write_record(content, "lee-2021-x", title="T", date_issued="2021-02-30")
    with pytest.raises(BuildFailed):
        build(content, out)
    assert tree_digests(out) == before


# --- a full disk --------------------------------------------------------------------------------------


@pytest.fixture
def disk_full(monkeypatch):
    """Make every file the writer opens for writing after the fifth fail with ENOSPC."""
    opened = []

    def open_until_full(file, mode="r", *args, **kwargs):
        if "w" in mode or "x" in mode:
            opened.append(file)
            if len(opened) > 5:
                raise OSError(errno.ENOSPC, "No space left on device")
        return builtins.open(file, mode, *args, **kwargs)

    monkeypatch.setattr(writer, "open", open_until_full, raising=False)
    return opened


@pytest.fixture
def offline_site(tmp_path) -> tuple[Path, dict[str, str]]:
    """An offline site, so that a hosted build over it writes new pages instead of linking unchanged ones."""
    out = tmp_path / "site"
    build(CONTENT, out, profile="offline")
    return out, tree_digests(out)


def test_disk_full_raises_write_error(offline_site, disk_full):
    out, _ = offline_site
    with pytest.raises(WriteError) as raised:
        build(CONTENT, out)
    assert str(raised.value).startswith(f"could not write {out}/")
    assert str(raised.value).endswith(": No space left on device")


def test_disk_full_leaves_site(offline_site, disk_full):
    out, before = offline_site
    with pytest.raises(WriteError):
        build(CONTENT, out)
    assert tree_digests(out) == before


def test_disk_full_leaves_no_staging(offline_site, disk_full):
    out, _ = offline_site
    with pytest.raises(WriteError):
        build(CONTENT, out)
    assert staging_folders(out.parent) == []


def test_disk_full_reported_by_cli(offline_site, disk_full, capsys):
    out, _ = offline_site
    status = cli.main(["build", "--content", str(CONTENT), "--out", str(out)])
    captured = capsys.readouterr()
    assert status == 1
    assert captured.err.startswith(f"error: could not write {out}/")
    assert captured.out == f"Build failed; {out}/ was left as it was\n"


# --- one build at a time ------------------------------------------------------------------------------


def test_second_build_locked_out(previous):
    out, _ = previous
    with BuildLock(out):
        with pytest.raises(BuildLocked) as raised:
            build(CONTENT, out)
    assert str(raised.value).startswith(f"another build is writing {out} (lock file {out.parent / '.site.lock'})")


def test_locked_build_leaves_site(previous):
    out, before = previous
    with BuildLock(out):
        with pytest.raises(BuildLocked):
            build(CONTENT, out)
    assert tree_digests(out) == before


def test_locked_build_reported_by_cli(previous, capsys):
    out, _ = previous
    with BuildLock(out):
        status = cli.main(["build", "--content", str(CONTENT), "--out", str(out)])
    assert status == 1
    assert "another build is writing" in capsys.readouterr().err


def test_lock_released_after_build(previous):
    out, _ = previous
    build(CONTENT, out)
    with BuildLock(out):
        pass


# --- interrupted builds -------------------------------------------------------------------------------


def test_killed_swap_restores_site(previous):
    out, before = previous
    out.rename(out.parent / ".site.old-12345")
    build(CONTENT, out)
    assert tree_digests(out) == before


def test_killed_swap_folder_taken_back(previous):
    out, _ = previous
    out.rename(out.parent / ".site.old-12345")
    build(CONTENT, out)
    assert not (out.parent / ".site.old-12345").exists()


def test_killed_swap_logged(previous, caplog, monkeypatch):
    out, _ = previous
    out.rename(out.parent / ".site.old-12345")
    # A Console from an earlier command may have stopped propagation to the root logger, where caplog listens.
    monkeypatch.setattr(logging.getLogger("shelfmark"), "propagate", True)
    with caplog.at_level(logging.WARNING, logger="shelfmark"):
        build(CONTENT, out)
    assert f"{out}: restored the previous site left by an interrupted build" in caplog.messages


def test_retired_folder_after_swap_removed(previous):
    out, _ = previous
    shutil.copytree(out, out.parent / ".site.old-12345")
    build(CONTENT, out)
    assert not (out.parent / ".site.old-12345").exists()


def test_killed_staging_removed(previous):
    out, _ = previous
    (out.parent / ".site.staging-12345" / "theses").mkdir(parents=True)
    build(CONTENT, out)
    assert not (out.parent / ".site.staging-12345").exists()


# --- output paths -------------------------------------------------------------------------------------


def test_two_pages_one_path(tmp_path):
    content = copy_content(tmp_path)
    (content / "pages" / "clash.md").write_text("---\ntitle: Clash\nslug: theses\n---\nText.\n", encoding="utf-8")
    with pytest.raises(BuildFailed) as raised:
        build(content, tmp_path / "site")
    assert raised.value.problems == [
        f"{content / 'pages' / 'clash.md'}: output path theses/index.html is already used by the listing page; "
        "choose another slug or id"
    ]


def test_two_pages_one_path_writes_nothing(tmp_path):
    content = copy_content(tmp_path)
    (content / "pages" / "search.md").write_text("---\ntitle: Search help\n---\nText.\n", encoding="utf-8")
    with pytest.raises(BuildFailed):
        build(content, tmp_path / "site")
    assert not (tmp_path / "site").exists()


def test_writer_refuses_same_path_twice(tmp_path):
    with SiteWriter(tmp_path / "site") as site:
        site.write("a/index.html", b"one")
        with pytest.raises(WriteError) as raised:
            site.write("a/index.html", b"two")
    assert str(raised.value) == "two outputs claim the same path 'a/index.html'; rename one of the records or pages"


@pytest.mark.parametrize("path", ["../x.html", "a/../../x.html", "theses/../../x", ".."])
def test_output_path_leaving_folder_refused(path):
    with pytest.raises(WriteError) as raised:
        check_output_path(path)
    assert str(raised.value) == f"refusing to write {path!r}: it would leave the output folder"


@pytest.mark.parametrize("path", ["/etc/x.html", "a\\b.html", "", "a\x00b"])
def test_output_path_not_relative_refused(path):
    with pytest.raises(WriteError) as raised:
        check_output_path(path)
    assert str(raised.value) == f"refusing to write {path!r}: output paths must be relative"


def test_writer_refuses_parent_path(tmp_path):
    with pytest.raises(WriteError):
        with SiteWriter(tmp_path / "site") as site:
            site.write("../outside.html", b"x")
    assert not (tmp_path / "outside.html").exists()


def test_record_id_leaving_folder_rejected(tmp_path):
    content = empty_content(tmp_path)
    (content / "theses" / "x.yaml").write_text("id: ../x\ntitle: T\n", encoding="utf-8")
    with pytest.raises(BuildFailed) as raised:
        build(content, tmp_path / "site")
    assert raised.value.problems == [
        f"{content / 'theses' / 'x.yaml'}:1: field 'id': '../x' is not a valid id: use lower-case letters, digits "
        "and single hyphens"
    ]


def test_record_id_leaving_folder_writes_nothing(tmp_path):
    content = empty_content(tmp_path)
    (content / "theses" / "x.yaml").write_text("id: ../x\ntitle: T\n", encoding="utf-8")
    with pytest.raises(BuildFailed):
        build(content, tmp_path / "site")
    assert sorted(path.name for path in tmp_path.iterdir()) == ["content"]


def test_remove_extra_files_keeps_listed(tmp_path):
    top = tmp_path / "staging"
    for path in ("index.html", "a/kept.html", "a/gone.html", "b/c/gone.txt", "b/d/kept.txt", "e/f/g/gone.js"):
        (top / path).parent.mkdir(parents=True, exist_ok=True)
        (top / path).write_text(path, encoding="utf-8")
    (top / "empty").mkdir()
    (top / "linked").symlink_to(top / "a", target_is_directory=True)
    writer.remove_extra_files(top, {"index.html", "a/kept.html", "b/d/kept.txt"})
    left = sorted(str(path.relative_to(top)) for path in top.rglob("*"))
    assert left == ["a", "a/kept.html", "b", "b/d", "b/d/kept.txt", "index.html"]
    assert (top / "a" / "kept.html").read_text(encoding="utf-8") == "a/kept.html"


def _tree(folder: Path) -> list[str]:
    return sorted(str(path.relative_to(folder)) for path in folder.rglob("*"))


def test_scanned_staging_loses_extras(tmp_path):
    out = tmp_path / "site"
    for files in ({"a/kept.html": b"1", "b/c/gone.txt": b"2", "b/gone.txt": b"3"}, {"x.html": b"4"}):
        with SiteWriter(out) as site:
            for path, data in files.items():
                site.write(path, data)
            site.commit()
    with SiteWriter(out) as site:
        assert _tree(site.staging) == ["a", "a/kept.html", "b", "b/c", "b/c/gone.txt", "b/gone.txt"]
        site.write("a/kept.html", b"1")
        site.scan()
        site.write("late/made.js", b"5")  # as the output children write after the scan
        site.commit()
    assert _tree(out) == ["a", "a/kept.html", "late", "late/made.js"]
    assert (out / "late" / "made.js").read_bytes() == b"5"


# --- hard links to the previous site ---------------------------------------------------------------


@pytest.fixture
def live_and_staging(tmp_path) -> tuple[Path, Path]:
    live, staging = tmp_path / "site", tmp_path / "staging"
    (live / "theses" / "a").mkdir(parents=True)
    (live / "theses" / "a" / "index.html").write_bytes(b"live page")
    staging.mkdir()
    return live, staging


def test_link_previous_into_empty_staging(live_and_staging):
    live, staging = live_and_staging
    assert writer.link_previous(staging, live, "theses/a/index.html") is True
    assert (staging / "theses/a/index.html").stat().st_ino == (live / "theses/a/index.html").stat().st_ino
    assert writer.link_previous(staging, live, "theses/a/index.html") is True  # already the same file


def test_link_previous_replaces_other_file(live_and_staging):
    live, staging = live_and_staging
    (staging / "theses" / "a").mkdir(parents=True)
    old = staging / "theses/a/index.html"
    old.write_bytes(b"page of two builds ago")
    outside = staging.parent / "kept"
    outside.hardlink_to(old)  # a second name for the replaced file, which must keep its bytes
    assert writer.link_previous(staging, live, "theses/a/index.html") is True
    assert old.read_bytes() == b"live page"
    assert outside.read_bytes() == b"page of two builds ago"


def test_link_previous_clears_what_is_in_the_way(live_and_staging):
    live, staging = live_and_staging
    (staging / "theses" / "a" / "index.html" / "stale").mkdir(parents=True)
    assert writer.link_previous(staging, live, "theses/a/index.html") is True
    assert (staging / "theses/a/index.html").read_bytes() == b"live page"
    shutil.rmtree(staging / "theses")
    (staging / "theses").write_bytes(b"a file where a folder must be")
    assert writer.link_previous(staging, live, "theses/a/index.html") is True
    assert (staging / "theses/a/index.html").read_bytes() == b"live page"


def test_link_previous_without_live_file(live_and_staging):
    live, staging = live_and_staging
    assert writer.link_previous(staging, live, "theses/b/index.html") is False
    assert not (staging / "theses/b/index.html").exists()
