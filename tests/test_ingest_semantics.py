"""Ingest keeps what the source says: its status, signals, rights, times, codes and text.

Each test here names one finding of issue 16 and failed before the importers read it.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest
from lxml import etree

from newswire.models.errors import Invalid
from newswire.models.stories import PubStatus
from newswire.newsroom import importers
from newswire.newsroom.drafts import StoryDraft
from newswire.newsroom.importers.errors import IngestError
from newswire.newsroom.importers.newsml_g2 import parse_newsml_g2, parse_nitf
from newswire.newsroom.importers.ninjs import parse_ninjs
from tests.story_factory import ninjs_item, standards_dir

G2 = "http://iptc.org/std/nar/2006-10-01/"
NITF = "http://iptc.org/std/NITF/2006-10-18/"
NINJS = "application/vnd.iptc.ninjs+json"
NEWSML = "application/vnd.iptc.g2.newsitem+xml"


def listing(name: str) -> bytes:
    return (standards_dir() / "newsml-g2" / "examples" / name).read_bytes()


def listing_2(**replacements: str) -> bytes:
    xml = listing("LISTING_2_NewsML-G2_Text_Document.xml").decode("utf-8")
    for old, new in replacements.items():
        assert old in xml, old
        xml = xml.replace(old, new, 1)
    return xml.encode("utf-8")


def nitf_document(docdata: str = "", body_content: str = "<p>Text of the story.</p>") -> bytes:
    """A bare NITF 3.6 document with a doc-id, and what the test puts in docdata."""
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<nitf xmlns="{NITF}" version="-//IPTC//DTD NITF 3.6//EN" xml:lang="en">
  <head>
    <title>Minister resigns</title>
    <docdata {docdata}>
      <doc-id regsrc="example" id-string="urn:newsml:example.com:nitf-1"/>
      <du-key version="2" key="minister-resigns"/>
    </docdata>
  </head>
  <body>
    <body.head><hedline><hl1>Minister resigns</hl1></hedline></body.head>
    <body.content>{body_content}</body.content>
  </body>
</nitf>""".encode()


# pubStatus -------------------------------------------------------------------------


@pytest.mark.parametrize("status", ["usable", "withheld", "canceled"])
def test_ninjs_pubstatus_is_read_in_both_generations(status: str):
    assert parse_ninjs(ninjs_item(pubstatus=status))["pubstatus"] == status
    camel = ninjs_item(
        pubStatus=status,
        standard={"name": "ninjs", "version": "3.1"},
        bodies=[{"role": "main", "contentType": "text/html", "value": "<p>Text.</p>"}],
    )
    assert parse_ninjs(camel)["pubstatus"] == status


@pytest.mark.parametrize("status", ["usable", "withheld", "canceled"])
def test_newsml_g2_pubstatus_is_read(status: str):
    xml = listing_2(**{'<pubStatus qcode="stat:usable" />': f'<pubStatus qcode="stat:{status}"/>'})
    assert parse_newsml_g2(xml)["pubstatus"] == status


@pytest.mark.parametrize(
    ("management_status", "status"),
    [("usable", "usable"), ("embargoed", "withheld"), ("withheld", "withheld"),
     ("canceled", "canceled")],
)  # fmt: skip
def test_nitf_management_status_is_read(management_status: str, status: str):
    fields = parse_nitf(nitf_document(f'management-status="{management_status}"'))
    assert fields["pubstatus"] == status


def test_an_item_without_a_status_is_usable():
    assert parse_ninjs(ninjs_item())["pubstatus"] == "usable"
    assert parse_nitf(nitf_document())["pubstatus"] == "usable"


def test_the_source_status_reaches_the_filing():
    filing = importers.parse(NINJS, json.dumps(ninjs_item(pubstatus="canceled", version="2")))
    assert filing.source is not None
    assert filing.source.pubstatus is PubStatus.CANCELED
    assert filing.source.version == 2
    assert "pubstatus" not in filing.fields, "not a draft field: it decides the operation"


# signals ---------------------------------------------------------------------------


def test_newsml_g2_correction_signal_is_read():
    xml = listing_2(
        **{'<pubStatus qcode="stat:usable" />': '<pubStatus qcode="stat:usable"/>'
           '<signal qcode="sig:update"/><signal qcode="sig:correction"/>'}
    )  # fmt: skip
    filing = importers.parse(NEWSML, xml.decode("utf-8"))
    assert filing.source is not None and filing.source.is_correction
    assert filing.source.signals == ("sig:update", "sig:correction")


