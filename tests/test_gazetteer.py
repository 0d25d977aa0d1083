"""Places by name, offline: exact, qualified, non-ASCII, ambiguous and unknown names."""

from __future__ import annotations

import pytest

import isspass
from isspass.gazetteer import MAX_QUERY_CHARS, find_place, find_places, match_place, name_key, suggest_places


def test_a_plain_name_is_the_place_with_its_coordinates_and_zone():
    zurich = find_place("Zurich")
    assert zurich.name == "Zürich" and zurich.country_code == "CH"
    assert zurich.latitude_deg == pytest.approx(47.37, abs=0.05)
    assert zurich.longitude_deg == pytest.approx(8.54, abs=0.05)
    assert zurich.timezone == "Europe/Zurich"
    assert zurich.population >= 15_000
    assert zurich.observer(410) == isspass.Observer(zurich.latitude_deg, zurich.longitude_deg, 410)


@pytest.mark.parametrize(
    "spelling", ["Zürich", "ZURICH", "zurich", "  Zurich  ", "Zuerich", "Zurigo", "Цюрих"]
)
def test_case_accents_and_other_languages_name_the_same_place(spelling):
    assert find_place(spelling) == find_place("Zurich")


@pytest.mark.parametrize(
    ("plain", "native"),
    [("Sao Paulo", "São Paulo"), ("Krakow", "Kraków"), ("Lodz", "Łódź"), ("Munich", "München"),
     ("Tokyo", "東京"), ("Moscow", "Москва"), ("Saint Etienne", "Saint-Étienne")],
)  # fmt: skip
def test_non_ascii_names(plain, native):
    assert find_place(native) == find_place(plain)


def test_qualifiers_pick_the_country_or_the_state():
    illinois = find_place("Springfield, US-IL")
    assert (illinois.country_code, illinois.admin1_code) == ("US", "IL")
    assert illinois.latitude_deg == pytest.approx(39.8, abs=0.1)
    assert illinois.timezone == "America/Chicago"
    for same in ("Springfield, IL", "Springfield, Illinois", "springfield,us,il", "Springfield, USA, IL"):
        assert find_place(same) == illinois, same
    texas = find_place("Paris, US")
    assert texas.country_code == "US" and texas.timezone == "America/Chicago"
    assert find_place("Paris").country_code == "FR"
    for country in ("Zurich, CH", "Zurich, Switzerland", "Zurich, CHE", "Zurich, CH-ZH"):
        assert find_place(country) == find_place("Zurich")


def test_ambiguous_names_take_the_most_populous_and_say_how_many():
    candidates = find_places("Springfield")
    assert len(candidates) >= 5
    assert all(name_key(p.name) == "springfield" for p in candidates)
    populations = [p.population for p in candidates]
    assert populations == sorted(populations, reverse=True)
    match = match_place("Springfield")
    assert match.ambiguous and match.candidates == len(candidates)
    assert match.place == candidates[0]
    assert f"{len(candidates)} places matching 'Springfield'" in match.describe()
    # Each candidate's label names it alone: what `isspass places` prints can be typed back.
    for place in candidates:
        assert find_place(place.label) == place


def test_a_name_matches_other_names_only_when_no_place_has_it_as_its_own():
    # "Paris" is the name of several places; an alternative name elsewhere must not outrank them.
    assert all(p.name == "Paris" for p in find_places("Paris"))
    assert find_place("New York").name == "New York City"


def test_unknown_names_give_the_closest_suggestions():
    with pytest.raises(isspass.PlaceNotFoundError, match="did you mean: Zürich, CH-ZH") as caught:
        find_place("Zurck")
    assert isinstance(caught.value, LookupError)
    assert suggest_places("Lond")[0].name == "London"
    assert "Springfield" in [p.name for p in suggest_places("Springfeld")]
    with pytest.raises(isspass.PlaceNotFoundError, match="15,000 people or more"):
        find_place("Xqzzyplk")
    with pytest.raises(isspass.PlaceNotFoundError, match="'Springfield' is in Springfield, US-"):
        find_place("Springfield, FR")
    assert find_places("Xqzzyplk") == []


@pytest.mark.parametrize("query", ["", "  ", ",CH", "x" * (MAX_QUERY_CHARS + 1)])
def test_empty_or_oversized_names_are_refused(query):
    with pytest.raises(isspass.PlaceNotFoundError):
        find_place(query)


def test_control_characters_are_not_echoed():
    with pytest.raises(isspass.PlaceNotFoundError) as caught:
        find_place("Zur\x1b[31mck")
    assert "\x1b" not in str(caught.value)


@pytest.mark.parametrize("name", ["Zurich", "Springfield, US-IL", "São Paulo", "Tokyo", "Sydney"])
def test_the_places_zone_is_the_zone_at_its_coordinates(name):
    place = find_place(name)
    assert str(place.observer().timezone()) == place.timezone
