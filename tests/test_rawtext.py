"""Raw articles in every encoding a scraper leaves are decoded or reported by name."""

from __future__ import annotations

from pathlib import Path

import pytest

from sitegen.rawtext import MAX_BYTES, RawInputError, iter_raw_files, read_raw_article

ARABIC = "حموشي يستقبل نظيره الإسباني بالرباط\r\nلتعزيز التعاون الأمني.\r\n"
EXPECTED = "حموشي يستقبل نظيره الإسباني بالرباط\nلتعزيز التعاون الأمني.\n"


def _file(tmp_path: Path, data: bytes, name: str = "a.txt") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    "data",
    [
        ARABIC.encode("utf-8"),
        ARABIC.encode("utf-8-sig"),
        ARABIC.encode("utf-16"),  # with BOM
        ARABIC.encode("utf-16-le"),  # without BOM
        ARABIC.encode("utf-16-be"),
        ARABIC.encode("utf-32"),
        ARABIC.encode("cp1256"),
    ],
    ids=["utf8", "utf8-bom", "utf16-bom", "utf16le", "utf16be", "utf32", "cp1256"],
)
def test_decodes_known_encodings_and_normalises_newlines(tmp_path: Path, data: bytes) -> None:
    assert read_raw_article(_file(tmp_path, data)) == EXPECTED


def test_old_mac_newlines_become_newlines(tmp_path: Path) -> None:
    assert read_raw_article(_file(tmp_path, "سطر\rسطر".encode())) == "سطر\nسطر"


def _error(tmp_path: Path, data: bytes) -> str:
    path = _file(tmp_path, data, "bad.txt")
    with pytest.raises(RawInputError) as info:
        read_raw_article(path)
    assert info.value.path == path
    assert str(path) in str(info.value)
    return info.value.reason


def test_empty_and_blank_files(tmp_path: Path) -> None:
    assert "empty" in _error(tmp_path, b"")
    assert "empty" in _error(tmp_path, b" \n\r\n\t")
    assert "empty" in _error(tmp_path, "\ufeff  \n".encode())


def test_binary_files(tmp_path: Path) -> None:
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4
    assert "binary" in _error(tmp_path, png)
    controls = bytes([1, 2, 3, 4, 5, 6, 7, 8, 14, 15]) * 50 + b"abc"
    assert "binary" in _error(tmp_path, controls)


def test_file_over_the_size_limit(tmp_path: Path) -> None:
    reason = _error(tmp_path, b"a" * (MAX_BYTES + 1))
    assert "too large" in reason and "5 MB" in reason


def test_file_at_the_size_limit_is_read(tmp_path: Path) -> None:
    data = ("ا" * (MAX_BYTES // 2)).encode()
    assert len(read_raw_article(_file(tmp_path, data))) == MAX_BYTES // 2


def test_undecodable_bytes_are_reported(tmp_path: Path) -> None:
    latin1 = "Réunion à Madrid: coopération sécuritaire renforcée entre polices".encode("latin-1")
    assert "undecodable" in _error(tmp_path, latin1)


def test_missing_file_is_reported(tmp_path: Path) -> None:
    with pytest.raises(RawInputError, match="no such file"):
        read_raw_article(tmp_path / "gone.txt")


def test_iter_raw_files_expands_folders_sorted(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    for name in ("b.txt", "a.txt", "sub/c.txt", "notes.md"):
        (tmp_path / name).write_text("x", encoding="utf-8")
    extra = tmp_path / "notes.md"
    found = iter_raw_files([tmp_path, tmp_path / "a.txt", extra])
    assert found == sorted([tmp_path / "a.txt", tmp_path / "b.txt", tmp_path / "sub/c.txt", extra])


def test_iter_raw_files_keeps_missing_paths_for_reporting(tmp_path: Path) -> None:
    assert iter_raw_files([tmp_path / "nope.txt"]) == [tmp_path / "nope.txt"]
