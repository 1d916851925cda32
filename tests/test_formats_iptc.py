"""What the IPTC formats carry besides the text: rights, provider, codes, times and signals.

Each test names one finding of issue 16 (the output half) and failed before the change.
"""

from __future__ import annotations

import dataclasses
import json
from datetime import timedelta
from typing import Any

import pytest
from lxml import etree

from newswire.delivery.formats import FORMATS, Agency, negotiate, render
from newswire.models.stories import EventType, StoryVersion
from tests.story_factory import (
    EXAMPLE_WIRE,
    chinese_story,
    embargoed_story,
    full_story,
    ingested_story,
    killed,
    sample_story,
)

G2 = "http://iptc.org/std/nar/2006-10-01/"
NITF = "http://iptc.org/std/NITF/2006-10-18/"
NS = {"g": G2, "n": NITF}


def ninjs(
    story: StoryVersion, fmt: str = "ninjs2", agency: Agency = EXAMPLE_WIRE
) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(render(story, fmt, agency))
    return data


def g2(story: StoryVersion, agency: Agency = EXAMPLE_WIRE) -> etree._Element:
    return etree.fromstring(render(story, "newsml-g2", agency))


def nitf(story: StoryVersion, agency: Agency = EXAMPLE_WIRE) -> etree._Element:
    return etree.fromstring(render(story, "nitf", agency))


def text(root: etree._Element, path: str) -> list[str]:
    return [" ".join("".join(e.itertext()).split()) for e in root.xpath(path, namespaces=NS)]


# rights ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fmt", "keys"),
    [
        ("ninjs2", ("copyrightholder", "copyrightnotice", "usageterms")),
        ("ninjs3", ("copyrightHolder", "copyrightNotice", "usageTerms")),
    ],
)
def test_ninjs_carries_the_agency_rights_on_its_own_stories(fmt: str, keys: tuple[str, ...]):
    item = ninjs(sample_story(), fmt)
    holder, notice, terms = (item[key] for key in keys)
    assert holder == "Example Wire Ltd"
    assert notice == "Copyright 2024 Example Wire Ltd. All rights reserved."
    assert terms == "For subscribers' own publication only."


def test_ninjs_carries_the_source_rights_of_an_ingested_story():
    item = ninjs(ingested_story(), "ninjs3")
    assert item["copyrightHolder"] == "Example Press Ltd"
    assert item["copyrightNotice"] == "Copyright 2024 Example Press Ltd. All rights reserved."
    assert item["usageTerms"] == "Not for use in Germany before 18:00 CET."


def test_newsml_g2_rights_info_has_holder_notice_and_usage_terms():
    rights = g2(sample_story()).find("g:rightsInfo", NS)
    assert rights.find("g:copyrightHolder", NS).get("uri") == "https://wire.example"
    assert text(rights, "g:copyrightHolder/g:name") == ["Example Wire Ltd"]
    assert text(rights, "g:copyrightNotice") == [
        "Copyright 2024 Example Wire Ltd. All rights reserved."
    ]
    assert text(rights, "g:usageTerms") == ["For subscribers' own publication only."]
    source = g2(ingested_story()).find("g:rightsInfo", NS)
    assert text(source, "g:copyrightHolder/g:name") == ["Example Press Ltd"]
    assert source.find("g:copyrightHolder", NS).get("uri") is None
    assert text(source, "g:usageTerms") == ["Not for use in Germany before 18:00 CET."]


def test_nitf_carries_holder_notice_and_usage_terms():
    document = nitf(ingested_story())
    copyright_ = document.find("n:head/n:docdata/n:doc.copyright", NS)
    assert (copyright_.get("holder"), copyright_.get("year")) == ("Example Press Ltd", "2024")
    rights = document.find("n:head/n:docdata/n:doc.rights", NS)
    assert rights.get("limitations") == "Not for use in Germany before 18:00 CET."
    assert text(document, "n:body/n:body.end/n:tagline/n:copyrite") == [
        "Copyright 2024 Example Press Ltd. All rights reserved."
    ]


def test_our_own_stories_identify_the_agency_in_ninjs():
    sources = ninjs(sample_story())["infosources"]
    assert {"name": "Example Wire", "uri": "https://wire.example", "role": "provider"} in sources
    taken = ninjs(ingested_story())["infosources"]
    assert [source["name"] for source in taken] == ["Example Press", "Example Wire"]


# NewsML-G2 -------------------------------------------------------------------------


def test_newsml_g2_provider_is_the_agency_uri_unless_a_registered_qcode_is_set():
    provider = g2(sample_story()).find("g:itemMeta/g:provider", NS)
    assert (provider.get("uri"), provider.get("qcode")) == ("https://wire.example", None)
    registered = dataclasses.replace(EXAMPLE_WIRE, provider_qcode="nprov:EXW")
    provider = g2(sample_story(), registered).find("g:itemMeta/g:provider", NS)
    assert (provider.get("qcode"), provider.get("uri")) == ("nprov:EXW", None)


def test_newsml_g2_has_a_creator_besides_by():
    item = g2(full_story())
    assert text(item, "g:contentMeta/g:creator/g:name") == [full_story().byline]
    assert text(item, "g:contentMeta/g:by") == [full_story().byline]


