"""Real media files for the media tests, made on the spot with Pillow, pyexiv2 and PyAV.

The photo fixture carries what a press camera and a photo desk embed: EXIF
(orientation, date, GPS, serial numbers, owner, a maker note), XMP (the IPTC
Core and Extension fields) and IPTC IIM (legacy fields, some disagreeing with
the XMP on purpose, one that only IIM has).
"""

from __future__ import annotations

import io
import math
from array import array
from pathlib import Path

import av
import pyexiv2
from PIL import ExifTags, Image

from newswire.media import Rights

RED = (220, 20, 20)
GREEN = (20, 200, 20)
GREY = (128, 128, 128)
DST_AI = "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia"
# What the photo desk writes into renditions: every field, non-ASCII in the notice.
DESK_RIGHTS = Rights(
    creator="Jan Jansen",
    credit_line="Newswire / Example Press",
    copyright_notice="© 2024 Example Press, all rights reserved",
    copyright_holder="Example Press B.V.",
    usage_terms="Editorial use only. No sales.",
    caption="Cranes unload the Ever Given in Rotterdam on Thursday.",
    headline="Rotterdam harbour",
    alt_text="Three red cranes over a container ship at dawn",
    digital_source_type=DST_AI,
)

# Hand-written on purpose: an XMP packet as Photoshop / Photo Mechanic write it,
# so the reader is tested against the RDF forms the field uses (Alt, Seq, Bag,
# attributes, a structure).
XMP_PACKET = """<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about=""
    xmlns:dc="http://purl.org/dc/elements/1.1/"
    xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/"
    xmlns:xmpRights="http://ns.adobe.com/xap/1.0/rights/"
    xmlns:Iptc4xmpCore="http://iptc.org/std/Iptc4xmpCore/1.0/xmlns/"
    xmlns:Iptc4xmpExt="http://iptc.org/std/Iptc4xmpExt/2008-02-29/"
    xmlns:plus="http://ns.useplus.org/ldf/xmp/1.0/"
    xmlns:exif="http://ns.adobe.com/exif/1.0/"
    xmlns:xmpMM="http://ns.adobe.com/xap/1.0/mm/"
    photoshop:Headline="Harbour cranes at dawn"
    photoshop:Credit="Example Press"
    photoshop:City="Rotterdam"
    photoshop:State="South Holland"
    photoshop:Country="Netherlands"
    photoshop:DateCreated="2024-11-14T07:45:00+01:00"
    Iptc4xmpCore:CountryCode="NL"
    Iptc4xmpExt:DigitalSourceType="http://cv.iptc.org/newscodes/digitalsourcetype/digitalCapture"
    exif:GPSLatitude="51,55.2N"
    exif:GPSLongitude="4,28.8E"
    xmpMM:DocumentID="xmp.did:private-workstation-path">
   <dc:description><rdf:Alt><rdf:li xml:lang="x-default">Cranes unload a container ship \
in the port of Rotterdam.</rdf:li></rdf:Alt></dc:description>
   <dc:creator><rdf:Seq><rdf:li>Anna de Vries</rdf:li></rdf:Seq></dc:creator>
   <dc:rights><rdf:Alt><rdf:li xml:lang="x-default">(c) 2024 Example Press</rdf:li>\
</rdf:Alt></dc:rights>
   <dc:subject><rdf:Bag><rdf:li>port</rdf:li><rdf:li>shipping</rdf:li>\
<rdf:li>economy</rdf:li></rdf:Bag></dc:subject>
   <xmpRights:UsageTerms><rdf:Alt><rdf:li xml:lang="x-default">Editorial use only</rdf:li>\
</rdf:Alt></xmpRights:UsageTerms>
   <Iptc4xmpExt:AltTextAccessibility><rdf:Alt><rdf:li xml:lang="x-default">Three red cranes \
over a container ship</rdf:li></rdf:Alt></Iptc4xmpExt:AltTextAccessibility>
   <plus:CopyrightOwner><rdf:Seq><rdf:li rdf:parseType="Resource">\
<plus:CopyrightOwnerName>Example Press B.V.</plus:CopyrightOwnerName></rdf:li></rdf:Seq>\
</plus:CopyrightOwner>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>"""

# IIM as a legacy tool wrote it: its caption and city disagree with the XMP
# (XMP must win), its subject code is the only one in the file (IIM fills in).
IIM_FIELDS = {
    "Iptc.Envelope.CharacterSet": "\x1b%G",
    "Iptc.Application2.Caption": "Old IIM caption",
    "Iptc.Application2.City": "Old IIM city",
    "Iptc.Application2.Byline": ["Anna de Vries"],
    "Iptc.Application2.Subject": ["IPTC:04000000:economy, business and finance::"],
}


