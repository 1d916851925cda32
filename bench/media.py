"""Picture renditions: upload to all renditions of a 24-megapixel JPEG, against Pillow's resize.

The picture is made here: 6,000 x 4,000 px, photo-like (gradients, shapes
and sensor-like noise), JPEG quality 92, with EXIF (GPS included) and XMP.

* newswire: the bytes in memory to every rendition ready to store —
  `inspect_upload` (full-stream verification, polyglot checks),
  `read_metadata`, `make_renditions` (original with rights written, base
  2,048 px, preview 640 px, thumbnail 240 px square, each encoded, rights
  written, private EXIF stripped, sha256 taken).
* baseline: Pillow's own plain resize of the same bytes to the same sizes —
  open, decode at full size, `resize(LANCZOS)` of the full picture to each
  size (the thumbnail as a centred square box), JPEG quality 85. No
  verification, no metadata, no hashing.
* second baseline: the same sizes the fastest way plain Pillow offers:
  one `Image.thumbnail()` to 2,048 px (JPEG draft mode, reducing_gap), the
  smaller sizes from that. The ratio to it is the price of verification,
  metadata and hashing.

Both run in this process, one after the other, `--runs` times; the figure
is the median with min-max. Run alone: `python -m bench.media --runs 3`.
"""

from __future__ import annotations

import io
import time
from typing import Any

from PIL import ExifTags, Image, ImageDraw

from bench.benchmarks import Benchmark, Results
from bench.harness import Figure
from newswire.media import FocusPoint, Rights, inspect_upload, make_renditions, read_metadata

SIZE = (6000, 4000)
SIZES = (2048, 640)
THUMBNAIL = 240

MEDIA = Benchmark(
    "Picture renditions of a 24-megapixel JPEG",
    notes=[
        "newswire: inspect_upload + read_metadata + make_renditions (original with rights,"
        " base 2048, preview 640, thumbnail 240 square; rights written, private EXIF"
        " stripped, sha256 of each), in memory, one process.",
    ],
)
# What the photo desk files with the benchmark's picture: the upload's form fields
# (bench.media_downloads), and the rights make_renditions writes into each rendition.
PICTURE_DETAILS = {
    "creator": "Bench Photographer",
    "credit_line": "Newswire",
    "copyright_notice": "(c) Newswire",
    "usage_terms": "Editorial use only",
    "caption": "A generated 24-megapixel picture for the benchmark.",
    "headline": "Benchmark",
    "alt_text": "Gradients and circles",
}
RIGHTS = Rights(**PICTURE_DETAILS)
XMP = (
    '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
    'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about="" '
    'xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/" photoshop:Credit="Bench" '
    'photoshop:City="Loopback"/></rdf:RDF></x:xmpmeta>'
)


def photo_like_jpeg() -> bytes:
    """Return a 24 MP JPEG that compresses like a photograph, with EXIF and XMP."""
    width, height = SIZE
    gradient = Image.linear_gradient("L").resize(SIZE)
    radial = Image.radial_gradient("L").resize(SIZE)
    image = Image.merge("RGB", (gradient, radial, gradient.transpose(Image.Transpose.ROTATE_180)))
    draw = ImageDraw.Draw(image)
    for n in range(40):
        x, y = (n * 977) % width, (n * 613) % height
        draw.ellipse((x, y, x + 400, y + 300), fill=((n * 37) % 256, (n * 91) % 256, 120))
    noise = Image.effect_noise(SIZE, 24).convert("RGB")
    image = Image.blend(image, noise, 0.12)
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "Bench"
    exif[ExifTags.IFD.Exif] = {ExifTags.Base.DateTimeOriginal: "2024:11:14 12:00:00"}
    exif[ExifTags.IFD.GPSInfo] = {
        ExifTags.GPS.GPSLatitudeRef: "N",
        ExifTags.GPS.GPSLatitude: (52.0, 22.0, 0.0),
    }
    out = io.BytesIO()
    image.save(out, "JPEG", quality=92, exif=exif, xmp=XMP.encode())
    return out.getvalue()


def newswire_renditions(data: bytes) -> float:
    """Return the seconds from bytes to every rendition, the way the API makes them."""
    started = time.perf_counter()
    upload = inspect_upload(data)
    read_metadata(upload.data)
    made = make_renditions(upload, RIGHTS, FocusPoint())
    elapsed = time.perf_counter() - started
    assert [r.name for r in made] == ["original", "base", "preview", "thumbnail"]
    return elapsed


def _square_box(size: tuple[int, int]) -> tuple[int, int, int, int]:
    width, height = size
    side = min(width, height)
    left, top = (width - side) // 2, (height - side) // 2
    return left, top, left + side, top + side


def plain_resize(data: bytes) -> float:
    """Return the seconds Pillow takes to decode and resize the full picture to each size."""
    started = time.perf_counter()
    image = Image.open(io.BytesIO(data))
    image.load()
    for longest in SIZES:
        scale = longest / max(image.size)
        size = (round(image.width * scale), round(image.height * scale))
        _jpeg(image.resize(size, Image.Resampling.LANCZOS))
    box = _square_box(image.size)
    _jpeg(image.resize((THUMBNAIL, THUMBNAIL), Image.Resampling.LANCZOS, box=box))
    return time.perf_counter() - started


def pillow_thumbnail(data: bytes) -> float:
    """Return the seconds Pillow's `thumbnail()` takes: decode once in draft mode, then shrink."""
    started = time.perf_counter()
    image = Image.open(io.BytesIO(data))
    image.thumbnail((SIZES[0], SIZES[0]))  # draft-mode decode + reducing_gap
    _jpeg(image)
    preview = image.copy()
    preview.thumbnail((SIZES[1], SIZES[1]))
    _jpeg(preview)
    box = _square_box(image.size)
    _jpeg(image.resize((THUMBNAIL, THUMBNAIL), Image.Resampling.LANCZOS, box=box))
    return time.perf_counter() - started


def _jpeg(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return out.getvalue()


async def _main(options: Any) -> Results:
    data = photo_like_jpeg()
    print(f"  {SIZE[0]} x {SIZE[1]} JPEG, {len(data):,} bytes, {options.runs} runs", flush=True)
    versus_resize = Figure(
        "upload to all renditions vs Pillow resize", "s", target=("<=", 1.5),
        note="baseline: Image.open + load + resize(LANCZOS) of the full picture to each size",
    )  # fmt: skip
    versus_thumbnail = Figure(
        "upload to all renditions vs Pillow thumbnail()", "s",
        note="baseline: one Image.thumbnail() to 2048 px (draft + reducing_gap), smaller from it",
    )  # fmt: skip
    newswire_renditions(data)  # warm up: imports, codec tables
    for _ in range(options.runs):
        ours = newswire_renditions(data)
        versus_resize.add(ours, plain_resize(data))
        versus_thumbnail.add(ours, pillow_thumbnail(data))
    return Results(
        [versus_resize, versus_thumbnail], {"picture": f"{SIZE[0]}x{SIZE[1]}", "bytes": len(data)}
    )


def main(argv: list[str] | None = None) -> int:
    """Run the renditions benchmark (see the module's docstring); options: --help."""
    return MEDIA.main(_main, argv)


if __name__ == "__main__":
    raise SystemExit(main())
