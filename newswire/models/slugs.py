"""URL-safe names for stories and sections."""

from __future__ import annotations

import re
import unicodedata

_NOT_WORD = re.compile(r"[^\w]+", re.UNICODE)


def slugify(text: str, max_length: int = 80) -> str:
    """Lower-case, hyphenated, accent-free where the script allows; keeps non-Latin letters."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    slug = _NOT_WORD.sub("-", stripped.casefold()).strip("-_")
    return slug[:max_length].rstrip("-")


def story_slug(headline: str, story_id: str) -> str:
    """Return a story's slug: its headline, then the id's first characters for uniqueness."""
    base = slugify(headline, 70)
    return f"{base}-{story_id[:8]}" if base else story_id


def section_paths(categories: tuple[str, ...] | list[str]) -> list[str]:
    """Return the section paths a breadcrumb opens: [World, Europe] -> world, world/europe."""
    paths: list[str] = []
    parts: list[str] = []
    for category in categories:
        part = slugify(category)
        if not part:
            continue
        parts.append(part)
        paths.append("/".join(parts))
    return paths
