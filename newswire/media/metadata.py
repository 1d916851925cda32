"""Embedded picture metadata through exiv2 (pyexiv2): read IPTC/XMP/EXIF, write rights, strip.

Three jobs, all on bytes in memory:

* `read_metadata(data)` reads what the photographer's camera and software
  embedded — IPTC IIM, XMP and EXIF — into `EmbeddedMetadata`, to pre-fill
  the filing form. Where XMP and IIM both have a field, XMP wins (it is
  Unicode, unlimited in length, and what current tools write first); IIM,
  then EXIF, fill what XMP lacks (the Metadata Working Group's order).
* `write_rights(data, rights)` writes the wire's caption and rights fields
  into a JPEG or WebP: XMP always, IIM too in a JPEG (WebP has no IIM) for
  the CMSs that read only that. A field that is empty in `rights` is removed,
  so the delivered file says exactly what the wire says. EXIF's own
  ImageDescription, Artist and Copyright are removed: they are ASCII-only and
  would contradict the XMP in readers that look there first.
* `strip_private(data)` removes what must not leave the agency in a public
  rendition: GPS (EXIF and XMP), serial numbers, the owner's name, maker
  notes (they hold serials and more), the EXIF thumbnail (it can show the
  uncropped original), XMP edit history (file paths, document ids).

exiv2 does the parsing and writing; no byte is parsed here. pyexiv2 is not
thread-safe (exiv2 keeps global state), so every call holds one lock: the
API may run these in a thread pool.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, fields, replace
from datetime import datetime
from typing import Any

import pyexiv2

from newswire.media.errors import UNUSABLE, MediaRejected
from newswire.media.limits import Limits

# exiv2 reports recoverable problems (a maker note it cannot decode, an odd
# IFD) as log errors, which pyexiv2 turns into exceptions; an upload should
# not fail over a camera's private notes, so only real exceptions count.
pyexiv2.set_log_level(4)
_EXIV2 = threading.Lock()

DIGITAL_SOURCE_TYPE_SCHEME = "http://cv.iptc.org/newscodes/digitalsourcetype/"
# IPTC Digital Source Type NewsCodes (2024 edition).
DIGITAL_SOURCE_TYPES = frozenset(
    {"digitalCapture", "computationalCapture", "negativeFilm", "positiveFilm", "print",
     "humanEdits", "minorHumanEdits", "compositeCapture", "algorithmicallyEnhanced",
     "dataDrivenMedia", "digitalArt", "virtualRecording", "compositeSynthetic",
     "trainedAlgorithmicMedia", "compositeWithTrainedAlgorithmicMedia", "algorithmicMedia",
     "screenCapture", "softwareImage", "digitalCreation"}
)  # fmt: skip
UTF8_CHARSET = "\x1b%G"  # IIM 1:90, ISO 2022 escape for UTF-8


@dataclass(frozen=True)
class Rights:
    """The caption and rights fields the wire writes into every delivered rendition."""

    creator: str | None = None
    credit_line: str | None = None
    copyright_notice: str | None = None
    copyright_holder: str | None = None
    usage_terms: str | None = None
    caption: str | None = None
    headline: str | None = None
    alt_text: str | None = None
    digital_source_type: str | None = None  # an IPTC NewsCodes URI


@dataclass(frozen=True)
class EmbeddedMetadata(Rights):
    """The IPTC Photo Metadata fields newswire reads from a file, as found (None when absent).

    They are the fields the wire writes back (`Rights`) and more: where and
    when the picture was taken, its keywords, its pixels' size and turn.
    """

    date_created: str | None = None  # ISO 8601 as filed: may be a date only
    city: str | None = None
    region: str | None = None
    country: str | None = None
    country_code: str | None = None
    keywords: tuple[str, ...] = ()
    subject_codes: tuple[str, ...] = ()
    exif_date: datetime | None = None  # EXIF DateTimeOriginal (with its offset when given)
    orientation: int = 1  # EXIF orientation, 1-8
    width: int = 0  # stored pixels (before orientation)
    height: int = 0

    @property
    def display_size(self) -> tuple[int, int]:
        """Return (width, height) as shown: orientations 5-8 turn the picture a quarter."""
        if self.orientation in (5, 6, 7, 8):
            return self.height, self.width
        return self.width, self.height


LONG_FIELDS = frozenset({"caption", "alt_text", "usage_terms"})


def read_metadata(data: bytes, limits: Limits = Limits()) -> EmbeddedMetadata:
    """Return the metadata embedded in a picture; raise MediaRejected for an oversized field."""
    with _opened(data) as image:
        xmp = image.read_xmp()
        iptc = _read_iptc(image)
        exif = image.read_exif()
        width, height = image.get_pixel_width(), image.get_pixel_height()
    found = EmbeddedMetadata(
        caption=_first(_lang_alt(xmp, "Xmp.dc.description"), iptc.get("Caption"),
                       exif.get("Exif.Image.ImageDescription")),
        alt_text=_lang_alt(xmp, "Xmp.iptcExt.AltTextAccessibility"),
        headline=_first(xmp.get("Xmp.photoshop.Headline"), iptc.get("Headline")),
        creator=_first(_joined(xmp.get("Xmp.dc.creator")), _joined(iptc.get("Byline")),
                       exif.get("Exif.Image.Artist")),
        credit_line=_first(xmp.get("Xmp.photoshop.Credit"), iptc.get("Credit")),
        copyright_notice=_first(_lang_alt(xmp, "Xmp.dc.rights"), iptc.get("Copyright"),
                                exif.get("Exif.Image.Copyright")),
        copyright_holder=_joined(_struct_values(xmp, "Xmp.plus.CopyrightOwner",
                                                "plus:CopyrightOwnerName")),
        usage_terms=_lang_alt(xmp, "Xmp.xmpRights.UsageTerms"),
        date_created=_first(xmp.get("Xmp.photoshop.DateCreated"), _iim_date(iptc)),
        city=_first(xmp.get("Xmp.photoshop.City"), iptc.get("City")),
        region=_first(xmp.get("Xmp.photoshop.State"), iptc.get("ProvinceState")),
        country=_first(xmp.get("Xmp.photoshop.Country"), iptc.get("CountryName")),
        country_code=_first(xmp.get("Xmp.iptc.CountryCode"), iptc.get("CountryCode")),
        keywords=_unique(_listed(xmp.get("Xmp.dc.subject")) or _listed(iptc.get("Keywords"))),
        subject_codes=_unique(_listed(xmp.get("Xmp.iptc.SubjectCode"))
                              or _iim_subject_codes(iptc.get("Subject"))),
        digital_source_type=_source_type_or_none(xmp.get("Xmp.iptcExt.DigitalSourceType")),
        exif_date=_exif_date(exif.get("Exif.Photo.DateTimeOriginal"),
                             exif.get("Exif.Photo.OffsetTimeOriginal")),
        orientation=_orientation(exif.get("Exif.Image.Orientation")),
        width=width,
        height=height,
    )  # fmt: skip
    _check_lengths(found, limits, "file", embedded=True)
    return found


def check_rights(rights: Rights, limits: Limits = Limits()) -> Rights:
    """Return the rights, digital source type as a URI; raise MediaRejected naming the field."""
    _check_lengths(rights, limits, None, embedded=False)
    if rights.digital_source_type:
        uri = normalize_digital_source_type(rights.digital_source_type)
        return replace(rights, digital_source_type=uri)
    return rights


def normalize_digital_source_type(value: str) -> str:
    """Return the IPTC URI for a digital source type given as URI, QCode or bare code."""
    text = value.strip()
    code = text.removeprefix(DIGITAL_SOURCE_TYPE_SCHEME).removeprefix("digitalsourcetype:")
    code = code.removeprefix("https://cv.iptc.org/newscodes/digitalsourcetype/")
    if code in DIGITAL_SOURCE_TYPES:
        return DIGITAL_SOURCE_TYPE_SCHEME + code
    if re.fullmatch(r"https?://\S+", text) and not text.startswith(DIGITAL_SOURCE_TYPE_SCHEME):
        return text  # another authority's vocabulary: kept as it is
    raise MediaRejected(
        "digital_source_type",
        f"{value!r} is not an IPTC digital source type (e.g. "
        f"{DIGITAL_SOURCE_TYPE_SCHEME}trainedAlgorithmicMedia)",
        UNUSABLE,
    )


def write_rights(data: bytes, rights: Rights, *, strip: bool = False) -> bytes:
    """Return the JPEG or WebP with the rights and caption fields written in (pixels untouched).

    With `strip`, also remove the private data `strip_private` removes, in the
    same pass (one parse and one write instead of two).
    """
    xmp: dict[str, Any] = {
        "Xmp.dc.creator": [rights.creator] if rights.creator else None,
        "Xmp.photoshop.Credit": rights.credit_line or None,
        "Xmp.dc.rights": _lang(rights.copyright_notice),
        "Xmp.xmpRights.UsageTerms": _lang(rights.usage_terms),
        "Xmp.dc.description": _lang(rights.caption),
        "Xmp.photoshop.Headline": rights.headline or None,
        "Xmp.iptcExt.AltTextAccessibility": _lang(rights.alt_text),
        "Xmp.iptcExt.DigitalSourceType": rights.digital_source_type or None,
    }
    with _opened(data) as image:
        mime = image.get_mime_type()
        if mime not in ("image/jpeg", "image/webp"):
            raise ValueError(f"write_rights writes JPEG and WebP, not {mime}")
        existing = image.read_xmp()
        owner = [key for key in existing if key.startswith("Xmp.plus.CopyrightOwner")]
        image.modify_xmp({key: None for key in sorted(owner, reverse=True)} | xmp)
        if rights.copyright_holder:
            # A PLUS CopyrightOwner is a sequence of structures: declare the
            # sequence, then fill the first structure's name.
            image.modify_xmp({"Xmp.plus.CopyrightOwner": []})
            image.modify_xmp(
                {"Xmp.plus.CopyrightOwner[1]/plus:CopyrightOwnerName": rights.copyright_holder}
            )
        exif = image.read_exif()
        stale = ("Exif.Image.ImageDescription", "Exif.Image.Artist", "Exif.Image.Copyright")
        if any(key in exif for key in stale):
            image.modify_exif({key: None for key in stale if key in exif})
        if mime == "image/jpeg":
            image.modify_iptc(_iim(rights))
        if strip:
            _remove_private(image)
        return bytes(image.get_bytes())


def strip_private(data: bytes) -> bytes:
    """Return the JPEG, WebP or PNG without GPS, serials, owner, maker notes, thumbnail, history."""
    with _opened(data) as image:
        _remove_private(image)
        return bytes(image.get_bytes())


def _remove_private(image: Any) -> None:
    exif = image.read_exif()
    private_exif = [key for key in exif if _is_private_exif(key)]
    if private_exif:
        image.modify_exif({key: None for key in private_exif})
    image.clear_thumbnail()
    xmp = image.read_xmp()
    private_xmp = [key for key in xmp if _is_private_xmp(key)]
    if private_xmp:
        # Children before their parents: exiv2 deletes by exact key.
        image.modify_xmp({key: None for key in sorted(private_xmp, reverse=True)})


# Private data ---------------------------------------------------------------------

# EXIF groups exiv2 names after the IFD they come from. Maker-note groups
# (Canon, Nikon3, Sony1, ...) and GPSInfo are dropped whole.
_KEPT_EXIF_GROUPS = frozenset({"Image", "Photo", "Iop"})
_PRIVATE_EXIF = frozenset(
    {"Exif.Image.GPSTag", "Exif.Image.CameraSerialNumber", "Exif.Image.HostComputer",
     "Exif.Image.DocumentName", "Exif.Image.ImageID", "Exif.Image.OwnerName",
     "Exif.Image.XPAuthor", "Exif.Image.XPComment",
     "Exif.Photo.MakerNote", "Exif.Photo.BodySerialNumber", "Exif.Photo.LensSerialNumber",
     "Exif.Photo.CameraOwnerName", "Exif.Photo.ImageUniqueID", "Exif.Photo.UserComment"}
)  # fmt: skip
_PRIVATE_XMP = re.compile(
    r"^Xmp\.(?:exif\.GPS|exifEX\.(?:BodySerialNumber|LensSerialNumber|CameraOwnerName)"
    r"|aux\.(?:SerialNumber|LensSerialNumber|OwnerName|ImageNumber)"
    r"|xmpMM\.|photoshop\.DocumentAncestors"
    r"|iptcExt\.Location(?:Created|Shown)\[\d+\]/exif:GPS"
    r"|iptcExt\.Location(?:Created|Shown)\[\d+\]/Iptc4xmpExt:GPS)"
)


def _is_private_exif(key: str) -> bool:
    group = key.split(".")[1]
    return group not in _KEPT_EXIF_GROUPS or key in _PRIVATE_EXIF


def _is_private_xmp(key: str) -> bool:
    return _PRIVATE_XMP.match(key) is not None


# Reading helpers --------------------------------------------------------------------


@contextmanager
def _opened(data: bytes) -> Iterator[Any]:
    with _EXIV2:
        try:
            image = pyexiv2.ImageData(data)
        except RuntimeError as error:
            raise MediaRejected(
                "file", f"the picture's metadata cannot be read: {error}"
            ) from error
        try:
            yield image
        finally:
            image.close()


def _read_iptc(image: Any) -> dict[str, Any]:
    try:
        raw = image.read_iptc()
    except UnicodeDecodeError:
        # IIM written without the UTF-8 marker (1:90): legacy tools wrote Latin-1.
        raw = image.read_iptc(encoding="iso-8859-1")
    prefix = "Iptc.Application2."
    return {key.removeprefix(prefix): value for key, value in raw.items() if key.startswith(prefix)}


def _text(value: Any) -> str | None:
    if isinstance(value, list):
        value = value[0] if value else None
    if not isinstance(value, str):
        return None
    text = value.strip()
    return text or None


def _first(*values: Any) -> str | None:
    for value in values:
        text = _text(value)
        if text is not None:
            return text
    return None


def _lang_alt(xmp: Mapping[str, Any], key: str) -> str | None:
    """Return a language alternative's x-default text (else its first language)."""
    value = xmp.get(key)
    if isinstance(value, dict):
        if not value:
            return None
        text = value.get('lang="x-default"', next(iter(value.values())))
        return _text(text)
    text = _text(value)
    if text is not None:
        # A property exiv2 does not know as LangAlt comes back as its text form.
        stripped: str = re.sub(r'^lang="[^"]*"\s*', "", text)
        return stripped or None
    return None


