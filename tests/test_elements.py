"""Element parsing and validation: TLE, 3LE, OMM JSON, the bundled set and the magnitudes."""

from __future__ import annotations

import json
import re
from datetime import datetime, timezone

import numpy as np
import pytest
from sgp4.io import compute_checksum as tle_checksum

import isspass
from conftest import DATA
from isspass.bundled import standard_magnitudes
from isspass.elements import select_elements

L1 = "1 25544U 98067A   26267.14191496  .00009634  00000+0  18116-3 0  9999"
L2 = "2 25544  51.6318 170.3464 0004691 174.6338 185.4701 15.49258637587098"
HST1 = "1 20580U 90037B   26266.50000000  .00001000  00000-0  50000-4 0  9990"


def _fix_checksum(line: str) -> str:
    return line[:68] + str(tle_checksum(line))


HST1 = _fix_checksum(HST1)
HST2 = _fix_checksum("2 20580  28.4700 100.0000 0002500  90.0000 270.0000 15.27000000  0000")


def test_checksums_of_real_lines():
    assert tle_checksum(L1) == 9
    assert tle_checksum(L2) == 8


def test_bundled_iss_elements():
    (elements,) = isspass.bundled_elements()
    assert elements.norad_id == 25544
    assert elements.name == "ISS (ZARYA)"
    assert elements.source == "bundled"
    assert elements.epoch == datetime(2026, 9, 24, 3, 24, 21, 452544, tzinfo=timezone.utc)
    assert elements.mean_motion == pytest.approx(15.49258637)
    assert elements.mean_motion_dot == pytest.approx(9.634e-5)
    assert elements.period_s == pytest.approx(86400 / 15.49258637)


def test_load_satellite_defaults_to_iss_with_magnitude():
    sat = isspass.load_satellite(start=datetime(2026, 9, 24, tzinfo=timezone.utc))
    assert sat.norad_id == isspass.ISS_NORAD_ID
    assert sat.standard_magnitude == -1.8
    table = standard_magnitudes()
    # Heavens-Above's own listed values (PRODUCT), among the 137 of the visual group (issue 15).
    assert {n: table[n] for n in (25544, 20580, 27386)} == {25544: -1.8, 20580: 2.2, 27386: 3.7}
    assert len(table) == 137 and table[48274] == 0.0  # Tiangong
    assert all(-3.0 <= m <= 9.0 for m in table.values())


@pytest.mark.parametrize(
    "text",
    [
        f"{L1}\n{L2}\n",
        f"ISS (ZARYA)\n{L1}\n{L2}\n",
        f"0 ISS (ZARYA)\r\n{L1}\r\n{L2}\r\n",
        f"\n\nISS (ZARYA)   \n{L1}   \n\n{L2}\n\n",
    ],
    ids=["two-line", "three-line", "0-prefixed CRLF", "blank lines and trailing spaces"],
)
def test_tle_forms(text):
    (elements,) = isspass.parse_elements(text)
    assert elements.norad_id == 25544
    assert elements.line1 == L1 and elements.line2 == L2


def test_several_satellites_and_selection():
    text = f"ISS (ZARYA)\n{L1}\n{L2}\nHST\n{HST1}\n{HST2}\n"
    sets = isspass.parse_elements(text)
    assert [e.norad_id for e in sets] == [25544, 20580]
    assert select_elements(sets, 20580).name == "HST"
    assert select_elements(sets, "hst").norad_id == 20580
    assert select_elements(sets, "iss").norad_id == 25544
    assert select_elements(sets, None).norad_id == 25544  # the ISS when several
    with pytest.raises(isspass.SatelliteNotFoundError, match="12345"):
        select_elements(sets, 12345)
    with pytest.raises(isspass.SatelliteNotFoundError, match="not in"):
        select_elements(sets, "TIANGONG")
    sat = isspass.load_satellite("HST", elements=sets)
    assert sat.standard_magnitude == 2.2


def test_newest_of_several_sets_wins(history):
    chosen = select_elements(history, 25544)
    assert chosen.epoch == max(e.epoch for e in history)
    assert len(history) == 11


