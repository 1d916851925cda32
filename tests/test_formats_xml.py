"""NewsML-G2 2.35 and NITF 3.6 output, validated against the official IPTC XSDs."""

from __future__ import annotations

import dataclasses
from functools import cache

import pytest
from lxml import etree

from newswire.delivery.formats import Agency, render
from newswire.delivery.formats.validation import newsml_g2_schema
from newswire.models.stories import EventType, StoryVersion
from newswire.newsroom.bodies import html_paragraphs
from tests import story_factory

G2 = "http://iptc.org/std/nar/2006-10-01/"
NITF = "http://iptc.org/std/NITF/2006-10-18/"
NS = {"g": G2, "n": NITF}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
AGENCY = Agency()
STORIES = {
    **story_factory.STORY_SHAPES,
    "first-version": lambda: story_factory.full_story(version=1, ednote=""),
}


@cache
def _schema(relative: str) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(story_factory.standards_dir() / relative)))


def g2_schema() -> etree.XMLSchema:
    return _schema("newsml-g2/specification/NewsML-G2_2.35-spec-All-Power.xsd")


def nitf_schema() -> etree.XMLSchema:
    return _schema("nitf/nitf-3-6.xsd")


def assert_valid(schema: etree.XMLSchema, element: etree._Element) -> None:
    valid = schema.validate(element)
    assert valid, "\n".join(f"line {e.line} {e.path}: {e.message}" for e in schema.error_log)


def newsml(story: StoryVersion, agency: Agency = AGENCY) -> etree._Element:
    return etree.fromstring(render(story, "newsml-g2", agency))


def nitf(story: StoryVersion) -> etree._Element:
    return etree.fromstring(render(story, "nitf", AGENCY))


def texts(root: etree._Element, path: str) -> list[str]:
    return [" ".join("".join(e.itertext()).split()) for e in root.xpath(path, namespaces=NS)]


@pytest.mark.parametrize("story_name", STORIES)
def test_newsml_g2_is_valid_against_the_official_235_xsd(story_name: str):
    assert_valid(g2_schema(), newsml(STORIES[story_name]()))


@pytest.mark.parametrize("story_name", STORIES)
def test_the_nitf_inside_newsml_g2_is_valid_nitf(story_name: str):
    inner = newsml(STORIES[story_name]()).find(".//n:nitf", NS)
    assert inner is not None
    assert_valid(nitf_schema(), inner)


@pytest.mark.parametrize("story_name", STORIES)
def test_nitf_is_valid_against_the_official_36_xsd(story_name: str):
    assert_valid(nitf_schema(), nitf(STORIES[story_name]()))


def test_the_packaged_xsd_accepts_our_output_and_rejects_a_broken_item():
    item = newsml(story_factory.full_story())
    assert newsml_g2_schema().validate(item)
    item.remove(item.find("g:itemMeta", NS))
    assert not newsml_g2_schema().validate(item)


def test_newsml_g2_maps_item_and_content_metadata():
    story = story_factory.full_story()
    agency = Agency(
        name="Example Wire", code="exwire", uri="https://ex.example", provider_qcode="nprov:EXW"
    )
    item = newsml(story, agency)
    assert item.get("guid") == story.guid
    assert item.get("version") == "3"
    assert item.get(XML_LANG) == "en"
    assert item.find("g:itemMeta/g:itemClass", NS).get("qcode") == "ninat:text"
    assert item.find("g:itemMeta/g:provider", NS).get("qcode") == "nprov:EXW"
    assert texts(item, "g:itemMeta/g:versionCreated") == ["2024-11-14T11:05:07Z"]
    assert texts(item, "g:itemMeta/g:firstCreated") == ["2024-11-14T09:30:00Z"]
    assert texts(item, "g:itemMeta/g:embargoed") == ["2024-11-15T06:00:00Z"]
    assert item.find("g:itemMeta/g:pubStatus", NS).get("qcode") == "stat:usable"
    assert texts(item, "g:itemMeta/g:edNote") == [story.ednote]
    assert item.xpath("g:itemMeta/g:signal/@qcode", namespaces=NS) == [
        "sig:update",
        "sig:correction",
    ]
    assert texts(item, "g:contentMeta/g:urgency") == ["2"]
    assert texts(item, "g:contentMeta/g:headline") == [story.headline]
    assert texts(item, "g:contentMeta/g:description[@role='drol:summary']") == [story.summary]
    assert texts(item, "g:contentMeta/g:by") == [story.byline]
    assert texts(item, "g:contentMeta/g:dateline") == ["FRANKFURT"]
    assert texts(item, "g:contentMeta/g:located/g:name") == ["FRANKFURT"]
    assert item.find("g:contentMeta/g:language", NS).get("tag") == "en"
    assert texts(item, "g:contentMeta/g:genre/g:name") == ["Analysis"]
    medtop = item.xpath("g:contentMeta/g:subject[starts-with(@qcode,'medtop:')]", namespaces=NS)
    assert [s.get("qcode") for s in medtop] == list(story.subjects)
    assert texts(medtop[1], "g:name") == ["central bank"]
    sections = item.xpath("g:contentMeta/g:subject[starts-with(@qcode,'nwsect:')]/@qcode",
                          namespaces=NS)  # fmt: skip
    assert sections == ["nwsect:Economy", "nwsect:Economy/Central%20Banks"]


