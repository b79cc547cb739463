"""Reading what the NLU's LanguageGuard found (bot/nlu/language_guard.py) in a parse."""

from __future__ import annotations

from typing import Any, Optional


def is_non_english(parse: Optional[dict[str, Any]]) -> bool:
    language = (parse or {}).get("language") or {}
    return bool(language.get("non_english"))
