"""Inert text: hostile names, paths and server replies shown on a terminal, in a file, in a sheet."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from isspass.text import DEFAULT_MAX_LENGTH, NAME_MAX_LENGTH, csv_cell, inert, safe_name

# Everything that must never reach a terminal raw.
STEERING = re.compile(
    "[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)


@pytest.mark.parametrize(
    ("hostile", "shown"),
    [
        ("ISS\x1b[2J", "ISS\\x1b[2J"),  # clear the screen
        ("\x1b]0;pwned\x07", "\\x1b]0;pwned\\x07"),  # set the window title
        ("ISS\x08\x08\x08HST", "ISS\\x08\\x08\\x08HST"),  # backspaces over the name
        ("a\x00b", "a\\x00b"),
        ("\x9b31mred", "\\x9b31mred"),  # the one-byte CSI of C1
        ("\x7f", "\\x7f"),
        ("abc\u202egnp.exe", "abc\\u202egnp.exe"),  # right-to-left override
        ("\u2066x\u2069\u200e\u200f\u061c", "\\u2066x\\u2069\\u200e\\u200f\\u061c"),
        ("line\nbreak\r\u2028", "line\\x0abreak\\x0d\\u2028"),
        ("bad byte \udcff", "bad byte \\udcff"),  # what surrogateescape makes of 0xff
        ("ISS (ZARYA) – Zürich °", "ISS (ZARYA) – Zürich °"),  # ordinary Unicode stays
        ("C:\\path\\x1b", "C:\\path\\x1b"),  # backslashes are kept as they are
    ],
)
def test_inert_shows_control_characters_as_escapes(hostile, shown):
    assert inert(hostile) == shown


def test_inert_cuts_long_text_with_an_ellipsis():
    assert inert("x" * 10_000_000) == "x" * (DEFAULT_MAX_LENGTH - 1) + "…"
    assert inert("abcdef", max_length=4) == "abc…"
    assert inert("abcd", max_length=4) == "abcd"


def test_inert_never_cuts_inside_an_escape():
    assert inert("ab\x1bcd", max_length=6) == "ab…"  # "ab\x1b" is 6 characters: no room for …
    assert inert("\x1b" * 50, max_length=10) == "\\x1b\\x1b…"


def test_inert_refuses_a_silly_length():
    with pytest.raises(ValueError, match="at least 1"):
        inert("x", max_length=0)


def test_safe_name():
    assert safe_name("  ISS (ZARYA)\n") == "ISS (ZARYA)"
    assert safe_name("\x1b[31mISS") == "\\x1b[31mISS"
    assert safe_name("N" * 500) == "N" * (NAME_MAX_LENGTH - 1) + "…"


@pytest.mark.parametrize(
    ("cell", "written"),
    [
        ("=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"),
        ("+1+cmd|' /C calc'!A0", "'+1+cmd|' /C calc'!A0"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
        ("\t=1+1", "'\\x09=1+1"),
        ("\r=1+1", "'\\x0d=1+1"),
        ("＝1+1", "'＝1+1"),  # full-width equals sign
        ("-", "'-"),
        ("-inf", "'-inf"),
        ("Zürich", "Zürich"),
        ("a=b", "a=b"),
        ("", ""),
        ("\x1b[2J", "\\x1b[2J"),
        # plain numbers stay numbers
        ("-3.5", "-3.5"),
        ("+12", "+12"),
        ("-.5", "-.5"),
        ("-1e-05", "-1e-05"),
        ("47.37", "47.37"),
    ],
)
def test_csv_cell(cell, written):
    assert csv_cell(cell) == written


def test_csv_cell_bounded():
    assert len(csv_cell("=" + "x" * 1000)) == DEFAULT_MAX_LENGTH
    assert csv_cell("=" + "x" * 1000).startswith("'=")


@settings(max_examples=300, deadline=None)
@given(st.text(), st.integers(min_value=1, max_value=300))
def test_inert_properties(text, max_length):
    shown = inert(text, max_length)
    assert not STEERING.search(shown)
    assert len(shown) <= max_length
    if not STEERING.search(text) and len(text) <= max_length:
        assert shown == text


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_csv_cell_properties(text):
    cell = csv_cell(text)
    assert not STEERING.search(cell)
    assert len(cell) <= DEFAULT_MAX_LENGTH
    formula = cell[:1] in set("=+-@＝＋－＠")
    assert not formula or re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?", cell)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.floats(-1e15, 1e15), st.integers(-(10**30), 10**30)))
def test_csv_cell_keeps_numbers(number):
    for text in (repr(number), f"{number:.3f}", f"{number:+}", f"{number:e}"):
        assert csv_cell(text) == text
