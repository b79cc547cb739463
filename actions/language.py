"""Reading what the NLU's LanguageGuard found (bot/nlu/language_guard.py) in a parse, and the
short note in the resident's language (`language_notes.yml`) that goes before the English one."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any, Optional

import yaml

NOTES_FILE = Path(__file__).with_name("language_notes.yml")


def is_non_english(parse: Optional[dict[str, Any]]) -> bool:
    language = (parse or {}).get("language") or {}
    return bool(language.get("non_english"))


@lru_cache(maxsize=4)
def load_notes(path: str = str(NOTES_FILE)) -> dict[str, dict[str, str]]:
    """Language code -> {language, text, latin, review, ...} from `language_notes.yml`."""
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    return {str(code).lower(): dict(note) for code, note in (data.get("notes") or {}).items()}


def note_for(parse: Optional[dict[str, Any]]) -> Optional[str]:
    """The "this service is in English; call 111 for an interpreter; in danger 999" note in the
    language the parse was detected in (parse["language"]["code"]), in its GSM-7 `latin` form
    (see language_notes.yml for why), or None for English, an unknown language or no parse."""
    language = (parse or {}).get("language") or {}
    code = str(language.get("code") or "").lower()
    if not code or code == "en":
        return None
    note = load_notes().get(code)
    return (note or {}).get("latin") or None
