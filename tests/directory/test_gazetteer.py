import pytest

from directory.gazetteer import Gazetteer, load_default, parse_postcode


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return load_default()


@pytest.mark.parametrize(
    "text, name, borough",
    [
        ("HX1 2QA", "HX1 2QA", "Calderdale"),
        ("hx12qa", "HX1 2QA", "Calderdale"),
        ("hx1", "HX1 (Halifax)", "Calderdale"),
        ("HD6", "HD6 (Brighouse)", "Calderdale"),
        ("wf17", "WF17 (Batley)", "Kirklees"),
        ("Dewsbury", "Dewsbury", "Kirklees"),
        ("holme valley", "Holme Valley", "Kirklees"),
        ("hebden brige", "Hebden Bridge", "Calderdale"),
        ("HUDDERSFEILD", "Huddersfield", "Kirklees"),
        ("todmordon", "Todmorden", "Calderdale"),
        ("Kirklees", "Kirklees", "Kirklees"),
    ],
)
def test_resolves_to_a_point(gaz, text, name, borough):
    found = gaz.resolve(text)
    assert found is not None and found.in_area
    assert (found.name, found.borough) == (name, borough)
    lat, lon = found.point
    # Both boroughs sit inside this box.
    assert 53.5 < lat < 53.8 and -2.2 < lon < -1.6


def test_postcode_outside_both_boroughs_is_out_of_area(gaz):
    found = gaz.resolve("LS1 4AP")
    assert found is not None and not found.in_area and found.point is None


@pytest.mark.parametrize("text", ["", "narnia", "pizza", "home", "the"])
def test_unknown_text_resolves_to_nothing(gaz, text):
    assert gaz.resolve(text) is None


def test_every_place_sits_in_a_known_district_with_a_source(gaz):
    for place in gaz.places:
        if place.kind not in ("borough", "out_of_area"):
            assert place.district in gaz.districts, place
        assert place.source in gaz.sources, place


def test_parse_postcode():
    assert parse_postcode("hd1 3jq") == ("HD1", "HD1 3JQ")
    assert parse_postcode("HD1") == ("HD1", "HD1")
    assert parse_postcode("batley") is None


@pytest.mark.parametrize("text", ["leeds", "Manchester", "wakefeild", "Bradford"])
def test_nearby_towns_are_known_but_out_of_area(gaz, text):
    found = gaz.resolve(text)
    assert found is not None and not found.in_area and found.point is None
    assert found.kind == "out_of_area"