def test_newsml_g2_has_content_created_and_modified():
    item = g2(ingested_story())
    assert text(item, "g:contentMeta/g:contentCreated") == ["2024-11-14T08:12:30Z"]
    assert text(item, "g:contentMeta/g:contentModified") == ["2024-11-14T10:59:01.250000Z"]
    own = g2(full_story())
    assert text(own, "g:contentMeta/g:contentCreated") == ["2024-11-14T09:30:00Z"]
    assert text(own, "g:contentMeta/g:contentModified") == ["2024-11-14T11:05:07Z"]


def test_newsml_g2_genre_and_located_have_codes():
    item = g2(ingested_story())
    genre = item.find("g:contentMeta/g:genre", NS)
    assert (genre.get("qcode"), text(genre, "g:name")) == ("genre:Obituary", ["Obituary"])
    located = item.find("g:contentMeta/g:located", NS)
    assert (located.get("qcode"), text(located, "g:name")) == ("geonames:2950159", ["Berlin"])
    assert text(item, "g:contentMeta/g:dateline") == ["BERLIN, Nov 14 (Example Press)"]
    own = g2(full_story())  # an editor's genre and dateline: concepts in the agency's scheme
    assert own.find("g:contentMeta/g:genre", NS).get("uri") == (
        "https://wire.example/genres/Analysis"
    )
    assert own.find("g:contentMeta/g:located", NS).get("uri") == (
        "https://wire.example/places/FRANKFURT"
    )


def test_newsml_g2_versions_filed_within_a_second_have_different_times():
    first = full_story(version_created=full_story().version_created + timedelta(microseconds=1))
    second = full_story(
        version=4, version_created=first.version_created + timedelta(microseconds=400_000)
    )
    times = [text(g2(s), "g:itemMeta/g:versionCreated")[0] for s in (first, second)]
    assert times == ["2024-11-14T11:05:07.000001Z", "2024-11-14T11:05:07.400001Z"]
    assert ninjs(second)["versioncreated"] == "2024-11-14T11:05:07.400001Z"


# NITF ------------------------------------------------------------------------------


def test_nitf_status_is_in_docdata_management_status():
    assert nitf(sample_story()).find("n:head/n:docdata", NS).get("management-status") == "usable"
    docdata = nitf(killed(full_story())).find("n:head/n:docdata", NS)
    assert docdata.get("management-status") == "canceled"
    assert nitf(embargoed_story()).find("n:head/n:docdata", NS).get("management-status") == (
        "embargoed"
    )
    assert nitf(sample_story()).find("n:head/n:meta[@name='pubstatus']", NS) is None


def test_nitf_corrections_use_docdata_correction():
    story = full_story(version=2, embargoed_until=None)
    correction = nitf(story).find("n:head/n:docdata/n:correction", NS)
    assert correction is not None
    assert (correction.get("info"), correction.get("id-string")) == (story.ednote, story.guid)
    update = full_story(version=2, change=EventType.UPDATED)
    assert nitf(update).find("n:head/n:docdata/n:correction", NS) is None


@pytest.mark.parametrize(("urgency", "ed_urg"), [(1, "1"), (5, "5"), (8, "8"), (9, "8")])
def test_nitf_urgency_stays_on_the_nitf_scale(urgency: int, ed_urg: str):
    story = full_story(urgency=urgency)
    assert nitf(story).find("n:head/n:docdata/n:urgency", NS).get("ed-urg") == ed_urg


# ninjs -----------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["ninjs2", "ninjs3"])
def test_a_ninjs_correction_says_so_in_the_item(fmt: str):
    signals = [s for s in ninjs(full_story(), fmt)["subjects"] if s.get("rel") == "signal"]
    assert {"name": "correction", "uri": "http://cv.iptc.org/newscodes/signal/correction",
            "rel": "signal"} in signals  # fmt: skip
    plain = ninjs(full_story(change=EventType.UPDATED), fmt)["subjects"]
    assert "http://cv.iptc.org/newscodes/signal/correction" not in [s.get("uri") for s in plain]


def test_ninjs_word_count_counts_chinese_words():
    body = ninjs(chinese_story())["bodies"][0]
    # Each Han character counts as a word (as word processors count CJK text).
    assert body["wordcount"] == 41
    assert ninjs(sample_story(body_html="<p>Three plain words.</p>"))["bodies"][0]["wordcount"] == 3


def test_ninjs_keeps_slugline_dateline_genre_code_and_content_created():
    item = ninjs(ingested_story(), "ninjs3")
    assert item["slugline"] == "GERMANY-CONDUCTOR/OBITUARY"
    assert item["located"] == "Berlin"
    assert {"role": "dateline", "contentType": "text/plain",
            "value": "BERLIN, Nov 14 (Example Press)"} in item["descriptions"]  # fmt: skip
    assert item["genres"] == [
        {"name": "Obituary", "uri": "http://cv.iptc.org/newscodes/genre/Obituary"}
    ]
    assert item["contentCreated"] == "2024-11-14T08:12:30Z"


# negotiation -----------------------------------------------------------------------


@pytest.mark.parametrize("accept", ["application/xml", "text/xml", "application/xml;q=0.9"])
def test_accept_xml_gives_newsml_g2(accept: str):
    assert negotiate(None, accept, "ninjs2") == "newsml-g2"


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_every_format_is_reachable_through_accept(name: str):
    fmt = FORMATS[name]
    media = fmt.media_type.split(";")[0]
    if name == "ninjs3":
        media = "application/vnd.iptc.ninjs+json; version=3"
    default = "text" if name.startswith("ninjs") else "ninjs2"
    assert negotiate(None, media, default) == name
