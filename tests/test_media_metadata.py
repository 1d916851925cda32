"""Embedded metadata: what is read from real files, what is written, what is stripped.

Written fields are read back twice: with exiv2 (our reader) and with an
independent one — Pillow's IIM parser and lxml over the raw XMP packet — so
a field that only our own reader could find does not pass.
"""

from __future__ import annotations

import io
from datetime import datetime, timedelta, timezone

import pyexiv2
import pytest
from lxml import etree
from PIL import ExifTags, Image, IptcImagePlugin

from newswire.media import Limits, MediaRejected, Rights, check_rights, read_metadata
from newswire.media.metadata import strip_private, write_rights
from tests.media_files import DESK_RIGHTS, DST_AI, XMP_PACKET, encoded, plain_jpeg, press_photo

NS = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "dc": "http://purl.org/dc/elements/1.1/",
    "photoshop": "http://ns.adobe.com/photoshop/1.0/",
    "xmpRights": "http://ns.adobe.com/xap/1.0/rights/",
    "Iptc4xmpExt": "http://iptc.org/std/Iptc4xmpExt/2008-02-29/",
    "plus": "http://ns.useplus.org/ldf/xmp/1.0/",
}


def xmp_text(data: bytes, path: str) -> list[str]:
    """Return the texts at an XPath in the file's raw XMP packet, parsed by lxml."""
    packet = Image.open(io.BytesIO(data)).info["xmp"]
    root = etree.fromstring(packet)
    found: list[str] = []
    for hit in root.xpath(path, namespaces=NS):
        found.append(hit if isinstance(hit, str) else "".join(hit.itertext()))
    return found


def test_read_metadata_prefills_every_iptc_field_from_a_press_photo() -> None:
    found = read_metadata(press_photo())
    assert found.caption == "Cranes unload a container ship in the port of Rotterdam."
    assert found.alt_text == "Three red cranes over a container ship"
    assert found.headline == "Harbour cranes at dawn"
    assert found.creator == "Anna de Vries"
    assert found.credit_line == "Example Press"
    assert found.copyright_notice == "(c) 2024 Example Press"
    assert found.copyright_holder == "Example Press B.V."
    assert found.usage_terms == "Editorial use only"
    assert found.date_created == "2024-11-14T07:45:00+01:00"
    assert (found.city, found.region, found.country, found.country_code) == (
        "Rotterdam",
        "South Holland",
        "Netherlands",
        "NL",
    )
    assert found.keywords == ("port", "shipping", "economy")
    assert found.digital_source_type == (
        "http://cv.iptc.org/newscodes/digitalsourcetype/digitalCapture"
    )
    assert found.exif_date == datetime(2024, 11, 14, 7, 45, tzinfo=timezone(timedelta(hours=1)))
    assert found.orientation == 6
    assert (found.width, found.height) == (1200, 800)
    assert found.display_size == (800, 1200)


def test_xmp_wins_over_iim_and_iim_fills_what_xmp_lacks() -> None:
    found = read_metadata(press_photo())
    # The IIM caption and city disagree with the XMP ones: XMP is what current tools update.
    assert found.caption != "Old IIM caption"
    assert found.city == "Rotterdam"
    # Only IIM has a subject code.
    assert found.subject_codes == ("subj:04000000",)


def test_iim_alone_prefills_the_fields_it_has() -> None:
    with pyexiv2.ImageData(plain_jpeg((64, 64))) as image:
        image.modify_iptc(
            {
                "Iptc.Envelope.CharacterSet": "\x1b%G",
                "Iptc.Application2.Caption": "Légende en français",
                "Iptc.Application2.Byline": ["Zoë Ångström"],
                "Iptc.Application2.Keywords": ["météo", "neige"],
                "Iptc.Application2.DateCreated": "2024-01-31",
            }
        )
        data = bytes(image.get_bytes())
    found = read_metadata(data)
    assert found.caption == "Légende en français"
    assert found.creator == "Zoë Ångström"
    assert found.keywords == ("météo", "neige")
    assert found.date_created == "2024-01-31"
    assert found.alt_text is None and found.digital_source_type is None


