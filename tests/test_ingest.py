"""Ingest: merging with records on disk, conflicts, the report, and input files that cannot be read."""

from __future__ import annotations

import os
import shutil
import time
import re
from pathlib import Path

import pytest

from conftest import CORPUS, SEED, load_records, run_ingest, snapshot, write_page
from shelfmark import textio
from shelfmark.cli import main
from shelfmark.ingest_report import format_report, summary_line

DEVARAJ = "devaraj-2024-from-parts-to-whole"
DING = "ding-2020-facial-expression-recognition-and"
ZHOU = "zhou-2020-deep-learning-for-forensics"
WEINER = "weiner-2024-a-framework-for-remaining"
SEED_TEXT = SEED.read_text(encoding="utf-8")
DEVARAJ_GROUP = "(2024) Devaraj, Chinmaya; Aloimonos, Yiannis; Electrical Engineering;"
GAP = "http://hdl.handle.net/1903/1654: 10 of 22 harvested: pages 2-3 of this result list are missing"


def edit(path: Path, old: str, new: str) -> None:
    """Replace one exact piece of a file's text, as a person editing it would."""
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} must occur once in {path.name}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def record_file(content: Path, record_id: str) -> Path:
    return content / "theses" / f"{record_id}.yaml"


def change_department(page: Path, department: str) -> None:
    edit(page, DEVARAJ_GROUP, DEVARAJ_GROUP.replace("Electrical Engineering", department))


def cut_seed(inputs: Path, end: str, name: str = "cut.txt") -> Path:
    """A copy of the shipped listing page that stops right after the first occurrence of `end`."""
    return write_page(inputs, name, SEED_TEXT[:SEED_TEXT.index(end) + len(end)])


def cli(capsys, *args: str) -> tuple[int, str, str]:
    status = main(["ingest", *args])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


# --- re-ingest and source changes -------------------------------------------------------------------


def test_reingest_unchanged_status(seeded):
    report = run_ingest([SEED], seeded)
    assert report.total("unchanged") == 10


def test_reingest_unchanged_bytes(seeded):
    before = snapshot(seeded)
    run_ingest([SEED], seeded)
    assert snapshot(seeded) == before


def test_source_change_updates_field(seeded, seed_copy):
    change_department(seed_copy, "Electrical and Computer Engineering")
    run_ingest([seed_copy], seeded)
    assert load_records(seeded)[DEVARAJ]["department"] == "Electrical and Computer Engineering"


def test_source_change_outcome(seeded, seed_copy):
    change_department(seed_copy, "Electrical and Computer Engineering")
    report = run_ingest([seed_copy], seeded)
    outcome = report.files[0].outcomes[0]
    assert (outcome.status, outcome.record_id, outcome.changes) == ("updated", DEVARAJ, ["department"])


def test_source_change_report_line(seeded, seed_copy):
    change_department(seed_copy, "Electrical and Computer Engineering")
    lines = format_report(run_ingest([seed_copy], seeded))
    assert f"  updated {DEVARAJ}: department" in lines


def test_source_change_no_conflict(seeded, seed_copy):
    change_department(seed_copy, "Electrical and Computer Engineering")
    assert run_ingest([seed_copy], seeded).conflicts == 0


def test_source_change_touches_one_record(seeded, seed_copy):
    before = snapshot(seeded)
    change_department(seed_copy, "Electrical and Computer Engineering")
    run_ingest([seed_copy], seeded)
    after = snapshot(seeded)
    assert [name for name in after if after[name] != before[name]] == [f"theses/{DEVARAJ}.yaml"]


def test_repeat_in_same_run_unchanged(content, inputs):
    copy = write_page(inputs, "copy.txt", SEED_TEXT)
    report = run_ingest([SEED, copy], content)
    assert [report.files[1].count(status) for status in ("created", "updated", "unchanged")] == [0, 0, 10]


# --- hand edits and conflicts ------------------------------------------------------------------------


def test_hand_edit_kept(seeded):
    edit(record_file(seeded, DEVARAJ), "department: Electrical Engineering", "department: ECE")
    run_ingest([SEED], seeded)
    assert load_records(seeded)[DEVARAJ]["department"] == "ECE"


def test_hand_edit_no_conflict_when_source_same(seeded):
    edit(record_file(seeded, DEVARAJ), "department: Electrical Engineering", "department: ECE")
    assert run_ingest([SEED], seeded).conflicts == 0


def test_hand_edit_file_unchanged(seeded):
    path = record_file(seeded, DEVARAJ)
    edit(path, "department: Electrical Engineering", "department: ECE")
    before = path.read_bytes()
    run_ingest([SEED], seeded)
    assert path.read_bytes() == before


def test_conflict_keeps_edit(seeded, seed_copy):
    edit(record_file(seeded, DEVARAJ), "department: Electrical Engineering", "department: ECE")
    change_department(seed_copy, "Computer Engineering")
    run_ingest([seed_copy], seeded)
    assert load_records(seeded)[DEVARAJ]["department"] == "ECE"