def press_photo(size: tuple[int, int] = (1200, 800), quality: int = 90) -> bytes:
    """Return a JPEG with EXIF (orientation 6, GPS, serials, maker note), XMP and IIM.

    Stored landscape with a red block in the top-left corner; orientation 6
    means "turn a quarter clockwise to show it", so shown it is portrait with
    the red block in the top-right corner.
    """
    width, height = size
    image = Image.new("RGB", size, GREY)
    image.paste(RED, (0, 0, width // 4, height // 4))
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6
    exif[ExifTags.Base.Make] = "Acme"
    exif[ExifTags.Base.Model] = "Newsroom 1"
    exif[ExifTags.IFD.Exif] = {
        ExifTags.Base.DateTimeOriginal: "2024:11:14 07:45:00",
        ExifTags.Base.OffsetTimeOriginal: "+01:00",
        ExifTags.Base.BodySerialNumber: "SN-123456789",
        ExifTags.Base.CameraOwnerName: "Anna de Vries private",
        ExifTags.Base.LensSerialNumber: "LENS-42",
        ExifTags.Base.MakerNote: b"ACME\x00private maker note with serial SN-123456789",
    }
    exif[ExifTags.IFD.GPSInfo] = {
        ExifTags.GPS.GPSLatitudeRef: "N",
        ExifTags.GPS.GPSLatitude: (51.0, 55.0, 12.0),
        ExifTags.GPS.GPSLongitudeRef: "E",
        ExifTags.GPS.GPSLongitude: (4.0, 28.0, 48.0),
    }
    out = io.BytesIO()
    image.save(out, "JPEG", quality=quality, exif=exif, xmp=XMP_PACKET.encode())
    with pyexiv2.ImageData(out.getvalue()) as metadata:
        metadata.modify_iptc(IIM_FIELDS)
        return bytes(metadata.get_bytes())


def plain_jpeg(size: tuple[int, int], color: tuple[int, int, int] = GREY, **save: object) -> bytes:
    """Return a JPEG of one colour without metadata."""
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, "JPEG", **save)
    return out.getvalue()


def encoded(image: Image.Image, image_format: str, **save: object) -> bytes:
    """Return the picture encoded in the format."""
    out = io.BytesIO()
    image.save(out, image_format, **save)
    return out.getvalue()


def transparent_png(size: tuple[int, int] = (800, 600)) -> bytes:
    """Return a PNG whose alpha channel is used: a green disc on transparency."""
    image = Image.new("RGBA", size, (0, 0, 0, 0))
    disc = Image.new("RGBA", (size[1] // 2, size[1] // 2), (*GREEN, 255))
    image.paste(disc, (size[0] // 4, size[1] // 4))
    return encoded(image, "PNG")


def dot_picture(size: tuple[int, int], at: tuple[float, float]) -> Image.Image:
    """Return a grey picture with a green dot at the given fractions of width and height."""
    image = Image.new("RGB", size, GREY)
    x, y = round(at[0] * size[0]), round(at[1] * size[1])
    radius = min(size) // 20
    image.paste(GREEN, (x - radius, y - radius, x + radius, y + radius))
    return image


def jpeg_claiming(width: int, height: int) -> bytes:
    """Return a tiny JPEG whose frame header claims width x height (a decompression bomb)."""
    data = bytearray(plain_jpeg((8, 8)))
    sof = data.index(b"\xff\xc0")  # baseline frame header: length, precision, height, width
    data[sof + 5 : sof + 7] = height.to_bytes(2, "big")
    data[sof + 7 : sof + 9] = width.to_bytes(2, "big")
    return bytes(data)


def mp4_video(
    path: Path,
    size: tuple[int, int] = (320, 240),
    frames: int = 50,
    audio: bool = True,
    container: str = "mp4",
    rotation: int = 0,
    video: bool = True,
) -> bytes:
    """Encode a real video (H.264, AAC) with PyAV, index at the front, and return its bytes."""
    rate = 25
    with av.open(str(path), "w", format=container, options={"movflags": "faststart"}) as out:
        if video:
            stream = out.add_stream("libx264", rate=rate)
            stream.width, stream.height, stream.pix_fmt = size[0], size[1], "yuv420p"
            if rotation:
                stream.set_display_rotation(rotation)
        if audio:
            sound = out.add_stream("aac", rate=44100, layout="mono")
        if video:
            for number in range(frames):
                picture = Image.new("RGB", size, GREY)
                picture.paste(RED, (0, 0, size[0] // 4, size[1] // 4))
                x = number * 4 % (size[0] - 8)
                picture.paste(GREEN, (x, size[1] // 2, x + 8, size[1] // 2 + 8))
                for packet in stream.encode(av.VideoFrame.from_image(picture)):  # type: ignore[no-untyped-call]
                    out.mux(packet)
            for packet in stream.encode():
                out.mux(packet)
        if audio:
            samples = 1024
            for block in range(frames * 44100 // rate // samples):
                start = block * samples
                wave = array(
                    "f",
                    (
                        0.2 * math.sin(2 * math.pi * 440 * (start + n) / 44100)
                        for n in range(samples)
                    ),
                )
                frame = av.AudioFrame(format="flt", layout="mono", samples=samples)
                frame.planes[0].update(wave.tobytes())
                frame.sample_rate, frame.pts = 44100, start
                for packet in sound.encode(frame):
                    out.mux(packet)
            for packet in sound.encode():
                out.mux(packet)
    return path.read_bytes()