def test_read_metadata_reads_an_iphone_style_heic() -> None:
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6
    heic = encoded(
        Image.new("RGB", (300, 200), "blue"), "HEIF", exif=exif.tobytes(), xmp=XMP_PACKET.encode()
    )
    found = read_metadata(heic)
    assert found.caption == "Cranes unload a container ship in the port of Rotterdam."
    assert found.credit_line == "Example Press"
    assert found.orientation == 6 and found.display_size == (200, 300)


def test_write_rights_puts_every_field_into_a_jpeg_readable_by_other_readers() -> None:
    written = write_rights(press_photo(), DESK_RIGHTS)
    found = read_metadata(written)
    for name in ("creator", "credit_line", "copyright_notice", "copyright_holder", "usage_terms",
                 "caption", "headline", "alt_text", "digital_source_type"):  # fmt: skip
        assert getattr(found, name) == getattr(DESK_RIGHTS, name), name
    # Pillow's own IIM parser sees the legacy fields, in UTF-8 as 1:90 declares.
    iim = IptcImagePlugin.getiptcinfo(Image.open(io.BytesIO(written)))
    assert iim is not None
    assert iim[(1, 90)] == b"\x1b%G"
    assert iim[(2, 80)] == DESK_RIGHTS.creator.encode()  # type: ignore[union-attr]
    assert iim[(2, 110)] == DESK_RIGHTS.credit_line.encode()  # type: ignore[union-attr]
    assert iim[(2, 116)] == DESK_RIGHTS.copyright_notice.encode()  # type: ignore[union-attr]
    assert iim[(2, 120)] == DESK_RIGHTS.caption.encode()  # type: ignore[union-attr]
    # lxml over the raw XMP packet sees the XMP ones.
    assert xmp_text(written, "//Iptc4xmpExt:AltTextAccessibility//rdf:li") == [DESK_RIGHTS.alt_text]
    assert xmp_text(written, "//xmpRights:UsageTerms//rdf:li") == [DESK_RIGHTS.usage_terms]
    assert xmp_text(
        written, "//@Iptc4xmpExt:DigitalSourceType | //Iptc4xmpExt:DigitalSourceType"
    ) == [DST_AI]
    # The pixels are not touched: the same decoded picture.
    assert (
        Image.open(io.BytesIO(written)).tobytes() == Image.open(io.BytesIO(press_photo())).tobytes()
    )


def test_write_rights_into_webp_uses_xmp() -> None:
    webp = encoded(Image.new("RGB", (120, 80), "blue"), "WEBP")
    written = write_rights(webp, DESK_RIGHTS)
    assert Image.open(io.BytesIO(written)).format == "WEBP"
    found = read_metadata(written)
    assert (found.caption, found.credit_line, found.alt_text) == (
        DESK_RIGHTS.caption,
        DESK_RIGHTS.credit_line,
        DESK_RIGHTS.alt_text,
    )
    assert xmp_text(written, "//dc:description//rdf:li") == [DESK_RIGHTS.caption]


def test_write_rights_removes_fields_the_wire_left_empty() -> None:
    written = write_rights(press_photo(), Rights(caption="Only a caption"))
    found = read_metadata(written)
    assert found.caption == "Only a caption"
    # The photographer's embedded headline, credit, holder and alt text are gone,
    # so a reader falling back to them cannot contradict the wire.
    assert found.headline is None and found.credit_line is None
    assert found.copyright_holder is None and found.alt_text is None
    # EXIF's own ASCII copies are removed too.
    with pyexiv2.ImageData(written) as image:
        exif = image.read_exif()
    assert "Exif.Image.Artist" not in exif and "Exif.Image.Copyright" not in exif


