"""Reading CCSDS OEMs: NASA's real ISS file in XML and KVN, its event summary, and hostile files.

``tests/data/nasa-iss-oem-2025-02-26-trimmed.xml.gz`` is NASA's file of 2025-02-26 with the
vectors of 2025-02-27 00:01 to 2025-03-02 11:58 UTC kept (START_TIME and STOP_TIME set to
them); ``…-trimmed.kvn.gz`` is the same numbers as KVN, written by ``write_oem_kvn``.
"""

from __future__ import annotations

import gzip
import os
from dataclasses import replace
from datetime import datetime, timezone

import numpy as np
import pytest

from conftest import DATA
from isspass.errors import TrajectoryError, TrajectoryMissingError
from isspass.oem import OEM_LIMIT_BYTES, parse_oem, read_oem, write_oem_kvn

XML = DATA / "nasa-iss-oem-2025-02-26-trimmed.xml.gz"
KVN = DATA / "nasa-iss-oem-2025-02-26-trimmed.kvn.gz"
UTC = timezone.utc


@pytest.fixture(scope="module")
def xml():
    return read_oem(XML)


@pytest.fixture(scope="module")
def kvn_text():
    return gzip.decompress(KVN.read_bytes()).decode()


def test_both_formats_give_identical_vectors_and_metadata(xml):
    kvn = read_oem(KVN)
    assert len(xml.segments) == len(kvn.segments) == 1
    a, b = xml.segments[0], kvn.segments[0]
    assert len(a) == 1261
    assert np.array_equal(a.epochs_s, b.epochs_s)
    assert np.array_equal(a.position_km, b.position_km)
    assert np.array_equal(a.velocity_km_s, b.velocity_km_s)
    assert (xml.created, xml.originator, xml.version) == (kvn.created, kvn.originator, kvn.version)
    assert xml.created == datetime(2025, 2, 26, 18, 18, 7, 830000, tzinfo=UTC)
    for name in ("object_name", "object_id", "center_name", "ref_frame", "time_system", "start", "stop"):
        assert getattr(a, name) == getattr(b, name), name
    assert (a.object_name, a.object_id, a.ref_frame) == ("ISS", "1998-067-A", "EME2000")
    assert xml.is_iss and xml.events == kvn.events and a.comments == b.comments


def test_the_real_numbers_are_read_exactly(xml):
    segment = xml.segments[0]
    # The first kept vector, as NASA's XML writes it.
    first = datetime(2025, 2, 27, 0, 1, tzinfo=UTC).timestamp()
    assert segment.epochs_s[0] == first
    # Irregular epochs (the grid restarts at planned events) are kept as they are.
    assert datetime(2025, 2, 27, 21, 24, 27, tzinfo=UTC).timestamp() in segment.epochs_s
    radius = np.sqrt(np.sum(segment.position_km**2, axis=0))
    assert radius.max() < 6400 + 6378 and radius.min() > 6378 + 400  # the ISS, 400-430 km up
    assert np.all(np.diff(segment.epochs_s) <= 240.0)


def test_the_writer_reproduces_the_kvn_rendering(xml, kvn_text):
    assert write_oem_kvn(xml) == kvn_text
    assert kvn_text.startswith(
        "CCSDS_OEM_VERS = 2.0\nCREATION_DATE = 2025-057T18:18:07.830Z\nORIGINATOR = JSC\n"
    )
    assert "\n2025-058T00:01:00.000Z " in kvn_text


def test_event_summary_is_parsed_into_events_with_times(xml):
    events = [(e.name, e.time, e.delta_v_m_s, e.apogee_km, e.perigee_km) for e in xml.events]
    assert events == [
        ("91P Launch", datetime(2025, 2, 27, 21, 24, 27, tzinfo=UTC), 0.0, 422.7, 412.9),
        ("91P Dock", datetime(2025, 3, 1, 23, 3, 50, tzinfo=UTC), 0.0, 422.9, 412.1),
        ("Crew10 Launch", datetime(2025, 3, 12, 23, 48, 54, tzinfo=UTC), 0.0, 424.3, 408.4),
        ("Crew10 Dock", datetime(2025, 3, 13, 11, 54, 54, tzinfo=UTC), 0.0, 424.6, 408.1),
    ]
    assert not any(e.is_manoeuvre for e in xml.events)  # launches and dockings: no delta-v
    inside = xml.events_between(datetime(2025, 2, 28, tzinfo=UTC), datetime(2025, 3, 2, tzinfo=UTC))
    assert [e.name for e in inside] == ["91P Dock"]


