"""Polyglot checks: bytes that are a picture and, read by another program, something else.

A polyglot is a file that two programs read differently: a JPEG that an
unzipper opens as an archive (ZIP readers start from the *end* of a file), a
PNG whose first kilobyte a browser's content sniffer takes for HTML, a WebP
with a PDF glued on. Serving one from the agency's domain hands an attacker
our origin. Decoders cannot see this (they stop at the end of the image and
ignore the rest), so it is checked here, with the readers' own rules:

* ZIP: `zipfile.is_zipfile`, the standard library's reader, which looks for
  the end-of-central-directory record the way every unzipper does;
* PDF: readers accept a `%PDF-` header anywhere in the file (and look for
  `%%EOF` near the end), so neither may appear;
* HTML and scripts: content sniffers look at the first 512 bytes to 1 KiB
  (the WHATWG MIME sniffing standard's window) for markup;
* trailing data: a JPEG ends with its EOI marker, a PNG with its IEND chunk,
  a WebP (a RIFF container) at the length its header declares. Anything after
  that is a second file riding along (or a phone's proprietary trailer, which
  we refuse too: re-export the picture).

These are container-level signatures, not metadata parsing: the metadata is
read by exiv2 (see metadata.py), the pixels by Pillow.
"""

from __future__ import annotations

import io
import re
import zipfile

from newswire.media.errors import UNUSABLE, MediaRejected

# How far content sniffers look (WHATWG MIME sniffing reads 1445 bytes at most;
# older engines 256-1024); markup inside that window can make a browser render
# the bytes as a page.
SNIFF_WINDOW = 1445
PDF_TAIL_WINDOW = 1024
_MARKUP = re.compile(
    rb"<(?:!doctype\s+html|html|head|body|script|iframe|object|embed|svg|a\s|img\s|\?php|"
    rb"meta\s|style|title|table|div|font|br\b|p\b)",
    re.IGNORECASE,
)
_JPEG_END = b"\xff\xd9"
_PNG_END = b"\x00\x00\x00\x00IEND\xaeB`\x82"


def refuse_polyglot(data: bytes, image_format: str) -> None:
    """Raise MediaRejected when the bytes are also a ZIP, a PDF or HTML, or carry trailing data."""
    label = _LABELS.get(image_format, image_format)
    if _is_zip(data):
        _refuse(label, "is also a ZIP archive (a polyglot file)")
    if b"%PDF-" in data or b"%%EOF" in data[-PDF_TAIL_WINDOW:]:
        _refuse(label, "also contains a PDF document (a polyglot file)")
    match = _MARKUP.search(data[:SNIFF_WINDOW])
    if match is not None:
        tag = match.group(0).decode("ascii", "replace")
        _refuse(label, f"has HTML markup ({tag!r}) where browsers sniff content (a polyglot file)")
    if _has_trailing_data(data, image_format):
        _refuse(
            label,
            "goes on after the end of the image (trailing data: a polyglot file or an appended "
            "trailer); export the picture again without it",
        )


def _is_zip(data: bytes) -> bool:
    return zipfile.is_zipfile(io.BytesIO(data))


def _has_trailing_data(data: bytes, image_format: str) -> bool:
    if image_format == "JPEG":
        return not data.endswith(_JPEG_END)
    if image_format == "PNG":
        return not data.endswith(_PNG_END)
    if image_format == "WEBP":
        # RIFF: bytes 4-8 are the little-endian length of what follows them; a
        # chunk of odd length is padded to even.
        declared = int.from_bytes(data[4:8], "little") + 8
        return len(data) > declared + (declared % 2)
    # ISO BMFF (HEIF, MP4) has no end marker; the signature checks above apply.
    return False


def _refuse(label: str, problem: str) -> None:
    raise MediaRejected("file", f"the {label} file {problem}", UNUSABLE)


_LABELS = {"JPEG": "JPEG", "PNG": "PNG", "WEBP": "WebP", "HEIF": "HEIC", "MP4": "MP4"}
