"""The gazetteer: places and postcode districts of Kirklees and Calderdale, read from a data file.

Resolves what residents type ("HX1 2QA", "hx1", "Dewsbury", "holme valley", "hebden brige") to a
point. Used by the directory's search and, through the NLU's spaCy pipeline, by the assistant.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml
from rapidfuzz import fuzz, process

BOROUGHS = ("Kirklees", "Calderdale")
# An answer to "which town?" that gives no place and asks to go on without one.
PLACE_SKIP_RE = re.compile(
    r"^\W*(skip|anywhere|any where|dont know|don't know|do not know|not sure|no idea|dunno|"
    r"rather not say|prefer not to say|no fixed address|homeless)\W*$",
    re.IGNORECASE,
)

DEFAULT_PATH = Path(__file__).parent / "data" / "places.yml"

# A UK postcode: outward code (area letters, district digits, optional letter) and inward code.
POSTCODE_RE = re.compile(
    r"^\s*(?P<outward>[A-Z]{1,2}[0-9][A-Z0-9]?)\s*(?P<inward>[0-9][A-Z]{2})?\s*$", re.IGNORECASE
)
# The smallest fuzzy score that counts as the same name. Short names need an exact match.
FUZZY_CUTOFF = 85
FUZZY_MIN_LENGTH = 5


@dataclass(frozen=True)
class District:
    code: str
    borough: str
    post_town: str
    lat: float
    lon: float
    checked: bool = True


@dataclass(frozen=True)
class Place:
    name: str
    borough: str
    kind: str
    lat: float | None
    lon: float | None
    district: str | None = None
    aliases: tuple[str, ...] = ()
    misspellings: tuple[str, ...] = ()
    needs_context: bool = False
    district_checked: bool = True
    source: str = ""
    in_area: bool = True

    def spellings(self) -> tuple[str, ...]:
        """Every way of writing this place that counts as an exact match, in lower case."""
        return tuple(dict.fromkeys(s.lower() for s in (self.name, *self.aliases, *self.misspellings)))


@dataclass(frozen=True)
class Resolution:
    """What a piece of text resolved to.

    `in_area` is False for a real postcode, or a named town or city, outside both boroughs.
    """

    query: str
    name: str
    kind: str  # town, village, neighbourhood, area, borough, district, postcode
    borough: str | None
    lat: float | None
    lon: float | None
    district: str | None = None
    postcode: str | None = None
    in_area: bool = True
    score: float = 100.0
    approximate: bool = True

    @property
    def point(self) -> tuple[float, float] | None:
        return None if self.lat is None or self.lon is None else (self.lat, self.lon)


@dataclass
class Gazetteer:
    districts: dict[str, District]
    places: list[Place]
    sources: dict[str, str] = field(default_factory=dict)
    _by_spelling: dict[str, Place] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._by_spelling = {}
        for place in self.places:
            for spelling in place.spellings():
                self._by_spelling.setdefault(spelling, place)

    # -- reading -----------------------------------------------------------------------------
    @classmethod
    def load(cls, path: Path | str = DEFAULT_PATH) -> "Gazetteer":
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
        districts = {}
        for row in data["districts"]:
            districts[row["code"].upper()] = District(
                code=row["code"].upper(),
                borough=row["borough"],
                post_town=row["post_town"],
                lat=float(row["lat"]),
                lon=float(row["lon"]),
                checked=bool(row.get("checked", True)),
            )
        places: list[Place] = []
        for row in data.get("boroughs", []):
            places.append(
                Place(
                    name=row["name"],
                    borough=row["name"],
                    kind="borough",
                    lat=float(row["lat"]),
                    lon=float(row["lon"]),
                    aliases=tuple(row.get("aliases", ())),
                    misspellings=tuple(row.get("misspellings", ())),
                    source=row.get("source", ""),
                )
            )
        for row in data["places"]:
            district = districts[row["district"].upper()]
            places.append(
                Place(
                    name=row["name"],
                    borough=district.borough,
                    kind=row.get("kind", "place"),
                    lat=float(row.get("lat", district.lat)),
                    lon=float(row.get("lon", district.lon)),
                    district=district.code,
                    aliases=tuple(row.get("aliases", ())),
                    misspellings=tuple(row.get("misspellings", ())),
                    needs_context=bool(row.get("needs_context", False)),
                    district_checked=bool(row.get("district_checked", True)),
                    source=row.get("source", ""),
                )
            )
        for row in data.get("nearby", []):
            # Towns and cities beyond both boroughs: recognised so the assistant can say it
            # only knows Kirklees and Calderdale, never located (no point, no services).
            places.append(
                Place(
                    name=row["name"],
                    borough=row["authority"],
                    kind="out_of_area",
                    lat=None,
                    lon=None,
                    aliases=tuple(row.get("aliases", ())),
                    misspellings=tuple(row.get("misspellings", ())),
                    source=row.get("source", ""),
                    in_area=False,
                )
            )
        return cls(districts=districts, places=places, sources=data.get("sources", {}))

    # -- lookups -----------------------------------------------------------------------------
    def spellings(self) -> dict[str, Place]:
        """Every exact spelling (lower case) and the place it names."""
        return dict(self._by_spelling)

    def district_codes(self) -> list[str]:
        return sorted(self.districts)

    def place_named(self, text: str) -> Place | None:
        return self._by_spelling.get(normalise(text))

    def fuzzy_place(self, text: str, cutoff: float = FUZZY_CUTOFF) -> tuple[Place, float] | None:
        """The place whose spelling is closest to `text`, if it is close enough."""
        query = normalise(text)
        if len(query) < FUZZY_MIN_LENGTH:
            return None
        match = process.extractOne(
            query, list(self._by_spelling), scorer=fuzz.ratio, score_cutoff=cutoff
        )
        if match is None:
            return None
        spelling, score, _ = match
        return self._by_spelling[spelling], float(score)

    def resolve(self, text: str) -> Resolution | None:
        """Resolve a postcode, district, place name or misspelt place name to a point."""
        query = normalise(text)
        if not query:
            return None
        postcode = parse_postcode(query)
        if postcode is not None:
            outward, full = postcode
            district = self.districts.get(outward)
            if district is None:
                return Resolution(
                    query=text, name=full, kind="postcode" if " " in full else "district",
                    borough=None, lat=None, lon=None, district=outward, postcode=full, in_area=False,
                )
            return Resolution(
                query=text,
                name=full if " " in full else f"{district.code} ({district.post_town})",
                kind="postcode" if " " in full else "district",
                borough=district.borough,
                lat=district.lat,
                lon=district.lon,
                district=district.code,
                postcode=full,
            )
        place = self.place_named(query)
        score = 100.0
        if place is None:
            fuzzy = self.fuzzy_place(query)
            if fuzzy is None:
                return None
            place, score = fuzzy
        return Resolution(
            query=text,
            name=place.name,
            kind=place.kind,
            borough=place.borough,
            lat=place.lat,
            lon=place.lon,
            district=place.district,
            score=score,
            in_area=place.in_area,
        )


def normalise(text: str) -> str:
    """Lower case, single spaces, no punctuation at the ends: how spellings are compared."""
    text = re.sub(r"[^\w\s'-]", " ", text.lower())
    return re.sub(r"\s+", " ", text).strip(" '-")


def parse_postcode(text: str) -> tuple[str, str] | None:
    """("HX1", "HX1 2QA") for a full postcode, ("HX1", "HX1") for a district, else None."""
    match = POSTCODE_RE.match(text.upper())
    if not match:
        return None
    outward, inward = match.group("outward"), match.group("inward")
    # "HX12QA" typed without the space is read as HX1 + 2QA.
    return outward, f"{outward} {inward}" if inward else outward


@lru_cache(maxsize=4)
def load_default(path: str = str(DEFAULT_PATH)) -> Gazetteer:
    return Gazetteer.load(path)


@lru_cache(maxsize=1)
def place_words() -> frozenset[str]:
    """Every word of every place name, alias and misspelling in the default gazetteer."""
    names: set[str] = set()
    for place in load_default().places:
        for spelling in place.spellings():
            names.update(re.findall(r"[a-z]+", spelling))
    return frozenset(names)