def _listed(value: Any) -> list[str]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        return []
    return [text for item in value if (text := _text(item)) is not None]


def _joined(value: Any) -> str | None:
    items = _listed(value)
    return ", ".join(items) if items else None


def _unique(items: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))


def _struct_values(xmp: Mapping[str, Any], array: str, member: str) -> list[str]:
    pattern = re.compile(re.escape(array) + r"\[\d+\]/" + re.escape(member) + "$")
    return [text for key, value in xmp.items() if pattern.match(key) and (text := _text(value))]


def _iim_date(iptc: Mapping[str, Any]) -> str | None:
    date = _text(iptc.get("DateCreated"))
    if date is None:
        return None
    time = _text(iptc.get("TimeCreated"))
    return f"{date}T{time}" if time else date


def _iim_subject_codes(value: Any) -> list[str]:
    # IIM 2:12 is "IPR:number:name:matter:detail", e.g. "IPTC:04000000:...".
    codes = []
    for item in _listed(value):
        parts = item.split(":")
        if len(parts) > 1 and parts[1].isdigit():
            codes.append(f"subj:{parts[1]}")
    return codes


def _source_type_or_none(value: Any) -> str | None:
    text = _text(value)
    if text is None:
        return None
    try:
        return normalize_digital_source_type(text)
    except MediaRejected:
        return None  # an embedded value we do not understand pre-fills nothing