def test_conflict_counted(seeded, seed_copy):
    edit(record_file(seeded, DEVARAJ), "department: Electrical Engineering", "department: ECE")
    change_department(seed_copy, "Computer Engineering")
    assert run_ingest([seed_copy], seeded).conflicts == 1


def test_conflict_names_file_item_field(seeded, seed_copy):
    edit(record_file(seeded, DEVARAJ), "department: Electrical Engineering", "department: ECE")
    change_department(seed_copy, "Computer Engineering")
    report = run_ingest([seed_copy], seeded)
    assert report.files[0].notes == [
        f"{seed_copy}: item 1 (line 12): {DEVARAJ}.yaml: field 'department' was edited by hand ('ECE') and the "
        "source now says 'Computer Engineering': kept the edit (--overwrite takes the source)"
    ]


def test_conflict_reported_once(seeded, seed_copy):
    edit(record_file(seeded, DEVARAJ), "department: Electrical Engineering", "department: ECE")
    change_department(seed_copy, "Computer Engineering")
    run_ingest([seed_copy], seeded)
    assert run_ingest([seed_copy], seeded).conflicts == 0


def test_overwrite_takes_source(seeded, seed_copy):
    edit(record_file(seeded, DEVARAJ), "department: Electrical Engineering", "department: ECE")
    change_department(seed_copy, "Computer Engineering")
    run_ingest([seed_copy], seeded, overwrite=True)
    assert load_records(seeded)[DEVARAJ]["department"] == "Computer Engineering"


def test_overwrite_reports(seeded, seed_copy):
    edit(record_file(seeded, DEVARAJ), "department: Electrical Engineering", "department: ECE")
    change_department(seed_copy, "Computer Engineering")
    report = run_ingest([seed_copy], seeded, overwrite=True)
    assert report.files[0].notes == [
        f"{seed_copy}: item 1 (line 12): {DEVARAJ}.yaml: field 'department' was edited by hand ('ECE') and the "
        "source now says 'Computer Engineering': took the source's value (--overwrite)"
    ]


def test_overwrite_edit_with_unchanged_source(seeded):
    edit(record_file(seeded, DEVARAJ), "department: Electrical Engineering", "department: ECE")
    run_ingest([SEED], seeded, overwrite=True)
    assert load_records(seeded)[DEVARAJ]["department"] == "Electrical Engineering"


def test_overwrite_then_clean(seeded, seed_copy):
    edit(record_file(seeded, DEVARAJ), "department: Electrical Engineering", "department: ECE")
    change_department(seed_copy, "Computer Engineering")
    run_ingest([seed_copy], seeded, overwrite=True)
    assert run_ingest([seed_copy], seeded).total("unchanged") == 10


def test_hand_added_subject_kept(seeded):
    edit(record_file(seeded, DEVARAJ), "subjects: []", "subjects:\n- Computer vision")
    run_ingest([SEED], seeded)
    assert load_records(seeded)[DEVARAJ]["subjects"] == ["Computer vision"]


# --- cut abstracts -------------------------------------------------------------------------------------


def test_cut_abstract_recorded_incomplete(content, inputs):
    run_ingest([cut_seed(inputs, "To tack")], content)
    assert load_records(content)[DING]["abstract_complete"] is False


def test_cut_abstract_text_kept(content, inputs):
    run_ingest([cut_seed(inputs, "To tack")], content)
    assert load_records(content)[DING]["abstract"].endswith("face expression recognition models. To tack")


def test_cut_abstract_keeps_whole(seeded, inputs):
    run_ingest([cut_seed(inputs, "To tack")], seeded)
    assert load_records(seeded)[DING]["abstract"].endswith("demonstrate the effectiveness of ExprGAN.")


def test_cut_abstract_keeps_complete_flag(seeded, inputs):
    run_ingest([cut_seed(inputs, "To tack")], seeded)
    assert load_records(seeded)[DING]["abstract_complete"] is True


def test_cut_abstract_changes_no_byte(seeded, inputs):
    before = snapshot(seeded)
    run_ingest([cut_seed(inputs, "To tack")], seeded)
    assert snapshot(seeded) == before


def test_complete_replaces_cut(content, inputs):
    run_ingest([cut_seed(inputs, "To tack")], content)
    run_ingest([SEED], content)
    assert load_records(content)[DING]["abstract"].endswith("demonstrate the effectiveness of ExprGAN.")


def test_complete_replaces_cut_flag(content, inputs):
    run_ingest([cut_seed(inputs, "To tack")], content)
    run_ingest([SEED], content)
    assert load_records(content)[DING]["abstract_complete"] is True


def test_longer_cut_replaces_shorter(content, inputs):
    run_ingest([cut_seed(inputs, "To tack", "short.txt")], content)
    run_ingest([cut_seed(inputs, "the effectiveness of Ex", "long.txt")], content)
    assert load_records(content)[DING]["abstract"].endswith("demonstrate the effectiveness of Ex")


