"""Random input into every parser of outside text: only the documented exception may come out,
and whatever is accepted is sane (finite numbers in range, names a terminal shows as they are).

``ElementsError`` for elements, ``ConfigError`` for the config file, ``ValueError`` for
batch locations. Example counts are bounded so that the module runs in a few seconds.
"""

from __future__ import annotations

import json
import math
import os
import tempfile
import unicodedata
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hostile_cli import OMM_RECORD
from isspass.config import load_config
from isspass.elements import decode_elements
from isspass.errors import ConfigError, ElementsError
from isspass.locations import read_locations
from isspass.model import Elements
from isspass.omm import parse_omm_json
from isspass.validation import EARLIEST_EPOCH, LATEST_EPOCH

FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
LINE1 = "1 25544U 98067A   26267.14191496  .00009634  00000+0  18116-3 0  9999"
LINE2 = "2 25544  51.6318 170.3464 0004691 174.6338 185.4701 15.49258637587098"
#: Characters that steer a terminal or reorder text (see isspass.text): none may survive.
_STEERING = {0x061C, 0x200E, 0x200F, 0x2028, 0x2029, *range(0x202A, 0x202F), *range(0x2066, 0x206A)}


def shown_as_is(text: str) -> bool:
    """No control character, bidi control or line separator in ``text``."""
    return not any(unicodedata.category(c) in ("Cc", "Cs") or ord(c) in _STEERING for c in text)


def sane(found: list[Elements]) -> None:
    assert found
    for e in found:
        assert e.name and e.name.isprintable() and len(e.name) <= 80, e.name
        assert 1 <= e.norad_id <= 999_999_999
        assert EARLIEST_EPOCH <= e.epoch < LATEST_EPOCH
        for value in (e.mean_motion, e.mean_motion_dot, e.inclination_deg, e.eccentricity):
            assert math.isfinite(value)
        assert 0.05 <= e.mean_motion <= 20 and 0 <= e.eccentricity < 1 and 0 <= e.inclination_deg <= 180


def decoded(data: bytes) -> None:
    try:
        found = decode_elements(data, "fuzz")
    except ElementsError as exc:
        assert "\n" not in str(exc)
        return
    sane(found)


# --------------------------------------------------------------------------- elements: bytes and text


@FUZZ
@given(st.binary(max_size=2048))
def test_random_bytes_as_elements(data):
    decoded(data)


@FUZZ
@given(st.text(max_size=1024))
def test_random_text_as_elements(text):
    decoded(text.encode("utf-8", "surrogatepass"))


_TLE_CHARACTERS = " 0123456789.+-eEnaN\x00\x1bZ\n"


def _mutated(text: str) -> st.SearchStrategy[str]:
    """``text`` with a few characters replaced, inserted or removed."""
    edits = st.lists(
        st.tuples(st.integers(0, len(text)), st.integers(0, 1), st.sampled_from(_TLE_CHARACTERS)),
        max_size=4,
    )

    def apply(changes: list[tuple[int, int, str]]) -> str:
        out = text
        for position, removed, char in changes:
            out = out[:position] + char + out[position + removed :]
        return out

    return edits.map(apply)


@FUZZ
@given(_mutated(f"ISS (ZARYA)\n{LINE1}\n{LINE2}\n"))
def test_mutated_tle(text):
    decoded(text.encode("utf-8"))


# --------------------------------------------------------------------------- elements: OMM JSON

_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**300), max_value=10**300),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30),
    st.sampled_from(["2026-09-24T03:24:21.452544", "9999-01-01", "1e400", "NaN", "0x10", "１５.５", "é"]),
)
_JSON = st.recursive(
    _SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4),
    max_leaves=20,
)


def omm_parsed(value: object) -> None:
    text = json.dumps(value)
    try:
        found = parse_omm_json(text, "fuzz")
    except ElementsError as exc:
        assert "\n" not in str(exc)
        return
    sane(found)


@FUZZ
@given(_JSON)
def test_random_json_as_omm(value):
    omm_parsed(value)


@FUZZ
@given(st.dictionaries(st.sampled_from(sorted(OMM_RECORD)), _SCALARS, min_size=1, max_size=4))
def test_a_real_record_with_random_fields(changes):
    omm_parsed([{**OMM_RECORD, **changes}])


@FUZZ
@given(st.sets(st.sampled_from(sorted(OMM_RECORD)), max_size=3), st.sampled_from(sorted(OMM_RECORD)))
def test_a_real_record_with_fields_missing_or_nested(missing, nested):
    record = {key: value for key, value in OMM_RECORD.items() if key not in missing}
    if nested in record:
        record[nested] = [record[nested]]
    omm_parsed(record)


# --------------------------------------------------------------------------- the config file

_TOML_PIECES = st.sampled_from(
    [
        "lat", "lon", "days", "tz", "all", "batch", "[batch]", "[[x]]", " = ", "=", ".", ",", "{", "}",
        "[", "]", '"', "'", '"""', "'''", "#", "\n", "\\", "1", "47.37", "-8", "1e400", "inf", "nan",
        "true", "false", "2026-09-24", "T18:30:00Z", "\x00", "\x1b", "\u202e", "é", " ",
    ]
)  # fmt: skip


def configured(text: str) -> None:
    fd, name = tempfile.mkstemp(suffix=".toml")
    try:
        os.write(fd, text.encode("utf-8", "surrogatepass"))
        os.close(fd)
        try:
            settings_ = load_config(Path(name))
        except ConfigError as exc:
            assert "\n" not in str(exc) and shown_as_is(str(exc))
            return
        assert isinstance(settings_, dict)
    finally:
        os.unlink(name)


@FUZZ
@given(st.lists(_TOML_PIECES, max_size=40).map("".join))
def test_toml_ish_text_as_config(text):
    configured(text)


@FUZZ
@given(st.text(max_size=300))
def test_random_text_as_config(text):
    configured(text)


# --------------------------------------------------------------------------- batch locations

_CSV_PIECES = st.sampled_from(
    [
        "name", "lat", "lon", "elevation_m", ",", "\n", "\r\n", '"', '""', "Zurich", "47.37", "-8.5", "91",
        "1e400", "nan", "inf", "-0", "=cmd|' /C calc'!A0", "@SUM(A1)", "\x00", "\x1b[2J", "\u202e", "\ufeff",
        " ", "9000", "-500", "360.5",
    ]
)  # fmt: skip


def located(text: str) -> None:
    try:
        places, errors = read_locations(text)
    except ValueError as exc:
        assert "\n" not in str(exc)
        return
    for place in places:
        o = place.observer
        assert math.isfinite(o.latitude_deg) and -90 <= o.latitude_deg <= 90
        assert math.isfinite(o.longitude_deg) and -180 <= o.longitude_deg <= 180
        assert math.isfinite(o.elevation_m)
        assert shown_as_is(place.name) and len(place.name) <= 80, place.name
    for error in errors:
        assert "\n" not in error.message and shown_as_is(error.message), error.message


@FUZZ
@given(st.lists(_CSV_PIECES, max_size=40).map(lambda pieces: "name,lat,lon,elevation_m\n" + "".join(pieces)))
def test_csv_ish_text_as_locations(text):
    located(text)


@FUZZ
@given(st.text(max_size=300))
def test_random_text_as_locations(text):
    located(text)
