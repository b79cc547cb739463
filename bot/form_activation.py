"""A form that starts with nothing to check does not call the action server to check it.

When a form starts, Rasa's `FormAction` calls its validation action twice (`activate`, then
`do` through `_validate_if_required`), even with no slot value to check and no slot asked for
yet. The project's validation action (actions/place_form.py) has nothing to do then: its
`extract_location` steps aside until the question has been asked, and there is no value to
validate, so both calls come back empty (tests/actions/test_place_form.py checks it). Each was
a round trip to the action server; a turn that starts the place form made three where one
(asking the question) is needed. Everything else, including every check of an answer, still
goes to the action server.
"""

from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa.core.actions.forms import FormAction
from rasa.shared.core.constants import REQUESTED_SLOT

RASA_VALIDATE_SLOTS = FormAction.validate_slots


async def validate_slots(self: FormAction, slot_candidates: Dict[Text, Any], tracker: Any,
                         *args: Any, **kwargs: Any) -> List[Any]:
    if not slot_candidates and tracker.get_slot(REQUESTED_SLOT) is None:
        return []
    return await RASA_VALIDATE_SLOTS(self, slot_candidates, tracker, *args, **kwargs)


def install() -> None:
    FormAction.validate_slots = validate_slots