def test_shorter_cut_keeps_longer(content, inputs):
    run_ingest([cut_seed(inputs, "the effectiveness of Ex", "long.txt")], content)
    run_ingest([cut_seed(inputs, "To tack", "short.txt")], content)
    assert load_records(content)[DING]["abstract"].endswith("demonstrate the effectiveness of Ex")


def test_cut_abstract_reported(content, inputs):
    page = cut_seed(inputs, "To tack")
    report = run_ingest([page], content)
    assert f"{page}: item 10 (line 56): the abstract is cut off where the file ends; recorded as incomplete" \
        in report.files[0].notes


def test_cut_before_contributors_reported(content, inputs):
    page = cut_seed(inputs, "FACIAL EXPRESSION RECOGNITION AND EDITING WITH LIMITED DATA\n")
    report = run_ingest([page], content)
    assert f"  {page}: skipped item 10 (line 56): cut before its contributor line" in format_report(report)


def test_cut_before_contributors_not_recorded(content, inputs):
    run_ingest([cut_seed(inputs, "FACIAL EXPRESSION RECOGNITION AND EDITING WITH LIMITED DATA\n")], content)
    assert DING not in load_records(content)


# --- matching ------------------------------------------------------------------------------------------


def test_edited_title_kept(seeded):
    edit(record_file(seeded, ZHOU), "title: DEEP LEARNING FOR FORENSICS", "title: Deep Learning for Forensics")
    run_ingest([SEED], seeded)
    assert load_records(seeded)[ZHOU]["title"] == "Deep Learning for Forensics"


def test_edited_title_no_duplicate(seeded):
    edit(record_file(seeded, ZHOU), "title: DEEP LEARNING FOR FORENSICS", "title: Deep Learning for Forensics")
    run_ingest([SEED], seeded)
    assert len(load_records(seeded)) == 10


def test_edited_title_matches_after_source_change(seeded, seed_copy):
    edit(record_file(seeded, ZHOU), "title: DEEP LEARNING FOR FORENSICS", "title: Forensics by Deep Learning")
    edit(seed_copy, "(2020) Zhou, Peng; Davis, Larry; Electrical Engineering",
         "(2020) Zhou, Peng; Davis, Larry; Computer Science")
    run_ingest([seed_copy], seeded)
    assert load_records(seeded)[ZHOU]["department"] == "Computer Science"


def test_edited_title_matches_twice(seeded, seed_copy):
    edit(record_file(seeded, ZHOU), "title: DEEP LEARNING FOR FORENSICS", "title: Forensics by Deep Learning")
    edit(seed_copy, "(2020) Zhou, Peng; Davis, Larry; Electrical Engineering",
         "(2020) Zhou, Peng; Davis, Larry; Computer Science")
    run_ingest([seed_copy], seeded)
    run_ingest([SEED], seeded)
    assert len(load_records(seeded)) == 10


def test_same_title_other_author_new_record(seeded, seed_copy):
    edit(seed_copy, "(2020) Zhou, Peng;", "(2020) Zhao, Ping;")
    run_ingest([seed_copy], seeded)
    assert "zhao-2020-deep-learning-for-forensics" in load_records(seeded)


def test_duplicate_on_page_outcome(content, inputs):
    lines = SEED_TEXT.split("\n")
    page = write_page(inputs, "twice.txt", "\n".join(lines[:20] + lines[15:]))  # item 2 printed twice
    report = run_ingest([page], content)
    outcome = report.files[0].outcomes[2]
    assert (outcome.status, outcome.reason) == ("duplicate", "the same thesis as item 2 on this page")


def test_duplicate_on_page_report_line(content, inputs):
    lines = SEED_TEXT.split("\n")
    page = write_page(inputs, "twice.txt", "\n".join(lines[:20] + lines[15:]))
    assert f"  {page}: skipped item 3 (line 21): the same thesis as item 2 on this page" in format_report(
        run_ingest([page], content))


def test_duplicate_on_page_one_record(content, inputs):
    lines = SEED_TEXT.split("\n")
    page = write_page(inputs, "twice.txt", "\n".join(lines[:20] + lines[15:]))
    run_ingest([page], content)
    assert len(load_records(content)) == 10


# --- dry run -------------------------------------------------------------------------------------------


def test_dry_run_writes_nothing_new(content):
    before = snapshot(content)
    run_ingest([SEED], content, dry_run=True)
    assert snapshot(content) == before


def test_dry_run_writes_nothing_existing(seeded, seed_copy):
    before = snapshot(seeded)
    change_department(seed_copy, "Computer Engineering")
    run_ingest([seed_copy], seeded, dry_run=True)
    assert snapshot(seeded) == before


def test_dry_run_reports_created(content):
    lines = format_report(run_ingest([SEED], content, dry_run=True), dry_run=True)
    assert "  10 items found (Now showing 1 - 10 of 22): 10 would be created, 0 would be updated, 0 unchanged, " \
           "0 skipped" in lines


def test_dry_run_reports_updated(seeded, seed_copy):
    change_department(seed_copy, "Computer Engineering")
    lines = format_report(run_ingest([seed_copy], seeded, dry_run=True), dry_run=True)
    assert f"  would be updated {DEVARAJ}: department" in lines


