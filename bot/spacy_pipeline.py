"""Build the spaCy pipeline the NLU loads: blank English plus an EntityRuler over the gazetteer.

No pretrained spaCy model can be downloaded here, so the project builds its own small pipeline
from data it owns: every spelling of every place (any casing), and postcode patterns for the
districts of both boroughs and for full UK postcodes. Rasa's `SpacyNLP` loads it by path.
"""

from __future__ import annotations

from pathlib import Path

import spacy
from spacy.language import Language

from directory.gazetteer import Gazetteer, load_default

LOCATION = "location"
# A place whose name is also an ordinary word; the Rasa place extractor checks its context.
LOCATION_NEEDS_CONTEXT = "location_needs_context"
UK_OUTWARD = r"[a-z]{1,2}[0-9][a-z0-9]?"
UK_INWARD = r"[0-9][a-z]{2}"


def postcode_patterns(gazetteer: Gazetteer) -> list[dict]:
    ours = "|".join(code.lower() for code in gazetteer.district_codes())
    return [
        # Full postcode anywhere in the UK, as two tokens ("HX1 2QA") or one ("HX12QA").
        {"label": LOCATION, "id": "postcode",
         "pattern": [{"LOWER": {"REGEX": f"^{UK_OUTWARD}$"}}, {"LOWER": {"REGEX": f"^{UK_INWARD}$"}}]},
        {"label": LOCATION, "id": "postcode",
         "pattern": [{"LOWER": {"REGEX": f"^({ours}){UK_INWARD}$"}}]},
        # A district on its own counts only for our own districts ("hd1"), to avoid noise.
        {"label": LOCATION, "id": "district", "pattern": [{"LOWER": {"REGEX": f"^({ours})$"}}]},
    ]


def place_patterns(gazetteer: Gazetteer, nlp: Language) -> list[dict]:
    patterns = []
    for spelling, place in gazetteer.spellings().items():
        label = LOCATION_NEEDS_CONTEXT if place.needs_context else LOCATION
        tokens = [{"LOWER": token.lower_} for token in nlp.make_doc(spelling)]
        patterns.append({"label": label, "id": place.name, "pattern": tokens})
    return patterns


def build(gazetteer: Gazetteer | None = None) -> Language:
    gazetteer = gazetteer or load_default()
    nlp = spacy.blank("en")
    nlp.meta["name"] = "signpost_places"
    nlp.meta["version"] = "1.0.0"
    nlp.meta["description"] = "Blank English with an EntityRuler over the Kirklees and Calderdale gazetteer"
    ruler = nlp.add_pipe("entity_ruler", config={"overwrite_ents": True})
    ruler.add_patterns(postcode_patterns(gazetteer) + place_patterns(gazetteer, nlp))
    return nlp


def build_and_save(output: Path | str) -> Path:
    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    build().to_disk(output)
    return output
