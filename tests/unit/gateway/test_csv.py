"""CSV downloads: RFC 4180 quoting, and no cell a spreadsheet would run as a formula."""

import csv
import io

import pytest

from gateway.render import csv_document, spreadsheet_safe


@pytest.mark.parametrize(
    ("cell", "safe"),
    [
        ("=1+1", "'=1+1"),
        ("+44 20", "'+44 20"),
        ("-1", "'-1"),
        ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("Lisbon", "Lisbon"),
        ("a=b", "a=b"),
        ("", ""),
        (None, ""),
        (7, "7"),
    ],
)
def test_a_cell_that_starts_like_a_formula_gets_an_apostrophe(cell, safe):
    assert spreadsheet_safe(cell) == safe


def test_a_document_is_a_header_row_then_rows_quoted_where_needed_with_crlf():
    text = csv_document(("a", "b"), [("x, y", 'say "hi"'), ("line\nbreak", "=cmd|' /C calc'!A0")])
    assert text == 'a,b\r\n"x, y","say ""hi"""\r\n"line\nbreak",\'=cmd|\' /C calc\'!A0\r\n'
    assert list(csv.reader(io.StringIO(text, newline=""))) == [
        ["a", "b"],
        ["x, y", 'say "hi"'],
        ["line\nbreak", "'=cmd|' /C calc'!A0"],
    ]