def test_dry_run_summary(content):
    report = run_ingest([SEED], content, dry_run=True)
    assert summary_line(report, dry_run=True).startswith(
        "Dry run (nothing written): 1 file, 10 items seen = 10 recorded + 0 reported; "
        "10 records: 10 would be created, 0 would be updated, 0 unchanged; 0 conflicts, 0 failed files")


# --- roles ---------------------------------------------------------------------------------------------


def test_record_roles_override_authors(seeded):
    edit(record_file(seeded, WEINER), "roles: null", "roles: all-authors")
    run_ingest([SEED], seeded)
    assert load_records(seeded)[WEINER]["authors"] == ["Weiner, Matthew Joesph", "Azarm, Shapour", "Groth, Katrina M"]


def test_record_roles_override_advisors(seeded):
    edit(record_file(seeded, WEINER), "roles: null", "roles: all-authors")
    run_ingest([SEED], seeded)
    assert load_records(seeded)[WEINER]["advisors"] == []


def test_record_roles_override_others_untouched(seeded):
    edit(record_file(seeded, WEINER), "roles: null", "roles: all-authors")
    run_ingest([SEED], seeded)
    assert load_records(seeded)[DEVARAJ]["advisors"] == ["Aloimonos, Yiannis"]


def test_record_roles_override_stable(seeded):
    edit(record_file(seeded, WEINER), "roles: null", "roles: all-authors")
    run_ingest([SEED], seeded)
    assert run_ingest([SEED], seeded).total("unchanged") == 10


def test_rule_all_authors(content):
    run_ingest([SEED], content, role_rule="all-authors")
    assert load_records(content)[WEINER]["authors"] == ["Weiner, Matthew Joesph", "Azarm, Shapour", "Groth, Katrina M"]


def test_rule_all_authors_no_advisors(content):
    run_ingest([SEED], content, role_rule="all-authors")
    assert load_records(content)[WEINER]["advisors"] == []


def test_rule_first_author_without_department(content):
    run_ingest([CORPUS / "dspace7-browse-by-date-glued.txt"], content, role_rule="first-author")
    record = load_records(content)["achterberg-0023-achterberg-transcripts-2023"]
    assert (record["authors"], record["advisors"]) == (["Achterberg, Lucinda"], ["Osei, Kwabena"])


def test_rule_first_author_no_uncertainty(content):
    report = run_ingest([CORPUS / "dspace7-browse-by-date-glued.txt"], content, role_rule="first-author")
    assert not any("roles uncertain" in note for note in report.files[0].notes)


def test_unknown_rule_rejected(content):
    with pytest.raises(ValueError, match="unknown role rule 'advisors-last'"):
        run_ingest([SEED], content, role_rule="advisors-last")


# --- the report's accounting and the harvest gap ---------------------------------------------------------


def test_gap_message(content):
    assert run_ingest([SEED], content).gaps == [GAP]


def test_gap_names_middle_page(content, inputs):
    header = SEED_TEXT.split("\n")[:11]
    items = [
        "  • Item", "    Signal Processing on Graphs", "    (2019) Ahn, Mina; Feizi, Soheil; Electrical Engineering",
        "    The first abstract.",
        "  • Item", "    Radar Cross Sections", "    (2018) Bose, Ravi; Antonsen, Thomas M; Electrical Engineering",
        "    The second abstract.",
    ]
    text = "\n".join(header + items).replace("Now showing 1 - 10 of 22", "Now showing 21 - 22 of 22")
    page3 = write_page(inputs, "page3.txt", text)
    report = run_ingest([SEED, page3], content)
    assert report.gaps == ["http://hdl.handle.net/1903/1654: 12 of 22 harvested: page 2 of this result list is missing"]


def test_gap_last_page_alone(content, inputs):
    header = SEED_TEXT.split("\n")[:11]
    items = ["  • Item", "    Radar Cross Sections", "    (2018) Bose, Ravi; Antonsen, Thomas M; Electrical Engineering",
             "    The abstract."]
    text = "\n".join(header + items).replace("Now showing 1 - 10 of 22", "Now showing 22 - 22 of 22")
    page = write_page(inputs, "last.txt", text)
    assert run_ingest([page], content).gaps == ["http://hdl.handle.net/1903/1654: 1 of 22 harvested"]


def test_gap_complete_harvest(content, inputs):
    page = write_page(inputs, "all.txt", SEED_TEXT.replace("Now showing 1 - 10 of 22", "Now showing 1 - 10 of 10"))
    assert run_ingest([page], content).gaps == ["http://hdl.handle.net/1903/1654: 10 of 10 harvested"]


def test_accounting_adds_up(content, inputs):
    lines = SEED_TEXT.split("\n")
    twice = write_page(inputs, "twice.txt", "\n".join(lines[:20] + lines[15:]))
    report = run_ingest([twice, CORPUS / "dspace7-glued-cut-in-names.txt", CORPUS], content)
    seen = sum(len(file_report.page.items) for file_report in report.files if file_report.page)
    recorded = sum(report.total(status) for status in ("created", "updated", "unchanged"))
    reported = sum(len(file_report.reported) for file_report in report.files)
    assert seen == recorded + reported