def test_write_rights_refuses_formats_it_does_not_write() -> None:
    with pytest.raises(ValueError, match="image/png"):
        write_rights(encoded(Image.new("RGB", (8, 8)), "PNG"), DESK_RIGHTS)


def test_strip_private_removes_gps_serials_owner_maker_note_and_history() -> None:
    stripped = strip_private(press_photo())
    with pyexiv2.ImageData(stripped) as image:
        exif, xmp = image.read_exif(), image.read_xmp()
    assert not [key for key in exif if "GPS" in key]
    for private in ("Exif.Photo.BodySerialNumber", "Exif.Photo.LensSerialNumber",
                    "Exif.Photo.CameraOwnerName", "Exif.Photo.MakerNote"):  # fmt: skip
        assert private not in exif
    assert not [key for key in xmp if key.startswith(("Xmp.exif.GPS", "Xmp.xmpMM"))]
    # Pillow's EXIF reader agrees: no GPS directory left.
    assert not Image.open(io.BytesIO(stripped)).getexif().get_ifd(ExifTags.IFD.GPSInfo)
    assert b"SN-123456789" not in stripped and b"LENS-42" not in stripped
    # What is not private stays: orientation, date, camera, the editorial fields.
    assert exif["Exif.Image.Orientation"] == "6"
    assert exif["Exif.Photo.DateTimeOriginal"] == "2024:11:14 07:45:00"
    assert exif["Exif.Image.Make"] == "Acme"
    assert read_metadata(stripped).caption == read_metadata(press_photo()).caption


def test_check_rights_names_the_oversized_field() -> None:
    limits = Limits(max_text_chars=40, max_long_text_chars=100)
    with pytest.raises(MediaRejected) as refused:
        check_rights(Rights(caption="x" * 101), limits)
    assert refused.value.field == "caption"
    assert refused.value.status == 422
    assert "101 characters" in refused.value.message and "100" in refused.value.message
    with pytest.raises(MediaRejected) as refused:
        check_rights(Rights(credit_line="y" * 41), limits)
    assert refused.value.field == "credit_line"
    # Within the limits everything passes through.
    assert (
        check_rights(Rights(caption="x" * 100, credit_line="y" * 40), limits).caption == "x" * 100
    )


def test_check_rights_normalizes_the_digital_source_type() -> None:
    assert (
        check_rights(Rights(digital_source_type="trainedAlgorithmicMedia")).digital_source_type
        == DST_AI
    )
    qcode = Rights(digital_source_type="digitalsourcetype:trainedAlgorithmicMedia")
    assert check_rights(qcode).digital_source_type == DST_AI
    with pytest.raises(MediaRejected) as refused:
        check_rights(Rights(digital_source_type="made by a robot"))
    assert refused.value.field == "digital_source_type"
    assert "trainedAlgorithmicMedia" in refused.value.message


def test_read_metadata_refuses_an_oversized_embedded_field() -> None:
    with pyexiv2.ImageData(plain_jpeg((64, 64))) as image:
        image.modify_xmp({"Xmp.dc.description": {'lang="x-default"': "z" * 20_001}})
        data = bytes(image.get_bytes())
    with pytest.raises(MediaRejected) as refused:
        read_metadata(data)
    assert refused.value.field == "file"
    assert "caption embedded in the file" in refused.value.message
    assert "20,001 characters" in refused.value.message


def test_read_metadata_refuses_too_many_embedded_keywords() -> None:
    with pyexiv2.ImageData(plain_jpeg((64, 64))) as image:
        image.modify_xmp({"Xmp.dc.subject": [f"kw{n}" for n in range(30)]})
        data = bytes(image.get_bytes())
    with pytest.raises(MediaRejected) as refused:
        read_metadata(data, Limits(max_keywords=20))
    assert refused.value.field == "file"
    assert "keywords" in refused.value.message and "30 entries" in refused.value.message