def test_a_signal_given_by_uri_is_read_as_its_qcode():
    xml = listing_2(
        **{'<pubStatus qcode="stat:usable" />': '<pubStatus qcode="stat:usable"/>'
           '<signal uri="http://cv.iptc.org/newscodes/signal/correction"/>'}
    )  # fmt: skip
    assert parse_newsml_g2(xml)["signals"] == ["sig:correction"]


def test_ninjs_correction_signal_is_read_from_a_signal_subject():
    signal = {
        "name": "correction",
        "uri": "http://cv.iptc.org/newscodes/signal/correction",
        "rel": "signal",
    }
    fields = parse_ninjs(ninjs_item(subjects=[signal]))
    assert fields["signals"] == ["sig:correction"]
    assert fields["subjects"] == [], "a signal is not a subject of the story"


def test_nitf_correction_element_is_read():
    docdata = ""
    document = nitf_document(docdata).replace(
        b"<doc-id", b'<correction info="Fixes the name." id-string="x"/><doc-id', 1
    )
    fields = parse_nitf(document)
    assert fields["signals"] == ["sig:correction"]
    assert fields["ednote"] == "Fixes the name."


# data kept -------------------------------------------------------------------------


def test_a_ninjs_plain_text_body_stays_text():
    body = {
        "role": "main",
        "contenttype": "text/plain",
        "value": "Line one.\n\nLine two & <three>.",
    }
    draft = StoryDraft(**_draft_fields(parse_ninjs(ninjs_item(bodies=[body]))))
    assert draft.body == "<p>Line one.</p><p>Line two &amp; &lt;three&gt;.</p>"


def test_a_ninjs_body_without_content_type_is_plain_text():
    # The schema says bodies without contenttype are plain text ("text/plain" is the default).
    body = {"role": "main", "value": "Prices: 3 < 4 & <b>bold</b> stays literal."}
    draft = StoryDraft(**_draft_fields(parse_ninjs(ninjs_item(bodies=[body]))))
    assert draft.body == "<p>Prices: 3 &lt; 4 &amp; &lt;b&gt;bold&lt;/b&gt; stays literal.</p>"


def test_the_source_slugline_is_kept():
    ntb = json.loads((standards_dir() / "ninjs/examples/2.1/ntb_text.json").read_text("utf-8"))
    assert parse_ninjs(ntb)["slugline"] == "skien-google"
    assert parse_newsml_g2(listing("LISTING_2_NewsML-G2_Text_Document.xml"))["slugline"] == (
        "US-Finance-Fed"
    )


def test_the_source_copyright_holder_notice_and_usage_terms_are_kept():
    dpa = json.loads((standards_dir() / "ninjs/examples/2.1/dpa_text.json").read_text("utf-8"))
    fields = parse_ninjs(dpa)
    assert fields["copyright_holder"] == "dpa"
    assert fields["copyright_notice"] == "Copyright 2019, dpa (www.dpa.de). Alle Rechte vorbehalten"
    fields = parse_newsml_g2(listing("LISTING_1_A_NewsML-G2_News_Item.xml"))
    assert fields["copyright_holder"] == "Example Enews LLP"
    assert fields["copyright_notice"] == "Copyright 2017-18 Example Enews LLP, all rights reserved"
    assert fields["usage_terms"] == "Not for use outside the United States"


def test_the_source_version_created_is_kept():
    fields = parse_newsml_g2(listing("LISTING_2_NewsML-G2_Text_Document.xml"))
    assert fields["version_created"] == datetime(2018, 11, 21, 21, 25, 32, tzinfo=UTC)
    filing = importers.parse(NINJS, json.dumps(ninjs_item(versioncreated="2024-11-14T10:00:00Z")))
    assert filing.source is not None
    assert filing.source.version_created == datetime(2024, 11, 14, 10, 0, tzinfo=UTC)


def test_content_created_and_modified_are_kept():
    fields = parse_newsml_g2(listing("LISTING_2_NewsML-G2_Text_Document.xml"))
    assert fields["content_created"] == datetime(2016, 11, 21, 20, 21, 6, tzinfo=UTC)
    assert fields["content_modified"] == datetime(2018, 11, 21, 21, 22, 45, tzinfo=UTC)