def _exif_date(value: Any, offset: Any) -> datetime | None:
    text = _text(value)
    if text is None:
        return None
    try:
        moment = datetime.strptime(text, "%Y:%m:%d %H:%M:%S")
    except ValueError:
        return None  # "0000:00:00 00:00:00" and other placeholders
    zone = _text(offset)
    if zone and re.fullmatch(r"[+-]\d\d:\d\d", zone):
        return datetime.fromisoformat(moment.isoformat() + zone)
    return moment


def _orientation(value: Any) -> int:
    text = _text(value)
    if text is not None and text.isdigit() and 1 <= int(text) <= 8:
        return int(text)
    return 1


# Writing helpers ----------------------------------------------------------------------


def _lang(text: str | None) -> dict[str, str] | None:
    return {'lang="x-default"': text} if text else None


def _iim(rights: Rights) -> dict[str, Any]:
    # IIM has no alt text, usage terms or digital source type: those live in XMP.
    return {
        "Iptc.Envelope.CharacterSet": UTF8_CHARSET,
        "Iptc.Application2.Byline": [rights.creator] if rights.creator else None,
        "Iptc.Application2.Credit": rights.credit_line or None,
        "Iptc.Application2.Copyright": rights.copyright_notice or None,
        "Iptc.Application2.Caption": rights.caption or None,
        "Iptc.Application2.Headline": rights.headline or None,
    }


# Limits ---------------------------------------------------------------------------


def _values(record: Rights) -> dict[str, Any]:
    return {item.name: getattr(record, item.name) for item in fields(record)}


def _check_lengths(record: Rights, limits: Limits, field: str | None, embedded: bool) -> None:
    for name, value in _values(record).items():
        texts = list(value) if isinstance(value, tuple) else [value]
        if isinstance(value, tuple) and len(value) > limits.max_keywords:
            raise MediaRejected(
                field or name,
                f"{_where(name, embedded)} has {len(value)} entries; at most "
                f"{limits.max_keywords} are accepted",
            )
        limit = limits.max_long_text_chars if name in LONG_FIELDS else limits.max_text_chars
        for text in texts:
            if isinstance(text, str) and len(text) > limit:
                raise MediaRejected(
                    field or name,
                    f"{_where(name, embedded)} is {len(text):,} characters; at most {limit:,} "
                    "are accepted",
                )


def _where(name: str, embedded: bool) -> str:
    label = name.replace("_", " ")
    return f"the {label} embedded in the file" if embedded else f"the {label}"