def test_a_reboost_in_the_summary_is_a_manoeuvre(kvn_text):
    row = " Reboost               060:10:12:00.000             0.6     424.0     413.0"
    text = kvn_text.replace("COMMENT 91P Dock", f"COMMENT {row}\nCOMMENT 91P Dock", 1)
    (reboost,) = [e for e in parse_oem(text.encode(), "x").events if e.is_manoeuvre]
    assert reboost.name == "Reboost" and reboost.delta_v_m_s == 0.6
    assert reboost.time == datetime(2025, 3, 1, 10, 12, tzinfo=UTC)
    # Named manoeuvres count even without a delta-v; the year comes from the trajectory,
    # across a new year too.
    summary = ["TRAJECTORY EVENT SUMMARY:", " PDAM   365:23:00:00.000", " Dock   001:01:00:00.000  0.0  1  2"]
    from isspass.oem_events import parse_event_summary

    dam, dock = parse_event_summary(summary, datetime(2025, 12, 30, tzinfo=UTC))
    assert dam.is_manoeuvre and dam.time == datetime(2025, 12, 31, 23, tzinfo=UTC)
    assert not dock.is_manoeuvre and dock.time == datetime(2026, 1, 1, 1, tzinfo=UTC)


# --------------------------------------------------------------------------- segments


def _two_segments(xml, split: int, overlap: bool = True):
    """The real vectors in two segments, the second starting with the first's last vector."""
    s = xml.segments[0]
    cut = split + 1 if overlap else split

    def part(a: int, b: int):
        epochs = s.epochs_s[a:b]
        first, last = (datetime.fromtimestamp(float(t), UTC) for t in (epochs[0], epochs[-1]))
        return replace(s, start=first, stop=last, useable_start=first, useable_stop=last, epochs_s=epochs,
                       position_km=s.position_km[:, a:b], velocity_km_s=s.velocity_km_s[:, a:b])  # fmt: skip

    return replace(xml, segments=(part(0, cut), part(split, len(s))))


def test_several_segments_with_a_duplicate_epoch_at_the_boundary(xml):
    text = write_oem_kvn(_two_segments(xml, 600))
    assert text.count("META_START") == 2
    two = parse_oem(text.encode(), "two segments")
    first, second = two.segments
    assert first.epochs_s[-1] == second.epochs_s[0]  # the boundary vector, in both
    assert two.spans() == [(xml.start, xml.stop)]
    assert two.covers(xml.start, xml.stop)
    assert two.vector_count == xml.vector_count + 1


def test_overlapping_segments_are_refused_naming_the_line(xml):
    shuffled = _two_segments(xml, 600)
    late, early = shuffled.segments
    text = write_oem_kvn(replace(shuffled, segments=(early, late)))
    second_meta = text.index("META_START", text.index("META_START") + 1)
    line = text[:second_meta].count("\n") + 1
    with pytest.raises(
        TrajectoryError, match=rf"x, line {line}: the segment starts at .* before the previous"
    ):
        parse_oem(text.encode(), "x")


# --------------------------------------------------------------------------- hostile files


def _kvn_line(text: str, startswith: str) -> int:
    return next(i for i, line in enumerate(text.split("\n"), 1) if line.startswith(startswith))


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("CCSDS_OEM_VERS = 2.0", "CCSDS_OEM_VERS = x", r"line 1: CCSDS_OEM_VERS 'x' is not an OEM version"),
        ("REF_FRAME = EME2000", "REF_FRAME = ITRF", r"line 9: REF_FRAME ITRF is not supported"),
        ("TIME_SYSTEM = UTC", "TIME_SYSTEM = TT", r"line 10: TIME_SYSTEM TT is not supported"),
        ("CENTER_NAME = EARTH", "CENTER_NAME = MOON", r"line 8: CENTER_NAME MOON is not supported"),
        (
            "OBJECT_NAME = ISS",
            "OBJECT_NAME = ISS\x1b[2J",
            r"line 6: OBJECT_NAME 'ISS\\\\x1b\[2J' has control",
        ),
        ("OBJECT_NAME = ISS", "OBJECT_NAME = " + "I" * 81, r"line 6: OBJECT_NAME .* more than 80 characters"),
        ("META_STOP\n", "", r"line \d+: expected KEYWORD = value"),
        ("CREATION_DATE = 2025-057T18:18:07.830Z", "CREATION_DATE = 2025-366T00:00:00Z", "not a valid date"),
        ("CREATION_DATE = 2025-057T18:18:07.830Z", "CREATION_DATE = 2025-057T24:00:00Z", "not a valid date"),
        ("START_TIME = 2025-058T00:01:00.000Z", "START_TIME = 2025-058T01:00:00.000Z", "START_TIME ≤"),
        ("META_STOP", "INTERPOLATION = SPLINE\nMETA_STOP", r"line 15: INTERPOLATION SPLINE is not supported"),
        ("META_STOP", "INTERPOLATION_DEGREE = 0\nMETA_STOP", r"line 15: INTERPOLATION_DEGREE '0' is not"),
        ("META_STOP", "OBJECT_ID = 2\nMETA_STOP", r"line 15: OBJECT_ID given twice \(first on line 7\)"),
    ],
)
def test_bad_header_and_metadata_are_refused_naming_the_line(kvn_text, old, new, message):
    assert old in kvn_text
    with pytest.raises(TrajectoryError, match=message):
        parse_oem(kvn_text.replace(old, new, 1).encode(), "x")


