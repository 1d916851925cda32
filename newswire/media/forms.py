"""The fields filed with a picture or video: read once for every way in (API, desk).

Every value arrives as text (multipart form fields); this turns them into a
`MediaForm` or raises `Invalid` naming the field. Unknown fields are refused
rather than ignored, so a misspelt `captoin` is not silently lost.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

from newswire.media.library import MediaForm
from newswire.media.renditions import FocusPoint
from newswire.models.errors import Invalid
from newswire.newsroom.drafts import canonical_language

TEXT_FIELDS = (
    "headline", "caption", "alt_text", "creator", "credit_line", "copyright_notice",
    "copyright_holder", "usage_terms", "date_created", "city", "region", "country",
    "country_code", "digital_source_type",
)  # fmt: skip
LIST_FIELDS = ("keywords", "subjects")
OTHER_FIELDS = (
    "language", "categories", "urgency", "public", "focus_x", "focus_y", "embargoed_until",
    "guid", "reason",
)  # fmt: skip
FIELDS = frozenset((*TEXT_FIELDS, *LIST_FIELDS, *OTHER_FIELDS))


def _items(values: Sequence[str]) -> tuple[str, ...]:
    # Repeated fields, or one comma-separated field: both are common in forms.
    found: list[str] = []
    for value in values:
        found.extend(part.strip() for part in value.split(","))
    return tuple(part for part in found if part)


def _number(fields: Mapping[str, Sequence[str]], name: str, low: float, high: float) -> float:
    text = fields[name][-1].strip()
    try:
        value = float(text)
    except ValueError:
        raise Invalid(f"{name} must be a number, not {text!r}", name) from None
    if not low <= value <= high:
        raise Invalid(f"{name} must be between {low:g} and {high:g}", name)
    return value


def _focus(fields: Mapping[str, Sequence[str]]) -> FocusPoint | None:
    if "focus_x" not in fields and "focus_y" not in fields:
        return None
    x = _number(fields, "focus_x", 0, 1) if "focus_x" in fields else 0.5
    y = _number(fields, "focus_y", 0, 1) if "focus_y" in fields else 0.5
    return FocusPoint(x, y)


def _time(text: str, name: str) -> datetime:
    try:
        value = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        raise Invalid(f"{name} must be an ISO 8601 time, not {text!r}", name) from None
    if value.tzinfo is None:
        raise Invalid(f"{name} must say its time zone (Z or +hh:mm)", name)
    return value


def _flag(text: str, name: str) -> bool:
    lowered = text.strip().lower()
    if lowered in ("true", "1", "yes", "on"):
        return True
    if lowered in ("false", "0", "no", "off"):
        return False
    raise Invalid(f"{name} must be true or false", name)


def _language(text: str) -> str:
    try:
        return canonical_language(text)
    except ValueError as error:
        raise Invalid(str(error), "language") from None


def media_form(fields: Mapping[str, Sequence[str]]) -> MediaForm:
    """Return the form of the fields filed with a media item; Invalid names a bad field."""
    unknown = sorted(set(fields) - FIELDS)
    if unknown:
        raise Invalid(f"unknown field {unknown[0]!r}", unknown[0])
    details: dict[str, str | tuple[str, ...]] = {}
    for name in TEXT_FIELDS:
        if name in fields:
            details[name] = fields[name][-1].strip()
    for name in LIST_FIELDS:
        if name in fields:
            details[name] = _items(fields[name])
    last = {name: values[-1] for name, values in fields.items() if values}
    return MediaForm(
        details=details,
        language=_language(last["language"]) if last.get("language", "").strip() else None,
        categories=_items(fields["categories"]) if "categories" in fields else None,
        urgency=int(_number(fields, "urgency", 1, 9)) if "urgency" in last else None,
        public=_flag(last["public"], "public") if "public" in last else None,
        focus=_focus(fields),
        embargoed_until=(
            _time(last["embargoed_until"], "embargoed_until") if "embargoed_until" in last else None
        ),
        guid=last["guid"].strip() or None if "guid" in last else None,
    )
