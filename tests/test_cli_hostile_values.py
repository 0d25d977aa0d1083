"""The installed command given values at the edges: impossible windows, epochs and orbits,
crowded element files, huge names, spreadsheet formulas as place names, and iCalendar text.
"""

from __future__ import annotations

import csv
import io
import json

import pytest
from sgp4.io import compute_checksum

from gp_server import GPServer
from hostile_cli import DATA, NEAR_EPOCH, OMM_RECORD, ZURICH, World, fails, succeeds

LINE1 = "1 25544U 98067A   26267.14191496  .00009634  00000+0  18116-3 0  9999"
LINE2 = "2 25544  51.6318 170.3464 0004691 174.6338 185.4701 15.49258637587098"


@pytest.fixture
def world(tmp_path):
    with GPServer() as server:
        world = World(tmp_path)
        world.env["ISSPASS_ELEMENTS_URL"] = server.url
        yield world
        assert server.requests == [] and world.snapshot() == {}


def tle(norad_id: int = 25544, mean_motion: str = "15.49258637", eccentricity: str = "0004691") -> str:
    """The bundled ISS lines with another catalogue number or orbit, checksums recomputed."""
    line1 = f"1 {norad_id:05d}" + LINE1[7:68]
    orbit = LINE2[7:26] + eccentricity + LINE2[33:52] + f"{mean_motion:>11}" + LINE2[63:68]
    line2 = f"2 {norad_id:05d}" + orbit
    return "\n".join(line + str(compute_checksum(line)) for line in (line1, line2)) + "\n"


def file_of(world: World, name: str, content: str) -> str:
    path = world.root / name
    path.write_text(content, encoding="utf-8")
    return str(path)


# --------------------------------------------------------------------------- windows and epochs


def test_a_window_in_1900_is_refused_even_with_stale_elements_allowed(world):
    error = fails(world.run(*ZURICH, "--allow-stale", "--start", "1900-01-01"), 5, "elements for ISS (ZARYA)")
    assert "SGP4 predicts nothing real that far" in error


@pytest.mark.parametrize("batch", [False, True], ids=["main", "batch"])
def test_a_window_past_the_ephemeris_is_a_usage_error_before_any_element_is_sought(world, batch):
    """A window starting now or later would refresh the elements: not for an impossible one."""
    where = ("batch", file_of(world, "places.csv", "name,lat,lon\nZurich,47.37,8.54\n")) if batch else ZURICH
    ran = world.run(*where, "--allow-stale", "--start", "2060-01-01")
    fails(ran, 2, "is outside 1899-07-28..2053-10-08, the span of the bundled ephemeris (DE421)")


def test_elements_of_the_year_9999(world):
    record = {**OMM_RECORD, "EPOCH": "9999-01-01T00:00:00"}
    path = file_of(world, "future.json", json.dumps([record]))
    ran = world.run(*ZURICH, *NEAR_EPOCH, "--tle", path)
    fails(ran, 4, f"{path}, record 1: epoch 9999-01-01 is outside 1957..2056")


def test_a_perigee_below_the_ground(world):
    path = file_of(world, "falling.tle", tle(mean_motion="16.50000000", eccentricity="0500000"))
    fails(world.run(*ZURICH, *NEAR_EPOCH, "--tle", path), 4, f"{path}, line 2: the perigee is ")
    assert "km below the Earth's surface" in world.run(*ZURICH, *NEAR_EPOCH, "--tle", path).err


# --------------------------------------------------------------------------- which satellite


def test_an_ambiguous_name_among_two_thousand_satellites_is_one_short_line(world):
    path = file_of(world, "crowd.tle", "".join(f"SAT {n}\n{tle(10_000 + n)}" for n in range(1, 2001)))
    error = fails(world.run(*ZURICH, *NEAR_EPOCH, "--tle", path, "--satellite", "SAT"), 3, "is ambiguous")
    shown = "SAT 1, SAT 10, SAT 100, SAT 1000, SAT 1001 and 1995 more"
    assert error == f"isspass: satellite 'SAT' is ambiguous: {shown}"
    assert len(error) < 500


def test_a_satellite_name_of_200_kb(world):
    """An argument is at most 128 KiB on Linux: 100 KB on the command line, 200 KB from the config file."""
    omm = str(DATA / "iss-omm.json")
    ran = world.run(*ZURICH, *NEAR_EPOCH, "--tle", omm, "--satellite", "X" * 100_000)
    error = fails(ran, 3, "satellite 'XXX", "…' is not in the element set")
    assert len(error) < 200
    world.config.write_text(f'satellite = "{"Y" * 200_000}"\n')
    ran = world.run(*ZURICH, *NEAR_EPOCH, "--tle", omm)
    error = fails(ran, 3, "satellite 'YYY", "…' is not in the element set")
    assert len(error) < 200


@pytest.mark.parametrize("key", ["²", "١٢٣", "1" * 5000, "1234567890"])
def test_digits_that_are_not_a_catalogue_number(world, key):
    """``str.isdigit`` takes superscripts, other scripts' digits and 5,000 digits; int() does not."""
    ran = world.run(*ZURICH, *NEAR_EPOCH, "--tle", str(DATA / "iss-omm.json"), "--satellite", key)
    error = fails(ran, 2, "Invalid value for '--satellite': '", "' is not a catalogue number (1 to 9 digits")
    assert len(error) < 200


# --------------------------------------------------------------------------- what the files say


FORMULAS = ["=cmd|' /C calc'!A0", "+1+1", "@SUM(A1)", "-2+3", "=HYPERLINK(\"http://x\")"]


def test_place_names_that_are_spreadsheet_formulas(world):
    rows = "".join(f'"{name.replace(chr(34), chr(34) * 2)}",47.37,8.54\n' for name in FORMULAS)
    places = file_of(world, "places.csv", "name,lat,lon\n" + rows + "-3.5,47.37,8.54\n")
    out = succeeds(world.run("batch", places, *NEAR_EPOCH, "--all"))
    table = list(csv.reader(io.StringIO(out.decode("utf-8"))))
    names = {row[0] for row in table[1:]}
    assert len(names) == len(FORMULAS) + 1, names
    for row in table[1:]:
        for cell in row:
            if cell[:1] in ("=", "+", "-", "@"):
                float(cell)  # a plain number such as -3.5 or -0.62 is the only cell that may start so
    assert "-3.5" in names


ODD_NAMES = ['ISS, (ZARYA); A\\B "X"', "ISS;;,,\\\\,\\n\\;"]


@pytest.mark.parametrize(
    "name",
    [
        *ODD_NAMES,
        "ISS \\N",  # a literal backslash-N, which icalendar's own escaping reads as a line break
    ],
    ids=["commas-semicolons-backslash", "only-separators", "backslash-N"],
)
def test_an_ics_feed_for_a_name_with_commas_semicolons_and_backslashes(world, name):
    from icalendar import Calendar

    path = file_of(world, "odd.tle", f"{name}\n{tle()}")
    ran = world.run(*ZURICH, *NEAR_EPOCH, "--days", "3", "--format", "ics", "--tle", path)
    calendar = Calendar.from_ical(succeeds(ran))
    assert str(calendar["X-WR-CALNAME"]) == f"{name} passes"
    events = calendar.walk("VEVENT")
    assert len(events) == 5
    for event in events:
        assert str(event["SUMMARY"]).startswith(f"{name} visible: up to ")
        assert event["DTSTART"].dt < event["DTEND"].dt
    assert b"\r\n" in ran.out and not any(len(line) > 75 for line in ran.out.split(b"\r\n"))
