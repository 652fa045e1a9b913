"""Figure files are judged by what they hold, not their names (content/figure_files.py)."""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

import pytest
from PIL import Image

from casepress.content.figure_files import read_figure_files


def _png(width: int = 8, height: int = 6) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (200, 30, 30)).save(out, "PNG")
    return out.getvalue()


def _jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 6), (20, 30, 200)).save(out, "JPEG")
    return out.getvalue()


def _claimed(width: int, height: int) -> bytes:
    """A PNG whose header claims `width` x `height` pixels (its data is a few bytes)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(b"\x00" * 10)) + chunk(b"IEND", b""))


CASES = {  # file name -> (bytes, rule or None when usable, words in the message)
    "good-a.png": (_png(), None, ""),
    "good-b.jpg": (_jpeg(), None, ""),
    "script-a.svg": (b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
                     "figure-file-type", "an SVG image, which can hold script"),
    "notes-a.txt": (b"text", "figure-file-type", "not an image"),
    "renamed-a.png": (_jpeg(), "figure-file-type", "holds a JPEG image, not the PNG"),
    "empty-a.png": (b"", "figure-file-damaged", "is empty; its placeholder is kept"),
    "truncated-a.png": (_png(300, 200)[:-60], "figure-file-damaged", "cannot be read"),
    "oversized-a.png": (_claimed(8000, 7000), "figure-file-damaged",
                        "claims 8000 x 7000 pixels"),
    "bomb-a.png": (_claimed(60_000, 60_000), "figure-file-damaged", "decompression bomb"),
}


@pytest.mark.parametrize("name", CASES)
def test_figure_file(tmp_path: Path, name: str) -> None:
    data, rule, words = CASES[name]
    folder = tmp_path / "docs" / "assets" / "figures" / "a-case"
    folder.mkdir(parents=True)
    (folder / name).write_bytes(data)
    usable, problems = read_figure_files(tmp_path / "docs", "docs")
    if rule is None:
        assert usable == {f"assets/figures/a-case/{name}"} and problems == []
    else:
        assert usable == set()
        [problem] = problems
        assert (problem.file, problem.rule) == (f"docs/assets/figures/a-case/{name}", rule)
        assert words in problem.message