def test_accounting_line(content, inputs):
    lines = SEED_TEXT.split("\n")
    twice = write_page(inputs, "twice.txt", "\n".join(lines[:20] + lines[15:]))
    report = run_ingest([twice, CORPUS / "dspace7-glued-cut-in-names.txt"], content)
    assert summary_line(report).startswith(
        "Ingest: 2 files, 13 items seen = 11 recorded + 2 reported; "
        "11 records: 11 created, 0 updated, 0 unchanged; 0 conflicts, 0 failed files (")


# --- input files ------------------------------------------------------------------------------------------


def test_utf8_bom(content, inputs):
    page = inputs / "bom.txt"
    page.write_bytes(b"\xef\xbb\xbf" + SEED.read_bytes())
    report = run_ingest([page], content)
    assert (report.files[0].encoding, report.total("created")) == ("utf-8-sig", 10)


def test_utf8_bom_scope_name(content, inputs):
    page = inputs / "bom.txt"
    page.write_bytes(b"\xef\xbb\xbf" + SEED.read_bytes())
    report = run_ingest([page], content)
    assert report.files[0].page.scope.name == "A. James Clark School of Engineering"


def test_crlf_same_records(content, inputs, tmp_path):
    page = inputs / "crlf.txt"
    page.write_bytes(SEED.read_bytes().replace(b"\n", b"\r\n"))
    run_ingest([page], content)
    reference = tmp_path / "reference"
    run_ingest([SEED], reference)
    assert load_records(content)[DING]["abstract"] == load_records(reference)[DING]["abstract"]


def test_crlf_then_lf_unchanged(content, inputs):
    page = inputs / "crlf.txt"
    page.write_bytes(SEED.read_bytes().replace(b"\n", b"\r\n"))
    run_ingest([page], content)
    assert run_ingest([SEED], content).total("unchanged") == 10


def cp1252_page(inputs: Path) -> Path:
    """The first corpus page saved as Windows-1252; its first non-ASCII character, "•", is at byte 608."""
    text = (CORPUS / "dspace7-community-bullets.txt").read_text(encoding="utf-8")
    page = inputs / "cp1252.txt"
    page.write_bytes(text.encode("cp1252"))  # "•", "ñ" and curly quotes all exist in Windows-1252
    return page


def test_windows_1252_decoded(content, inputs):
    run_ingest([cp1252_page(inputs)], content)
    record = next(iter(load_records(content).values()))
    assert record["advisors"] == ["Quiñones, Marisol"]


def test_windows_1252_warned(content, inputs):
    page = cp1252_page(inputs)
    report = run_ingest([page], content)
    assert report.files[0].notes[0] == (
        f"{page}: not valid UTF-8 (byte at offset 608); read as Windows-1252. "
        "Check accented letters in the records it produced")


def test_windows_1252_encoding_named(content, inputs):
    report = run_ingest([cp1252_page(inputs)], content)
    assert report.files[0].encoding == "windows-1252"


def test_undecodable_error(content, inputs):
    page = inputs / "bad.txt"
    page.write_bytes(b"Now showing 1 - 10 of 22\n\x81\x8d caf\xe9")
    report = run_ingest([page], content)
    assert report.files[0].error == (
        f"{page}: undecodable bytes: not UTF-8 (invalid byte at offset 25) and not Windows-1252 "
        "(undefined byte 0x81 at offset 25); save the page again as UTF-8")


def test_empty_file_error(content, inputs):
    page = write_page(inputs, "empty.txt", "")
    assert run_ingest([page], content).files[0].error == f"{page}: the file is empty"


def test_blank_file_error(content, inputs):
    page = write_page(inputs, "blank.txt", " \n\n\t\n")
    assert run_ingest([page], content).files[0].error == f"{page}: the file is empty"


def test_binary_file_error(content, inputs):
    page = inputs / "image.txt"
    page.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    assert run_ingest([page], content).files[0].error == (
        f"{page}: binary data (a NUL byte at offset 8); expected an HTML or text listing page")


def test_not_a_listing_error(content, inputs):
    page = write_page(inputs, "notes.txt", "Shopping list\n\nMilk, eggs and bread (2 loaves).\n")
    assert run_ingest([page], content).files[0].error == (
        f"{page}: not a repository listing page: no \"Now showing\" count, no \"Permanent URI\" line "
        "and no item with a \"(year) names\" line found")


def test_over_max_size_error(content, inputs):
    page = write_page(inputs, "big.txt", SEED_TEXT)
    size = page.stat().st_size
    report = run_ingest([page], content, max_bytes=size - 1)
    assert report.files[0].error == (
        f"{page}: file is {size:,} bytes, over the {size - 1:,}-byte limit for listing pages; "
        "split the page or raise the limit with --max-size")


def test_at_max_size_accepted(content, inputs):
    page = write_page(inputs, "big.txt", SEED_TEXT)
    report = run_ingest([page], content, max_bytes=page.stat().st_size)
    assert report.total("created") == 10


