"""Renditions: sizes, orientation, crops, formats, rights written in, private data out."""

from __future__ import annotations

import hashlib
import io

import pyexiv2
import pytest
from PIL import ExifTags, Image

from newswire.media import (
    FocusPoint,
    MediaRejected,
    Rendition,
    inspect_upload,
    make_renditions,
    read_metadata,
)
from tests.media_files import (
    DESK_RIGHTS,
    DST_AI,
    GREEN,
    RED,
    dot_picture,
    encoded,
    plain_jpeg,
    press_photo,
    transparent_png,
)


def renditions_of(data: bytes, focus: FocusPoint = FocusPoint()) -> dict[str, Rendition]:
    """Return the renditions of an upload by name."""
    return {r.name: r for r in make_renditions(inspect_upload(data), DESK_RIGHTS, focus)}


def opened(rendition: Rendition) -> Image.Image:
    """Return the rendition decoded by Pillow."""
    image = Image.open(io.BytesIO(rendition.data))
    image.load()
    return image


def near(pixel: object, color: tuple[int, int, int], tolerance: int = 40) -> bool:
    """Return whether an RGB pixel is within `tolerance` of the colour on every channel."""
    assert isinstance(pixel, tuple)
    return all(abs(a - b) <= tolerance for a, b in zip(pixel[:3], color, strict=True))


def test_a_large_photo_gets_base_preview_and_thumbnail_sizes() -> None:
    made = renditions_of(plain_jpeg((3000, 2000)))
    assert list(made) == ["original", "base", "preview", "thumbnail"]
    assert (made["original"].width, made["original"].height) == (3000, 2000)
    assert (made["base"].width, made["base"].height) == (2048, 1365)
    assert (made["preview"].width, made["preview"].height) == (640, 427)
    assert (made["thumbnail"].width, made["thumbnail"].height) == (240, 240)
    for rendition in made.values():
        # What is recorded is what is in the file.
        assert opened(rendition).size == (rendition.width, rendition.height)
        assert rendition.size == len(rendition.data)
        assert rendition.sha256 == hashlib.sha256(rendition.data).hexdigest()
        assert rendition.content_type == "image/jpeg"
        assert opened(rendition).format == "JPEG"


def test_renditions_never_upscale() -> None:
    made = renditions_of(plain_jpeg((500, 300)))
    assert (made["base"].width, made["base"].height) == (500, 300)
    assert (made["preview"].width, made["preview"].height) == (500, 300)
    assert (made["thumbnail"].width, made["thumbnail"].height) == (240, 240)
    tiny = renditions_of(plain_jpeg((100, 60)))
    assert (tiny["thumbnail"].width, tiny["thumbnail"].height) == (60, 60)


def test_exif_orientation_is_applied_to_every_derived_rendition() -> None:
    made = renditions_of(press_photo((1200, 800)))
    # Stored 1200 x 800 with orientation 6: shown 800 x 1200, and so recorded.
    assert (made["original"].width, made["original"].height) == (800, 1200)
    for name in ("base", "preview"):
        image = opened(made[name]).convert("RGB")
        assert image.width < image.height, name
        # The stored top-left red block is shown top-right after a quarter turn clockwise.
        assert near(image.getpixel((image.width - 5, 5)), RED), name
        assert not near(image.getpixel((5, 5)), RED), name
        # The orientation is in the pixels now, so no tag may turn them again.
        assert opened(made[name]).getexif().get(ExifTags.Base.Orientation, 1) == 1, name


def test_the_thumbnail_is_cropped_around_the_point_of_interest() -> None:
    data = encoded(dot_picture((1500, 500), (0.75, 0.5)), "JPEG")
    around = opened(renditions_of(data, FocusPoint(0.75, 0.5))["thumbnail"]).convert("RGB")
    assert around.size == (240, 240)
    assert near(around.getpixel((120, 120)), GREEN)
    # Near an edge the square stops at the edge: the point is off-centre but inside.
    edge = opened(renditions_of(data, FocusPoint(1.0, 0.5))["thumbnail"]).convert("RGB")
    assert near(edge.getpixel((round(240 * 0.25), 120)), GREEN)
    centred = opened(renditions_of(data)["thumbnail"]).convert("RGB")
    assert not any(
        near(centred.getpixel((x, y)), GREEN) for x in range(0, 240, 10) for y in range(0, 240, 10)
    )


