"""What a language tag says about rendering: its base language, direction, name and locale.

Shared by the public site's strings (`site/i18n.py`) and the people-facing
pages' (`web/i18n.py`), so both agree on which languages run right to left.
"""

from __future__ import annotations

from functools import cache

from babel import Locale, UnknownLocaleError


def base_language(tag: str) -> str:
    """Return the primary subtag of a language tag (pt-BR -> pt, pt_BR -> pt)."""
    return tag.split("-")[0].split("_")[0].lower()


@cache
def babel_locale(tag: str) -> Locale | None:
    """Return Babel's locale for a tag in either separator form, or None if it knows none."""
    try:
        return Locale.parse(tag.replace("-", "_"))
    except (UnknownLocaleError, ValueError, TypeError):
        return None


def text_direction(tag: str) -> str:
    """Return "rtl" for right-to-left languages (Arabic, Hebrew, Persian, Urdu...), else "ltr"."""
    locale = babel_locale(tag)
    return "rtl" if locale is not None and locale.text_direction == "rtl" else "ltr"


def language_name(tag: str) -> str:
    """Return a language's name in that language (Türkçe, English), for a language switcher."""
    locale = babel_locale(tag)
    if locale is None:
        return tag
    name = locale.get_display_name(locale) or tag
    return name[:1].upper() + name[1:]