def test_missing_path_error(content, tmp_path):
    missing = tmp_path / "nowhere.txt"
    assert run_ingest([missing], content).files[0].error == f"{missing}: no such file or folder"


def test_folder_without_pages_error(content, tmp_path):
    folder = tmp_path / "empty-folder"
    folder.mkdir()
    assert run_ingest([folder], content).files[0].error == (
        f"{folder}: no listing pages (.txt, .html, .htm) in this folder")


def test_long_line_without_dates_rejected_quickly(content, inputs):
    # One 280 KB line with 20,000 "Item" words and no date group, like a minified script saved as text.
    # A detection pattern that rescans the rest of the line for each word takes over a minute on it.
    page = write_page(inputs, "script.txt", "xItem A title " * 20_000)
    started = time.perf_counter()
    report = run_ingest([page], content)
    assert report.files[0].error.startswith(f"{page}: not a repository listing page")
    assert time.perf_counter() - started < 15


@pytest.mark.parametrize("bad", ["empty", "binary", "undecodable", "notes", "big"])
def test_bad_file_others_ingested(content, inputs, bad):
    pages = {
        "empty": b"",
        "binary": b"\x00\x01\x02",
        "undecodable": b"Now showing 1 - 1 of 1\n\x81",
        "notes": b"Shopping list\n",
        "big": b"x" * 40_000,
    }
    write_page(inputs, "a-seed.txt", SEED_TEXT)  # 37,801 bytes
    (inputs / f"b-{bad}.txt").write_bytes(pages[bad])
    report = run_ingest([inputs], content, max_bytes=39_000)
    assert (report.total("created"), len(report.failed)) == (10, 1)


def test_failed_file_in_summary(content, inputs):
    write_page(inputs, "empty.txt", "")
    report = run_ingest([SEED, inputs / "empty.txt"], content)
    assert "; 0 conflicts, 1 failed file (" in summary_line(report)


# --- writing ----------------------------------------------------------------------------------------------


def test_no_temporary_files_left(seeded, seed_copy):
    change_department(seed_copy, "Computer Engineering")
    run_ingest([seed_copy], seeded)
    assert sorted(path.name for path in seeded.rglob(".*")) == []


def failing_replace(source, target):
    raise OSError(28, "No space left on device")


def test_failed_write_keeps_old_record(seeded, seed_copy, monkeypatch):
    path = record_file(seeded, DEVARAJ)
    before = path.read_bytes()
    change_department(seed_copy, "Computer Engineering")
    monkeypatch.setattr(textio.os, "replace", failing_replace)
    with pytest.raises(OSError):
        run_ingest([seed_copy], seeded)
    assert path.read_bytes() == before


def test_failed_write_leaves_no_temporary(seeded, seed_copy, monkeypatch):
    change_department(seed_copy, "Computer Engineering")
    monkeypatch.setattr(textio.os, "replace", failing_replace)
    with pytest.raises(OSError):
        run_ingest([seed_copy], seeded)
    assert sorted(path.name for path in seeded.rglob(".*")) == []


def test_unreadable_record_stops_ingest(seeded):
    record_file(seeded, DEVARAJ).write_text("id: devaraj-2024-from-parts-to-whole\ntitle: [unclosed\n", encoding="utf-8")
    with pytest.raises(textio.InputError) as raised:
        run_ingest([SEED], seeded)
    assert str(raised.value) == (
        "cannot ingest while existing records are unreadable; fix them first:\n"
        f"  {record_file(seeded, DEVARAJ)}:3: invalid YAML: did not find expected ',' or ']'")


# --- the command line -------------------------------------------------------------------------------------


def test_cli_exit_zero(capsys, content):
    status, _, _ = cli(capsys, str(SEED), "--content", str(content))
    assert status == 0


def test_cli_summary_on_stdout(capsys, content):
    _, out, _ = cli(capsys, str(SEED), "--content", str(content))
    assert out.splitlines()[-1].startswith(
        "Ingest: 1 file, 10 items seen = 10 recorded + 0 reported; "
        "10 records: 10 created, 0 updated, 0 unchanged; 0 conflicts, 0 failed files (")


def test_cli_gap_on_stdout(capsys, content):
    _, out, _ = cli(capsys, str(SEED), "--content", str(content))
    assert GAP in out.splitlines()


def test_cli_writes_records(capsys, content):
    cli(capsys, str(SEED), "--content", str(content))
    assert len(load_records(content)) == 10


def test_cli_conflict_warning(capsys, seeded, seed_copy):
    edit(record_file(seeded, DEVARAJ), "department: Electrical Engineering", "department: ECE")
    change_department(seed_copy, "Computer Engineering")
    _, _, err = cli(capsys, str(seed_copy), "--content", str(seeded))
    assert err.splitlines() == [
        f"warning: {seed_copy}: item 1 (line 12): {DEVARAJ}.yaml: field 'department' was edited by hand ('ECE') "
        "and the source now says 'Computer Engineering': kept the edit (--overwrite takes the source)"
    ]


