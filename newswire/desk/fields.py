"""What a draft holds, and the one gate it passes before it is submitted or filed.

While a story is being written its fields are kept as typed (a half-written
draft is fine); only their shape and size are checked on each save. Submitting
and filing run the same gate as the API (`StoryDraft`, and the section
vocabulary), plus the desk's own length limits, and report every field at fault.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from newswire.delivery.envelopes import story_json
from newswire.models.errors import DomainError, Invalid
from newswire.models.stories import StoryVersion
from newswire.newsroom.drafts import CorrectionRequest, StoryDraft
from newswire.newsroom.sections import Sections

TEXT_FIELDS = {
    "headline": 300,
    "summary": 2_000,
    "body": 500_000,
    "slugline": 200,
    "byline": 300,
    "dateline": 200,
    "genre": 100,
    "ednote": 2_000,
    "language": 35,
    "embargoed_until": 40,
}
LIST_FIELDS = {"categories": 20, "subjects": 50}
FIELD_NAMES = (*TEXT_FIELDS, *LIST_FIELDS, "urgency", "public", "media")
MAX_MEDIA = 20
_REL = re.compile(r"^[a-z][a-z0-9_-]{0,39}$")
EMPTY_FIELDS: dict[str, Any] = {
    "headline": "",
    "summary": "",
    "body": "",
    "slugline": "",
    "byline": "",
    "dateline": "",
    "categories": [],
    "subjects": [],
    "urgency": 4,
    "language": "en",
    "genre": "",
    "public": False,
    "embargoed_until": "",
    "ednote": "",
    "media": [],
}


class FieldErrors(Invalid):
    """The gate refused a draft: every field at fault, with what is wrong with it."""

    def __init__(self, errors: dict[str, str]) -> None:
        field, message = next(iter(errors.items()))
        super().__init__(message, field)
        self.errors = errors


@dataclass(frozen=True)
class Limits:
    """The desk's per-field limits (the count turns red past them; filing is refused)."""

    headline_chars: int
    summary_chars: int
    body_words: int


def _as_list(value: Any) -> list[str]:
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    if isinstance(value, list):
        return [str(part).strip() for part in value if str(part).strip()]
    raise Invalid("expected a list of names", None)


def clean_fields(given: dict[str, Any], base: dict[str, Any] | None = None) -> dict[str, Any]:
    """Return `base` with the given fields, each of the right shape and size, or raise Invalid."""
    fields = dict(base or EMPTY_FIELDS)
    for name, value in given.items():
        if name not in FIELD_NAMES:
            raise Invalid(f"a draft has no field {name!r}", name)
        if name in TEXT_FIELDS:
            text = "" if value is None else str(value)
            if len(text) > TEXT_FIELDS[name]:
                raise Invalid(f"at most {TEXT_FIELDS[name]} characters", name)
            fields[name] = text
        elif name in LIST_FIELDS:
            try:
                items = _as_list(value)
            except Invalid as error:
                raise Invalid(error.message, name) from error
            if len(items) > LIST_FIELDS[name] or any(len(item) > 500 for item in items):
                raise Invalid(f"at most {LIST_FIELDS[name]} entries", name)
            fields[name] = items
        elif name == "urgency":
            try:
                fields[name] = int(value)
            except (TypeError, ValueError) as error:
                raise Invalid("urgency is a number from 1 to 9", name) from error
        elif name == "media":
            fields[name] = _media(value)
        else:  # public
            fields[name] = value in (True, "true", "on", "1", 1)
    return fields


def _media(value: Any) -> list[dict[str, str]]:
    """Return the pictures a draft uses as [{"id", "rel"}], or raise Invalid."""
    if not isinstance(value, list) or len(value) > MAX_MEDIA:
        raise Invalid(f"media is a list of at most {MAX_MEDIA} pictures", "media")
    uses: list[dict[str, str]] = []
    for item in value:
        if not isinstance(item, dict) or not isinstance(item.get("id"), str):
            raise Invalid('each picture is {"id": ..., "rel": ...}', "media")
        media_id, rel = item["id"].strip(), str(item.get("rel", "featuremedia"))
        if not media_id or len(media_id) > 200 or not _REL.match(rel):
            raise Invalid("a picture needs an id and a rel such as featuremedia", "media")
        uses.append({"id": media_id, "rel": rel})
    return uses


def words(text: str) -> int:
    """Count words as the editor's counter does: runs of characters between spaces."""
    return len(text.split())


def _plain(html_or_text: str) -> str:
    return re.sub(r"<[^>]+>", " ", html_or_text)


def limit_errors(fields: dict[str, Any], limits: Limits) -> dict[str, str]:
    """Return the fields past the desk's limits, with what the limit is."""
    errors = {}
    if len(str(fields.get("headline", ""))) > limits.headline_chars:
        errors["headline"] = f"longer than {limits.headline_chars} characters"
    if len(str(fields.get("summary", ""))) > limits.summary_chars:
        errors["summary"] = f"longer than {limits.summary_chars} characters"
    if words(_plain(str(fields.get("body", "")))) > limits.body_words:
        errors["body"] = f"longer than {limits.body_words} words"
    return errors


def gate(
    fields: dict[str, Any],
    sections: Sections,
    limits: Limits | None = None,
    correction: bool = False,
) -> StoryDraft:
    """Return the draft as the newsroom files it, or raise FieldErrors naming every bad field."""
    given = {name: value for name, value in fields.items() if name in FIELD_NAMES}
    if not given.get("embargoed_until"):
        given.pop("embargoed_until", None)
    errors: dict[str, str] = limit_errors(given, limits) if limits else {}
    model = CorrectionRequest if correction else StoryDraft
    draft: StoryDraft | None = None
    try:
        draft = model.model_validate(given)
    except ValidationError as error:
        for problem in error.errors():
            name = str(problem["loc"][0]) if problem["loc"] else "body"
            errors.setdefault(name, str(problem["msg"]).removeprefix("Value error, "))
    try:
        sections.check(_as_list(given.get("categories", [])))
    except DomainError as error:
        errors.setdefault("categories", error.message)
    if errors or draft is None:
        raise FieldErrors(errors or {"body": "the draft is incomplete"})
    return draft


def fields_of(story: StoryVersion) -> dict[str, Any]:
    """Return an editor's fields holding a filed version (to edit it again).

    They are the version's editorial JSON (`story_json`) cut to the desk's
    fields, with an empty editor's note, no embargo as "" and only the
    version's own (not remote) media.
    """
    filed = story_json(story)
    return {
        **{name: filed[name] for name in FIELD_NAMES},
        "embargoed_until": filed["embargoed_until"] or "",
        "ednote": "",
        "media": [{"id": use.id, "rel": use.rel} for use in story.media if use.remote is None],
    }