def test_bad_vectors_are_refused_naming_the_line(kvn_text):
    lines = kvn_text.split("\n")
    row = _kvn_line(kvn_text, "2025-058T00:05:00.000Z")
    epoch, *numbers = lines[row - 1].split()

    def refused(replacement: str, message: str) -> None:
        changed = lines.copy()
        changed[row - 1] = replacement
        with pytest.raises(TrajectoryError, match=rf"^x, line {row}: {message}"):
            parse_oem("\n".join(changed).encode(), "x")

    refused(" ".join([epoch, "1_000", *numbers[1:]]), "X '1_000' is not a number")
    refused(" ".join([epoch, "nan", *numbers[1:]]), "X 'nan' is not a number")
    refused(" ".join([epoch, *numbers[:5]]), r"not a state vector")
    refused(" ".join(["2025-058T00:00:00.000Z", *numbers]), "the epoch .* does not follow")
    refused(" ".join([epoch, "100.0", "0.0", "0.0", *numbers[3:]]), "the position is inside the Earth")
    refused(" ".join([epoch, *numbers[:3], "30.0", "0.0", "0.0"]), "the speed is more than 20 km/s")
    refused(
        " ".join([epoch, *numbers[:3], "11.0", "3.0", "0.0"]), "the state vector is not on a closed orbit"
    )
    # Vectors too far apart to interpolate: eight of them left out.
    gap = "\n".join(lines[: row - 1] + lines[row + 7 :])
    with pytest.raises(
        TrajectoryError, match=rf"^x, line {row}: 2160 s after the vector before: .*1/12 of an orbit"
    ):
        parse_oem(gap.encode(), "x")


def test_bad_xml_is_refused_naming_the_line():
    xml_text = gzip.decompress(XML.read_bytes()).decode()
    line = xml_text[: xml_text.index("<X units")].count("\n") + 1  # the first vector's X
    with pytest.raises(TrajectoryError, match=rf"^x, line {line}: not well-formed XML \(mismatched tag\)"):
        parse_oem(xml_text.replace("</X>", "</Y>", 1).encode(), "x")
    with pytest.raises(TrajectoryError, match=rf"^x, line {line}: <W> has no place in a stateVector"):
        parse_oem(xml_text.replace("<X units", "<W/><X units", 1).encode(), "x")
    with pytest.raises(TrajectoryError, match=rf"^x, line {line}: <X> in 'm': OEMs give km and km/s"):
        parse_oem(xml_text.replace('units="km"', 'units="m"', 1).encode(), "x")
    with pytest.raises(TrajectoryError, match=r"line 1: a DOCTYPE or an entity declaration"):
        parse_oem(b'<!DOCTYPE ndm [<!ENTITY a "aaaa">]><ndm/>', "x")
    laughs = b'<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "a"><!ENTITY b "&a;&a;">]><oem>&b;</oem>'
    with pytest.raises(TrajectoryError, match="DOCTYPE"):
        parse_oem(laughs, "x")
    with pytest.raises(TrajectoryError, match="nested more than 12 deep"):
        parse_oem(b"<a>" * 100 + b"</a>" * 100, "x")
    with pytest.raises(TrajectoryError, match="is not an OEM"):
        parse_oem(b"<opm version='2.0'/>", "x")


def test_oversized_and_binary_files_are_refused(tmp_path):
    sparse = tmp_path / "huge.oem"
    with open(sparse, "wb") as handle:
        handle.truncate(OEM_LIMIT_BYTES + 1)
    with pytest.raises(TrajectoryError, match="larger than the 32 MiB limit"):
        read_oem(sparse)
    bomb = tmp_path / "bomb.oem.gz"
    bomb.write_bytes(gzip.compress(b" " * (OEM_LIMIT_BYTES + 10)))
    assert os.path.getsize(bomb) < 100_000
    with pytest.raises(TrajectoryError, match="larger than 32 MiB once uncompressed"):
        read_oem(bomb)
    with pytest.raises(TrajectoryError, match="a damaged gzip file"):
        parse_oem(b"\x1f\x8b\x08\x00garbage", "x")
    with pytest.raises(TrajectoryError, match="binary data"):
        parse_oem(b"CCSDS_OEM_VERS = 2.0\x00", "x")
    with pytest.raises(TrajectoryError, match=r"line 2: not UTF-8 text"):
        parse_oem(b"CCSDS_OEM_VERS = 2.0\nCOMMENT \xff\n", "x")
    with pytest.raises(TrajectoryMissingError, match="no such file"):
        read_oem(tmp_path / "absent.oem")
    with pytest.raises(TrajectoryError, match="no CCSDS_OEM_VERS"):
        parse_oem(b"\n\n", "x")