def test_cli_conflict_in_summary(capsys, seeded, seed_copy):
    edit(record_file(seeded, DEVARAJ), "department: Electrical Engineering", "department: ECE")
    change_department(seed_copy, "Computer Engineering")
    _, out, _ = cli(capsys, str(seed_copy), "--content", str(seeded))
    assert "; 1 conflicts, 0 failed files (" in out.splitlines()[-1]


def test_cli_overwrite(capsys, seeded, seed_copy):
    edit(record_file(seeded, DEVARAJ), "department: Electrical Engineering", "department: ECE")
    change_department(seed_copy, "Computer Engineering")
    cli(capsys, str(seed_copy), "--content", str(seeded), "--overwrite")
    assert load_records(seeded)[DEVARAJ]["department"] == "Computer Engineering"


def test_cli_dry_run_writes_nothing(capsys, content):
    before = snapshot(content)
    cli(capsys, str(SEED), "--content", str(content), "--dry-run")
    assert snapshot(content) == before


def test_cli_dry_run_summary(capsys, content):
    _, out, _ = cli(capsys, str(SEED), "--content", str(content), "--dry-run")
    assert out.splitlines()[-1].startswith("Dry run (nothing written): 1 file, 10 items seen")


def test_cli_roles_all_authors(capsys, content):
    cli(capsys, str(SEED), "--content", str(content), "--roles", "all-authors")
    assert load_records(content)[WEINER]["advisors"] == []


def test_cli_roles_from_config(capsys, content):
    (content / "site.yaml").write_text("ingest:\n  roles: all-authors\n", encoding="utf-8")
    cli(capsys, str(SEED), "--content", str(content))
    assert load_records(content)[WEINER]["advisors"] == []


def test_cli_failed_file_exit_one(capsys, content, inputs):
    empty = write_page(inputs, "empty.txt", "")
    status, _, _ = cli(capsys, str(SEED), str(empty), "--content", str(content))
    assert status == 1


def test_cli_failed_file_error_line(capsys, content, inputs):
    empty = write_page(inputs, "empty.txt", "")
    _, _, err = cli(capsys, str(SEED), str(empty), "--content", str(content))
    assert err.splitlines() == [f"error: {empty}: the file is empty"]


def test_cli_failed_file_others_written(capsys, content, inputs):
    empty = write_page(inputs, "empty.txt", "")
    cli(capsys, str(SEED), str(empty), "--content", str(content))
    assert len(load_records(content)) == 10


def test_cli_max_size_rejects(capsys, content, inputs):
    limit = int(0.002 * 1024 * 1024)
    page = inputs / "over.txt"
    page.write_bytes((CORPUS / "dspace7-community-bullets.txt").read_bytes().ljust(limit + 1, b" "))
    status, _, err = cli(capsys, str(page), "--content", str(content), "--max-size", "0.002")
    assert (status, err.splitlines()) == (1, [
        f"error: {page}: file is 2,098 bytes, over the 2,097-byte limit for listing pages; "
        "split the page or raise the limit with --max-size"])


def test_cli_max_size_accepts_at_limit(capsys, content, inputs):
    limit = int(0.002 * 1024 * 1024)
    page = inputs / "under.txt"
    page.write_bytes((CORPUS / "dspace7-community-bullets.txt").read_bytes().ljust(limit, b" "))
    status, _, _ = cli(capsys, str(page), "--content", str(content), "--max-size", "0.002")
    assert (status, page.stat().st_size, len(load_records(content))) == (0, 2097, 1)


def test_cli_windows_1252_warning(capsys, content, inputs):
    page = cp1252_page(inputs)
    _, _, err = cli(capsys, str(page), "--content", str(content))
    assert err.splitlines() == [
        f"warning: {page}: not valid UTF-8 (byte at offset 608); read as Windows-1252. "
        "Check accented letters in the records it produced"]


def test_cli_unreadable_record_exit_two(capsys, seeded):
    record_file(seeded, DEVARAJ).write_text("title: [unclosed\n", encoding="utf-8")
    status, out, _ = cli(capsys, str(SEED), "--content", str(seeded))
    assert (status, out.splitlines()[-1]) == (2, "Ingest failed: nothing was written")


def test_cli_folder_input(capsys, content, tmp_path):
    listings = tmp_path / "listings"
    shutil.copytree(SEED.parent, listings)
    cli(capsys, str(listings), "--content", str(content))
    assert len(load_records(content)) == 10


def test_cli_skips_hidden_files(capsys, content, tmp_path):
    listings = tmp_path / "listings"
    listings.mkdir()
    shutil.copyfile(SEED, listings / "page.txt")
    (listings / ".page.txt.swp").write_bytes(b"\x00binary")
    status, _, _ = cli(capsys, str(listings), "--content", str(content))
    assert status == 0


def test_cli_relative_paths(capsys, tmp_path, monkeypatch):
    shutil.copytree(SEED.parent, tmp_path / "listings")
    monkeypatch.chdir(tmp_path)
    _, out, _ = cli(capsys, "listings", "--content", "content")
    assert out.splitlines()[0] == f"{os.path.join('listings', SEED.name)}: DSpace 7 page copied as text, utf-8"