def test_unknown_standard_magnitude_gives_no_magnitude():
    text = f"SOMESAT\n{HST1.replace('20580', '99999')}\n{HST2.replace('20580', '99999')}\n"
    text = "\n".join(_fix_checksum(x) if x[:2] in ("1 ", "2 ") else x for x in text.splitlines())
    sat = isspass.load_satellite(elements=isspass.parse_elements(text))
    assert sat.standard_magnitude is None
    passes = isspass.find_passes(
        isspass.Observer(20.0, 10.0), datetime(2026, 9, 23, tzinfo=timezone.utc), 3,
        satellite=sat, visible_only=False,
    )  # fmt: skip
    assert passes
    assert all(p.magnitude is None and p.culmination.magnitude is None for p in passes)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "no element sets found"),
        ("No GP data found\n", "line 1: not a TLE line: 'No GP data found'"),
        ("<!DOCTYPE html>\n<html><body>Error</body></html>\n", "line 1: not a TLE line"),
        (f"{L1}\n", "line 1: element line 1 is not followed by line 2"),
        (f"{L2}\n", "line 1: element line 2 without a line 1"),
        (f"ISS\n{L1}\n{L2[:-1]}\n", "line 3: element line 2 has 68 characters, expected 69"),
        (f"ISS\n{L1[:-1]}0\n{L2}\n", "line 2: checksum is '0', the line sums to 9"),
        (f"{L1}\n{L2.replace('51.6318', '51.6319')}\n", "line 2: checksum"),
        (f"{L1}\n{_fix_checksum(L2.replace('25544', '25545'))}\n", "does not match line 1"),
        (f"{L1}\n{_fix_checksum(L2.replace(' 51.6318', '251.6318')[:69])}\n", "inclination"),
        (f"{L1}\n{_fix_checksum(L2.replace('15.49258637', '99.49258637'))}\n", "mean motion"),
        (f"{_fix_checksum(L1.replace('26267.14', '26400.14'))}\n{L2}\n", "epoch day"),
        (
            f"{_fix_checksum(L1.replace('26267.14', '26x67.14'))}\n{L2}\n",
            "epoch day 'x67.14191496' (columns 21-32) is not a number",
        ),
        (f"{L1}\n{_fix_checksum(L2.replace('0004691', '00O4691'))}\n", "eccentricity"),
        (f"ISS\nFOO\n{L1}\n{L2}\n", "line 1: not a TLE line: 'ISS'"),
        ("\x00\x01\x02binary", "binary data"),
    ],
)
def test_bad_tle_is_named_precisely(text, message):
    with pytest.raises(isspass.ElementsError, match=re.escape(message)):
        isspass.parse_elements(text, "iss.tle")


def test_error_names_the_source():
    with pytest.raises(isspass.ElementsError, match=r"^iss\.tle, line 2: checksum"):
        isspass.parse_elements(f"{L1}\n{L2[:-1]}0\n", "iss.tle")


def test_read_elements_file_errors(tmp_path):
    with pytest.raises(isspass.ElementsError, match="no such file"):
        isspass.read_elements(tmp_path / "missing.tle")
    with pytest.raises(isspass.ElementsError, match="is a directory"):
        isspass.read_elements(tmp_path)
    binary = tmp_path / "binary.tle"
    binary.write_bytes(bytes(range(256)))
    with pytest.raises(isspass.ElementsError, match="binary data"):
        isspass.read_elements(binary)
    latin = tmp_path / "latin.tle"
    latin.write_bytes(b"\xe9\xe8\n")
    with pytest.raises(isspass.ElementsError, match="binary data"):
        isspass.read_elements(latin)
    truncated = tmp_path / "truncated.tle"
    truncated.write_text(f"ISS\n{L1}\n{L2[:40]}")
    with pytest.raises(isspass.ElementsError, match="line 3: element line 2 has 40 characters"):
        isspass.read_elements(truncated)


def test_omm_json_matches_the_tle():
    (omm,) = isspass.read_elements(DATA / "iss-omm.json")
    (tle,) = isspass.bundled_elements()
    assert omm.norad_id == 25544 and omm.name == "ISS (ZARYA)"
    assert abs((omm.epoch - tle.epoch).total_seconds()) < 1e-3
    jd = tle.satrec.jdsatepoch + np.linspace(0, 3, 50)
    fr = np.full(50, tle.satrec.jdsatepochF)
    _, r_omm, _ = omm.satrec.sgp4_array(jd, fr)
    _, r_tle, _ = tle.satrec.sgp4_array(jd, fr)
    assert np.max(np.linalg.norm(r_omm - r_tle, axis=1)) < 0.01  # km


def _omm(**changes):
    record = json.loads((DATA / "iss-omm.json").read_text())[0]
    record.update(changes)
    return json.dumps([{k: v for k, v in record.items() if v is not None}])


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[]", "no element sets found"),
        ("[1, 2]", "record 1: not an OMM object"),
        ("{not json", "not valid JSON"),
        (_omm(MEAN_MOTION=None), "record 1: missing field MEAN_MOTION"),
        (_omm(ECCENTRICITY="abc"), "ECCENTRICITY 'abc' is not a number"),
        (_omm(ECCENTRICITY=1.5), "ECCENTRICITY 1.5 is outside"),
        (_omm(INCLINATION=-3), "INCLINATION"),
        (_omm(EPOCH="yesterday"), "EPOCH 'yesterday' is not an ISO 8601 date"),
        (_omm(NORAD_CAT_ID=-4), "NORAD_CAT_ID"),
    ],
)
def test_bad_omm_is_named_precisely(text, message):
    with pytest.raises(isspass.ElementsError, match=message):
        isspass.parse_elements(text, "gp.json")


def test_omm_single_object_and_epoch_without_fraction():
    record = json.loads(_omm(EPOCH="2026-09-24T03:24:21"))[0]
    (elements,) = isspass.parse_elements(json.dumps(record))
    assert elements.epoch == datetime(2026, 9, 24, 3, 24, 21, tzinfo=timezone.utc)


def test_age_days():
    (elements,) = isspass.bundled_elements()
    later = datetime(2026, 10, 4, 3, 24, 21, 452544, tzinfo=timezone.utc)
    assert elements.age_days(later) == pytest.approx(10.0)
    with pytest.raises(ValueError, match="timezone-aware"):
        elements.age_days(datetime(2026, 10, 4))