def test_newsml_g2_body_is_the_story_body_as_nitf():
    story = story_factory.full_story()
    content = newsml(story).find(".//n:body.content", NS)

    def words(text: str) -> str:  # pretty-printing indents list items; compare the words
        return "".join(text.split())

    paragraphs = [words("".join(child.itertext())) for child in content]
    assert paragraphs == [words(text) for text in html_paragraphs(story.body_html)]
    assert [etree.QName(child).localname for child in content] == ["p", "hl2", "ul", "bq", "p"]
    assert content.find("n:p/n:em", NS).get("class") == "bold"
    assert content.find("n:p/n:a", NS).get("href") == "https://example.com/?a=1&b=2"


def test_signals_follow_the_kind_of_version():
    assert (
        newsml(story_factory.full_story(version=1, ednote="")).find("g:itemMeta/g:signal", NS)
        is None
    )
    plain_update = story_factory.full_story(version=2, change=EventType.UPDATED)
    assert newsml(plain_update).xpath("g:itemMeta/g:signal/@qcode", namespaces=NS) == ["sig:update"]
    kill = newsml(story_factory.killed(story_factory.full_story()))
    assert kill.find("g:itemMeta/g:pubStatus", NS).get("qcode") == "stat:canceled"
    assert kill.xpath("g:itemMeta/g:signal/@qcode", namespaces=NS) == ["sig:update"]


def test_escaped_characters_come_back_unchanged():
    story = story_factory.full_story()
    raw = render(story, "newsml-g2", AGENCY)
    assert b"&lt;for now&gt; &amp; markets" in raw
    assert texts(etree.fromstring(raw), ".//n:hl1") == [story.headline]


def test_right_to_left_text_keeps_its_language_and_characters():
    story = story_factory.arabic_story()
    item = newsml(story)
    assert item.get(XML_LANG) == "ar"
    assert texts(item, "g:contentMeta/g:headline") == [story.headline]
    assert texts(item, "g:contentMeta/g:dateline") == ["لندن"]
    document = nitf(story)
    assert document.get(XML_LANG) == "ar"
    assert texts(document, "n:body/n:body.content/n:p") == html_paragraphs(story.body_html)


def test_nitf_head_carries_the_item_metadata():
    story = story_factory.full_story()
    document = nitf(story)
    assert document.get("version") == "-//IPTC//DTD NITF 3.6//EN"
    assert texts(document, "n:head/n:title") == [story.headline]
    docdata = document.find("n:head/n:docdata", NS)
    assert docdata.find("n:doc-id", NS).get("id-string") == story.guid
    assert docdata.find("n:urgency", NS).get("ed-urg") == "2"
    assert docdata.find("n:date.release", NS).get("norm") == "20241115T060000Z"
    assert docdata.find("n:ed-msg", NS).get("info") == story.ednote
    assert docdata.find("n:du-key", NS).get("version") == "3"
    refnums = document.xpath("n:head/n:tobject/n:tobject.subject/@tobject.subject.refnum",
                             namespaces=NS)  # fmt: skip
    assert refnums == ["04000000", "20000350", "11000000"]
    assert document.find("n:head/n:pubdata", NS).get("position.section") == (
        "Economy/Central Banks"
    )
    assert texts(document, "n:body/n:body.head/n:abstract") == [story.summary]


def test_nitf_marks_a_killed_story():
    document = nitf(story_factory.killed(story_factory.full_story()))
    assert document.find("n:head/n:docdata", NS).get("management-status") == "canceled"


def test_a_story_without_optional_fields_is_still_valid():
    story = dataclasses.replace(
        story_factory.sample_story(),
        summary="",
        byline="",
        dateline="",
        categories=(),
        subjects=(),
        slug="",
    )
    assert_valid(g2_schema(), newsml(story))
    assert_valid(nitf_schema(), nitf(story))