def test_same_thesis_on_two_pages_counts_one_record(content, inputs):
    copy = write_page(inputs, "copy.txt", SEED_TEXT)
    report = run_ingest([SEED, copy], content)
    assert summary_line(report).startswith(
        "Ingest: 2 files, 20 items seen = 20 recorded + 0 reported; "
        "10 records: 10 created, 0 updated, 0 unchanged; ")


def _page_two(inputs):
    """The seed page's header with "11 - 20 of 22" and its items under new titles."""
    text = SEED_TEXT.replace("Now showing 1 - 10 of 22", "Now showing 11 - 20 of 22")
    titles = re.findall(r"^ *(?:• )?Item\n    (.+)$", SEED_TEXT, re.MULTILINE)
    assert len(titles) == 10
    for number, title in enumerate(titles, start=11):
        text = text.replace(f"Item\n    {title}\n", f"Item\n    Second page thesis {number}\n", 1)
    return write_page(inputs, "page-2.txt", text)


def test_gap_remembers_pages_of_earlier_runs(content, inputs):
    run_ingest([SEED], content)
    report = run_ingest([_page_two(inputs)], content)
    assert report.gaps == ["http://hdl.handle.net/1903/1654: 20 of 22 harvested: page 3 of this result list is missing"]


def test_collection_file_keeps_pages_harvested(content, inputs):
    run_ingest([SEED], content)
    run_ingest([_page_two(inputs)], content)
    text = (content / "collection.yaml").read_text(encoding="utf-8")
    assert "  pages_harvested:\n  - 1-10\n  - 11-20\n" in text


CUT_GAP = ("http://hdl.handle.net/1903/1654: 9 of 22 harvested: pages 2-3 of this result list are missing; "
           "item 10 on the pages ingested was cut off or skipped (see the file reports above)")


def test_gap_names_items_cut_off(content, inputs):
    page = cut_seed(inputs, "FACIAL EXPRESSION RECOGNITION AND EDITING WITH LIMITED DATA\n")
    assert run_ingest([page], content).gaps == [CUT_GAP]
    text = (content / "collection.yaml").read_text(encoding="utf-8")
    assert "  pages_harvested:\n  - 1-10\n  items_missing:\n  - 10-10\n" in text


def test_gap_remembers_items_cut_off(content, inputs):
    run_ingest([cut_seed(inputs, "FACIAL EXPRESSION RECOGNITION AND EDITING WITH LIMITED DATA\n")], content)
    report = run_ingest([_page_two(inputs)], content)
    assert report.gaps == ["http://hdl.handle.net/1903/1654: 19 of 22 harvested: page 3 of this result list is "
                           "missing; item 10 on the pages ingested was cut off or skipped (see the file reports above)"]


def test_whole_copy_fills_items_cut_off(content, inputs):
    run_ingest([cut_seed(inputs, "FACIAL EXPRESSION RECOGNITION AND EDITING WITH LIMITED DATA\n")], content)
    assert run_ingest([SEED], content).gaps == [GAP]
    assert "items_missing" not in (content / "collection.yaml").read_text(encoding="utf-8")


def test_report_names_files_not_read(content, inputs):
    shutil.copy(SEED, inputs / "seed.txt")
    for name in ("README.md", "notes.pdf"):
        (inputs / name).write_text("not a listing page", encoding="utf-8")
    lines = format_report(run_ingest([inputs], content))
    start = lines.index("2 files in the folders given are not .txt, .html or .htm and were not read:")
    assert lines[start + 1:start + 3] == [f"  {inputs / 'README.md'}", f"  {inputs / 'notes.pdf'}"]


def test_report_one_item_found(content, inputs):
    page = cut_seed(inputs, "fine-grained motion during video-text retrieval.\n")
    lines = format_report(run_ingest([page], content))
    assert lines[2] == "  1 item found (Now showing 1 - 10 of 22): 1 created, 0 updated, 0 unchanged, 0 skipped"


def test_ingest_warning_said_once(capsys, inputs, tmp_path):
    status, _, err = cli(capsys, str(CORPUS / "dspace7-browse-by-date-glued.txt"), "--content", str(tmp_path / "c"))
    lines = [line for line in err.splitlines() if "implausible date" in line]
    assert len(lines) == 1
    assert lines[0].startswith("warning: ")
    assert lines[0].count("warning") == 1


def test_written_files_follow_umask(tmp_path):
    old_mask = os.umask(0o027)
    try:
        new = tmp_path / "new.yaml"
        textio.write_atomic(new, b"a: 1\n")
        assert new.stat().st_mode & 0o777 == 0o640
        existing = tmp_path / "existing.yaml"
        existing.write_bytes(b"a: 1\n")
        existing.chmod(0o664)
        textio.write_atomic(existing, b"a: 2\n")
        assert existing.stat().st_mode & 0o777 == 0o664
        assert existing.read_bytes() == b"a: 2\n"
    finally:
        os.umask(old_mask)
