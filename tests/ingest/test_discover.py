"""Discovery in-process: which files an ingest takes (pure file-system walking)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ingest.job.discover import DiscoveryError, discover, is_input_name, is_skipped_name


@pytest.mark.parametrize(
    ("name", "skipped"),
    [
        ("report.txt", False),
        (".hidden.txt", True),
        ("report.txt~", True),
        (".#report.txt", True),
        ("report.txt.swp", True),
        ("~$report.docx", True),
        ("#report.txt#", True),
        ("รายงาน.txt", False),
        ("x.part", True),
    ],
)
def test_skipped_names(name, skipped):
    assert is_skipped_name(name) is skipped


@pytest.mark.parametrize(
    ("name", "taken"),
    [
        ("a.txt", True),
        ("a.PDF", True),
        ("a.html", True),
        ("a.zip", True),
        ("NOEXT", True),
        ("README.md", False),
        ("photo.jpg", True),  # a scanned page, read by OCR
        ("scan.TIFF", True),
        ("sheet.xlsx", True),
        ("report.docx", True),
        ("old.xls", True),
        ("report.odt", True),
        ("talk.pptx", True),
        ("memo.rtf", True),
        ("page.mht", True),
        ("scan.bmp", True),
        ("music.mp3", False),
    ],
)
def test_input_names(name, taken):
    assert is_input_name(name) is taken


def _tree(root: Path, names: list[str]) -> None:
    for name in names:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(name, encoding="utf-8")


def test_walks_folders_recursively_sorted_and_once(tmp_path, monkeypatch):
    _tree(
        tmp_path,
        [
            "b/2.txt",
            "a/1.txt",
            "a/deep/er/3.pdf",
            ".git/x.txt",
            "a/.cache/y.txt",
            "a/notes.md",
            "a/1.txt~",
        ],
    )
    monkeypatch.chdir(tmp_path)
    found = discover(["a", "b", "a/1.txt", "./a"])
    assert [c.path for c in found.candidates] == ["a/1.txt", "a/deep/er/3.pdf", "b/2.txt"]
    assert found.skipped == 1  # a/notes.md (reached twice, counted once)
    assert found.skipped_files == (
        ("a/.cache/", "hidden folder, not searched"),
        ("a/1.txt~", "temporary file (an editor's or office suite's leftover)"),
        ("a/notes.md", "file type .md is not read"),
    )
    assert found.leftovers == 2
    first = found.candidates[0]
    assert first.size_bytes == len("a/1.txt") and first.mtime_ns > 0


def test_current_folder_paths_have_no_dot_prefix(tmp_path, monkeypatch):
    _tree(tmp_path, ["x.txt"])
    monkeypatch.chdir(tmp_path)
    assert [c.path for c in discover(["."]).candidates] == ["x.txt"]


def test_globs_and_explicit_files(tmp_path, monkeypatch):
    _tree(tmp_path, ["in/a.txt", "in/b.pdf", "in/sub/c.txt", "in/notes.md", "in/.h.txt"])
    monkeypatch.chdir(tmp_path)
    assert [c.path for c in discover(["in/*.txt"]).candidates] == ["in/a.txt"]
    assert [c.path for c in discover(["in/**/*.txt"]).candidates] == ["in/a.txt", "in/sub/c.txt"]
    # named explicitly: taken whatever its type or name
    assert [c.path for c in discover(["in/notes.md", "in/.h.txt"]).candidates] == [
        "in/.h.txt",
        "in/notes.md",
    ]


def test_symlinked_duplicates_are_taken_once(tmp_path, monkeypatch):
    _tree(tmp_path, ["in/a.txt"])
    os.symlink(tmp_path / "in" / "a.txt", tmp_path / "in" / "link.txt")
    monkeypatch.chdir(tmp_path)
    assert len(discover(["in"]).candidates) == 1


def test_excluded_files_are_never_taken(tmp_path, monkeypatch):
    _tree(tmp_path, ["in/a.txt", "in/w.duckdb"])
    monkeypatch.chdir(tmp_path)
    found = discover(["in", "in/w.duckdb"], exclude=["in/w.duckdb"])
    assert [c.path for c in found.candidates] == ["in/a.txt"]


def test_nothing_matching_is_an_error(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(DiscoveryError, match="no-such"):
        discover(["no-such"])
    with pytest.raises(DiscoveryError):
        discover(["*.nothing"])


def test_images_are_skipped_with_ocr_off(tmp_path, monkeypatch):
    _tree(tmp_path, ["in/scan.png", "in/a.txt", "in/b.TIF"])
    monkeypatch.chdir(tmp_path)
    assert [c.path for c in discover(["in"]).candidates] == ["in/a.txt", "in/b.TIF", "in/scan.png"]
    found = discover(["in"], ocr=False)
    assert [c.path for c in found.candidates] == ["in/a.txt"]
    assert found.skipped == 2
    assert found.skipped_files[1] == (
        "in/scan.png",
        "image: read only by OCR, which is off (--no-ocr)",
    )
    assert is_input_name("x.png", ocr=False) is False
