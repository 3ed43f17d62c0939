"""Decoding and cleaning: what reaches the extractor must be the story's prose, and nothing else."""

from __future__ import annotations

from pathlib import Path

import pytest

from citygraph.text import DocumentError, clean_lines, decode, document_from_bytes, is_html

HTML_CASE = Path(__file__).parent / "cases" / "html-page" / "input.html"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"  \n\t\n", "empty"),
        (b"\x00\x01\x02\x03PK binary", "binary"),
        ("café and Seoul".encode("latin-1"), "not UTF-8"),
        (b"12345 67890\n", "no text"),
    ],
)
def test_decode_rejects(data: bytes, message: str) -> None:
    with pytest.raises(DocumentError, match=message):
        decode(data)


def test_decode_utf8_with_and_without_bom() -> None:
    assert decode("Málaga signed".encode()) == "Málaga signed"
    assert decode(b"\xef\xbb\xbf" + "Málaga signed".encode()) == "Málaga signed"


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-16-le"])
def test_decode_utf16_bom(encoding: str) -> None:
    text = "Płock and Žytomyr signed an agreement."
    bom = {"utf-16": b"", "utf-16-be": b"\xfe\xff", "utf-16-le": b"\xff\xfe"}[encoding]
    assert decode(bom + text.encode(encoding)) == text


def test_is_html() -> None:
    assert is_html(HTML_CASE.read_bytes())
    assert is_html(b"<div><p>one</p><p>two</p><span>x</span></div>")
    assert not is_html(b"Seoul and Vientiane signed an MOU <b>today</b>.")


def test_html_main_text() -> None:
    doc = document_from_bytes(HTML_CASE.read_bytes(), "input.html")
    lines = doc.text.split("\n")
    assert doc.title == "Medellín and Puerto Morelos sign twinning agreement"
    assert any(
        line.startswith("Puerto Morelos (Mexico) and Medellín (Colombia) were twinned") for line in lines
    )
    assert "Laura Fernández" in doc.text
    for boilerplate in ("Home", "Contact", "Privacy", "cookie", "localStorage", "City News"):
        assert boilerplate not in doc.text, boilerplate


def test_boilerplate_list_removed() -> None:
    text = (
        "Provinces\nAn Giang\nBac Giang\nBac Kan\nBac Lieu\nCa Mau\n\n"
        "Bac Giang and Xaysomboun signed a cooperation agreement on 9 August 2021.\n"
        "Home • News • Sport • Contact\n"
    )
    assert clean_lines(text) == ["Bac Giang and Xaysomboun signed a cooperation agreement on 9 August 2021."]


def test_short_lines_kept_when_few_and_headings_title_cased() -> None:
    lines = clean_lines("SEOUL AND HANOI SIGN FRIENDSHIP PACT\nBy the desk\nSeoul and Hanoi signed a pact.")
    assert lines[0].casefold() == "seoul and hanoi sign friendship pact"
    assert lines[0].startswith("Seoul") and not lines[0].isupper()
    assert lines[-1] == "Seoul and Hanoi signed a pact."


def test_boilerplate_province_case_keeps_story() -> None:
    data = (Path(__file__).parent / "cases" / "boilerplate-province-list" / "input.txt").read_bytes()
    doc = document_from_bytes(data, "input.txt")
    assert "Xaysomboun" in doc.text or "Xaisomboun" in doc.text
    assert not any(line in {"An Giang", "Bac Kan", "Ca Mau"} for line in doc.text.split("\n"))