def test_a_qcode_only_genre_is_a_code_not_a_name():
    xml = listing_2(**{"<slugline>": '<genre qcode="genre:Obituary"/><slugline>'})
    fields = parse_newsml_g2(xml)
    assert (fields["genre"], fields["genre_code"]) == ("", "genre:Obituary")
    item = ninjs_item(genres=[{"uri": "http://cv.iptc.org/newscodes/genre/Actuality"}])
    fields = parse_ninjs(item)
    assert (fields["genre"], fields["genre_code"]) == ("", "genre:Actuality")


def test_a_named_genre_keeps_its_name_and_code():
    fields = parse_newsml_g2(listing("LISTING_1_A_NewsML-G2_News_Item.xml"))
    assert (fields["genre"], fields["genre_code"]) == ("Interview", "genre:interview")


def test_located_keeps_its_code_and_name_apart_from_the_dateline():
    fields = parse_newsml_g2(listing("LISTING_2_NewsML-G2_Text_Document.xml"))
    assert fields["located"] == "New York, NY"
    assert fields["located_code"] == "geoloc:NYC"
    assert fields["dateline"] == "New York, NY"


def test_nitf_abbreviations_come_back_as_abbreviations():
    fields = parse_nitf(nitf_document(body_content='<p>The <em class="abbr">ECB</em> met.</p>'))
    assert fields["body"] == "<p>The <abbr>ECB</abbr> met.</p>"


# validation ------------------------------------------------------------------------


def test_a_bare_nitf_document_is_schema_validated():
    with pytest.raises(IngestError) as caught:
        parse_nitf(nitf_document(body_content="<p>Text.</p><blink>no</blink>"))
    assert "blink" in caught.value.message and "NITF 3.6" in caught.value.message
    assert caught.value.path.startswith("/nitf/body/body.content")


def test_a_nitf_version_that_is_not_a_number_is_refused():
    document = nitf_document().replace(b'version="2"', b'version="abc"')
    with pytest.raises(IngestError) as caught:
        parse_nitf(document)
    assert caught.value.path == "/nitf/head/docdata/du-key/@version"


def test_a_nitf_without_doc_id_is_refused_rather_than_given_a_fresh_guid():
    document = nitf_document().replace(
        b'<doc-id regsrc="example" id-string="urn:newsml:example.com:nitf-1"/>', b""
    )
    with pytest.raises(IngestError) as caught:
        parse_nitf(document)
    assert caught.value.path == "/nitf/head/docdata/doc-id"


def test_ninjs_version_that_is_not_a_number_is_refused():
    with pytest.raises(IngestError) as caught:
        parse_ninjs(ninjs_item(version="abc"))
    assert caught.value.path == "$.version"


@pytest.mark.parametrize(
    ("key", "value"),
    [("uri", "not a uri"), ("versioncreated", "yesterday"), ("embargoed", "2024-13-01T00:00:00Z")],
)
def test_ninjs_declared_formats_are_asserted(key: str, value: str):
    with pytest.raises(IngestError) as caught:
        parse_ninjs(ninjs_item(**{key: value}))
    assert caught.value.path == f"$.{key}"
    assert "is not a" in caught.value.message


def test_an_invalid_item_is_refused_through_parse_with_the_field():
    with pytest.raises(Invalid) as caught:
        importers.parse(NINJS, json.dumps(ninjs_item(versioncreated="yesterday")))
    assert caught.value.field == "$.versioncreated"


def _draft_fields(fields: dict[str, Any]) -> dict[str, Any]:
    """Drop what the importers return for the filing (status, signals, version, times)."""
    fields = dict(fields)
    for key in importers.SOURCE_KEYS:
        fields.pop(key, None)
    return fields


def test_nitf_inside_newsml_g2_is_not_double_counted_as_its_own_item():
    # The inner NITF of a G2 item carries no doc-id; the G2 item's guid is the identity.
    xml = listing("LISTING_22_Sports_story_in_NewsML-G2NITF.xml")
    root = etree.fromstring(xml)
    assert root.find(f".//{{{NITF}}}doc-id") is None
    assert parse_newsml_g2(xml)["guid"] == root.get("guid")


@pytest.mark.parametrize("value", ["²", "0", "2147483648", "1e3"])
def test_a_version_is_ascii_digits_within_the_database_range(value: str):
    with pytest.raises(IngestError) as caught:
        parse_ninjs(ninjs_item(version=value))
    assert caught.value.path == "$.version"
    document = nitf_document().replace(b'version="2"', f'version="{value}"'.encode())
    with pytest.raises(IngestError) as caught:
        parse_nitf(document)
    # "²" is not even an NMTOKEN: the XSD refuses it before we read it.
    assert caught.value.path.startswith("/nitf/head/docdata/du-key")