def test_a_point_of_interest_outside_the_picture_is_refused() -> None:
    with pytest.raises(MediaRejected) as refused:
        FocusPoint(1.5, 0.5)
    assert refused.value.field == "focus"
    assert "from 0 to 1" in refused.value.message


def test_rights_are_written_into_every_delivered_jpeg() -> None:
    made = renditions_of(press_photo())
    for rendition in made.values():
        found = read_metadata(rendition.data)
        assert found.caption == DESK_RIGHTS.caption, rendition.name
        assert found.credit_line == DESK_RIGHTS.credit_line, rendition.name
        assert found.creator == DESK_RIGHTS.creator, rendition.name
        assert found.copyright_notice == DESK_RIGHTS.copyright_notice, rendition.name
        assert found.copyright_holder == DESK_RIGHTS.copyright_holder, rendition.name
        assert found.usage_terms == DESK_RIGHTS.usage_terms, rendition.name
        assert found.alt_text == DESK_RIGHTS.alt_text, rendition.name
        assert found.digital_source_type == DST_AI, rendition.name


def test_gps_and_private_exif_are_absent_from_derived_renditions_and_kept_in_the_original() -> None:
    made = renditions_of(press_photo())
    assert {name for name, r in made.items() if r.public} == {"preview", "thumbnail"}
    with pyexiv2.ImageData(made["original"].data) as image:
        assert "Exif.GPSInfo.GPSLatitude" in image.read_exif()  # the photographer's record
    for name in ("base", "preview", "thumbnail"):
        data = made[name].data
        with pyexiv2.ImageData(data) as image:
            exif, xmp = image.read_exif(), image.read_xmp()
        assert not [key for key in exif if "GPS" in key], name
        assert not [key for key in xmp if "GPS" in key], name
        assert "Exif.Photo.BodySerialNumber" not in exif, name
        assert "Exif.Photo.CameraOwnerName" not in exif, name
        assert "Exif.Photo.MakerNote" not in exif, name
        assert b"SN-123456789" not in data, name
        assert not opened(made[name]).getexif().get_ifd(ExifTags.IFD.GPSInfo), name
        # The camera date survives: it is not private, and archives sort by it.
        assert exif.get("Exif.Photo.DateTimeOriginal") == "2024:11:14 07:45:00", name


def test_the_original_keeps_its_pixels_byte_for_byte() -> None:
    data = press_photo()
    original = renditions_of(data)["original"]
    assert opened(original).tobytes() == Image.open(io.BytesIO(data)).tobytes()
    png = transparent_png((300, 200))
    assert renditions_of(png)["original"].data == png  # PNG originals are kept as filed


def test_a_picture_with_alpha_gets_webp_renditions_that_keep_it() -> None:
    made = renditions_of(transparent_png((800, 600)))
    for name in ("base", "preview", "thumbnail"):
        assert made[name].content_type == "image/webp", name
        image = opened(made[name])
        assert image.format == "WEBP" and image.mode == "RGBA", name
        assert image.getpixel((0, 0))[3] == 0, name  # type: ignore[index]
        assert read_metadata(made[name].data).credit_line == DESK_RIGHTS.credit_line, name


def test_an_alpha_channel_that_is_opaque_everywhere_gives_jpeg() -> None:
    opaque = encoded(Image.new("RGBA", (300, 200), (10, 20, 30, 255)), "PNG")
    assert renditions_of(opaque)["preview"].content_type == "image/jpeg"


def test_heic_and_webp_uploads_get_jpeg_renditions() -> None:
    heic = renditions_of(encoded(Image.new("RGB", (900, 600), "blue"), "HEIF"))
    assert heic["original"].content_type == "image/heic"
    assert heic["preview"].content_type == "image/jpeg"
    assert (heic["preview"].width, heic["preview"].height) == (640, 427)
    webp = renditions_of(encoded(Image.new("RGB", (900, 600), "blue"), "WEBP"))
    assert webp["original"].content_type == "image/webp"
    assert read_metadata(webp["original"].data).caption == DESK_RIGHTS.caption
    assert webp["thumbnail"].content_type == "image/jpeg"
