"""Upload inspection: what is accepted, and each bad input's field, status and message."""

from __future__ import annotations

import io
import zipfile

import pytest
from PIL import Image, ImageFile

from newswire.media import Limits, MediaRejected, inspect_upload
from tests.media_files import encoded, jpeg_claiming, plain_jpeg, press_photo, transparent_png


def refusal(data: bytes, limits: Limits = Limits()) -> MediaRejected:
    """Return the MediaRejected that inspecting the bytes raises."""
    with pytest.raises(MediaRejected) as refused:
        inspect_upload(data, limits)
    assert refused.value.field == "file"
    return refused.value


@pytest.mark.parametrize(
    ("data", "image_format", "content_type"),
    [
        (plain_jpeg((300, 200)), "JPEG", "image/jpeg"),
        (transparent_png((300, 200)), "PNG", "image/png"),
        (encoded(Image.new("RGB", (300, 200), "blue"), "WEBP"), "WEBP", "image/webp"),
        (encoded(Image.new("RGB", (300, 200), "blue"), "HEIF"), "HEIF", "image/heic"),
    ],
    ids=["jpeg", "png", "webp", "heic"],
)
def test_inspect_upload_accepts_each_picture_format(
    data: bytes, image_format: str, content_type: str
) -> None:
    upload = inspect_upload(data)
    assert (upload.kind, upload.format, upload.content_type) == (
        "picture",
        image_format,
        content_type,
    )
    assert (upload.width, upload.height) == (300, 200)
    assert upload.size == len(data)
    assert upload.image.size == (300, 200)


def test_a_large_jpeg_is_decoded_at_reduced_scale_but_keeps_its_true_size() -> None:
    upload = inspect_upload(plain_jpeg((6000, 4000)), longest_needed=2048)
    assert (upload.width, upload.height) == (6000, 4000)
    # libjpeg's 1/2 scale: still at least 2,048 px on the longest side.
    assert upload.image.size == (3000, 2000)


def test_text_is_not_media() -> None:
    refused = refusal(b"Dear editor,\nplease find the pictures attached.\n" * 20)
    assert refused.status == 415
    assert "not a picture or video" in refused.message


def test_svg_is_refused_and_says_why() -> None:
    svg = (
        b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
        b'<script>alert(document.domain)</script><rect width="10" height="10"/></svg>'
    )
    refused = refusal(svg)
    assert refused.status == 415
    assert "SVG" in refused.message and "PNG" in refused.message


def test_a_truncated_jpeg_is_refused_after_decoding_the_whole_stream() -> None:
    whole = press_photo()
    refused = refusal(whole[: len(whole) * 2 // 3])
    assert refused.status == 422
    assert "truncated" in refused.message


def test_a_truncated_large_jpeg_is_refused_in_draft_mode_too() -> None:
    whole = encoded(Image.effect_noise((5000, 3000), 50).convert("RGB"), "JPEG")
    refused = refusal(whole[: len(whole) - 20_000])
    assert "truncated" in refused.message


@pytest.fixture
def decoding_forbidden(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make any attempt to decode pixels fail the test."""

    def load(self: ImageFile.ImageFile) -> None:
        raise AssertionError(f"{self.format} pixels were decoded")

    monkeypatch.setattr(ImageFile.ImageFile, "load", load)


@pytest.mark.usefixtures("decoding_forbidden")
def test_a_header_claiming_gigapixels_is_refused_before_decoding() -> None:
    refused = refusal(jpeg_claiming(60_000, 60_000))
    assert refused.status == 413
    assert "too many pixels" in refused.message


@pytest.mark.usefixtures("decoding_forbidden")
def test_our_own_pixel_check_runs_before_decoding() -> None:
    # 40,000 x 2,000 = 80 MP + 1 row: under Pillow's own threshold, over ours.
    refused = refusal(jpeg_claiming(40_000, 2_001))
    assert refused.status == 413
    assert "40000 x 2001 = 80,040,000 pixels" in refused.message


def test_a_real_png_bomb_is_refused() -> None:
    # 20,000 x 20,000 one-bit pixels: a few kilobytes that decode to 400 MP.
    bomb = encoded(Image.new("1", (20_000, 20_000)), "PNG", optimize=True)
    assert len(bomb) < 200_000
    refused = refusal(bomb)
    assert refused.status == 413
    assert "pixels" in refused.message


def test_the_pixel_limit_is_ours_to_set() -> None:
    refused = refusal(plain_jpeg((2000, 1000)), Limits(max_pixels=1_000_000))
    assert refused.status == 413
    assert "2000 x 1000 = 2,000,000 pixels" in refused.message
    assert "1,000,000" in refused.message


def test_the_byte_limit_is_checked_first() -> None:
    refused = refusal(plain_jpeg((400, 400)), Limits(max_picture_bytes=1000))
    assert refused.status == 413
    assert "at most 1,000" in refused.message


def test_a_pixel_limit_above_pillows_own_is_a_configuration_error() -> None:
    with pytest.raises(ValueError, match="MAX_IMAGE_PIXELS"):
        Limits(max_pixels=10**10)


def test_a_jpeg_that_is_also_a_zip_is_refused() -> None:
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as bundle:
        bundle.writestr("payload.html", "<script>alert(1)</script>")
    polyglot = plain_jpeg((200, 200)) + archive.getvalue()
    # The polyglot really is both: Pillow decodes it and zipfile opens it.
    Image.open(io.BytesIO(polyglot)).load()
    assert zipfile.ZipFile(io.BytesIO(polyglot)).namelist() == ["payload.html"]
    refused = refusal(polyglot)
    assert refused.status == 422
    assert "ZIP" in refused.message and "polyglot" in refused.message


def test_a_jpeg_with_html_in_the_sniffed_bytes_is_refused() -> None:
    polyglot = plain_jpeg((200, 200), comment=b"<html><script>alert(1)</script></html>")
    refused = refusal(polyglot)
    assert "HTML" in refused.message


def test_a_png_with_a_pdf_glued_on_is_refused() -> None:
    polyglot = transparent_png((64, 64)) + b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    refused = refusal(polyglot)
    assert "PDF" in refused.message


@pytest.mark.parametrize(
    "picture",
    [
        plain_jpeg((64, 64)),
        transparent_png((64, 64)),
        encoded(Image.new("RGB", (64, 64)), "WEBP"),
    ],
    ids=["jpeg", "png", "webp"],
)
def test_trailing_data_after_the_image_is_refused(picture: bytes) -> None:
    refused = refusal(picture + b"\x00\x01second file rides along")
    assert refused.status == 422
    assert "after the end of the image" in refused.message


def test_other_picture_formats_are_named_in_the_refusal() -> None:
    refused = refusal(encoded(Image.new("RGB", (32, 32)), "GIF"))
    assert refused.status == 415
    assert "GIF pictures are not accepted" in refused.message


def test_animated_pictures_are_refused() -> None:
    frames = [Image.new("RGB", (32, 32), color) for color in ("red", "blue")]
    animated = encoded(frames[0], "WEBP", save_all=True, append_images=frames[1:])
    refused = refusal(animated)
    assert "animated" in refused.message and "MP4" in refused.message


def test_an_empty_upload_is_refused() -> None:
    assert "empty" in refusal(b"").message
