"""Fan-out cost of formats: render once per format and version vs once per subscriber.

For a burst of stories (the agency sample plus Wikinews articles, if
../shared is present; else generated text) delivered to many subscribers
spread over the five formats, compare:

* baseline: render each item for each subscriber (what a naive fan-out does);
* newswire: `formats.render`, cached per (version, format).

Both run in the same process, same data; the ratio is what matters.
Run: python -m bench.formats
"""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime
from pathlib import Path

from newswire.delivery.formats import FORMATS, Agency, _render_cached, render
from newswire.models.stories import PubStatus, StoryVersion
from newswire.newsroom.drafts import StoryDraft

SAMPLES = Path(__file__).resolve().parents[2] / "shared" / "samples" / "wikinews-en.jsonl"
SUBSCRIBERS = 500
STORIES = 20


def _stories() -> list[StoryVersion]:
    texts: list[tuple[str, str]] = []
    if SAMPLES.exists():
        with SAMPLES.open(encoding="utf-8") as lines:
            for line in lines:
                article = json.loads(line)
                texts.append((article["title"], article["text"]))
                if len(texts) == STORIES:
                    break
    while len(texts) < STORIES:
        n = len(texts)
        texts.append(
            (f"Generated story {n}", "\n\n".join(f"Paragraph {i} of {n}." * 8 for i in range(8)))
        )
    now = datetime.now(UTC).replace(microsecond=0)
    stories = []
    for n, (title, text) in enumerate(texts):
        draft = StoryDraft(
            headline=title[:300], body=text, categories=["World"], subjects=["medtop:11000000"]
        )
        stories.append(
            StoryVersion(
                story_id=f"s{n}", version=1, guid=f"urn:newsml:bench:{n}", slug=f"s{n}",
                headline=draft.headline, summary="", body_html=draft.body, byline="Bench",
                dateline="LONDON", categories=tuple(draft.categories),
                subjects=tuple(draft.subjects),
                urgency=4, language="en", public=False, pubstatus=PubStatus.USABLE,
                first_created=now, version_created=now,
            )
        )  # fmt: skip
    return stories


def _fan_out(stories: list[StoryVersion], agency: Agency, cached: bool) -> float:
    names = list(FORMATS)
    started = time.perf_counter()
    for story in stories:
        for subscriber in range(SUBSCRIBERS):
            name = names[subscriber % len(names)]
            if cached:
                render(story, name, agency)
            else:
                FORMATS[name].render(story, agency)
    return time.perf_counter() - started


def main() -> int:
    """Print the fan-out time of both strategies and their ratio."""
    stories = _stories()
    agency = Agency()
    _render_cached.cache_clear()
    naive = _fan_out(stories, agency, cached=False)
    _render_cached.cache_clear()
    once = _fan_out(stories, agency, cached=True)
    deliveries = len(stories) * SUBSCRIBERS
    print(f"{len(stories)} stories x {SUBSCRIBERS} subscribers over {len(FORMATS)} formats")
    for label, seconds in (("baseline, render per subscriber", naive), ("newswire, once", once)):
        per_delivery = seconds / deliveries * 1e6
        print(f"  {label:32} {seconds:8.3f} s ({per_delivery:7.1f} us/delivery)")
    print(f"  ratio baseline / newswire: {naive / once:.0f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
