"""Video: a real MP4 encoded with PyAV is verified and probed; fakes and damage are refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from newswire.media import Limits, MediaRejected, Rights, inspect_upload, make_renditions
from newswire.media.video import inspect_video
from tests.media_files import RED, mp4_video


def refusal(data: bytes, limits: Limits = Limits()) -> MediaRejected:
    """Return the MediaRejected that inspecting the bytes raises."""
    with pytest.raises(MediaRejected) as refused:
        inspect_upload(data, limits)
    assert refused.value.field == "file"
    return refused.value


@pytest.fixture(scope="module")
def mp4(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    return mp4_video(tmp_path_factory.mktemp("video") / "clip.mp4")


def test_an_mp4_is_verified_and_probed(mp4: bytes) -> None:
    upload = inspect_upload(mp4)
    assert (upload.kind, upload.format, upload.content_type) == ("video", "MP4", "video/mp4")
    assert upload.video is not None
    assert upload.video.duration == pytest.approx(2.0, abs=0.05)  # 50 frames at 25 fps
    assert (upload.video.width, upload.video.height) == (320, 240)
    assert upload.video.video_codec == "h264"
    assert upload.video.audio_codec == "aac"
    assert upload.video.frame_rate == pytest.approx(25.0)
    # The poster is the first frame, as filmed: red block top-left.
    poster = upload.image.convert("RGB")
    assert poster.size == (320, 240)
    red = poster.getpixel((10, 10))
    assert isinstance(red, tuple) and red[0] > 180 and red[1] < 80


def test_a_video_gets_the_mp4_and_poster_renditions(mp4: bytes) -> None:
    made = {r.name: r for r in make_renditions(inspect_upload(mp4), Rights(credit_line="ACME"))}
    assert list(made) == ["original", "poster", "preview", "thumbnail"]
    original = made["original"]
    assert original.data == mp4  # kept as filed: no transcoding
    assert original.content_type == "video/mp4"
    assert original.duration == pytest.approx(2.0, abs=0.05)
    assert (original.width, original.height) == (320, 240)
    assert made["poster"].content_type == "image/jpeg"
    assert (made["poster"].width, made["poster"].height) == (320, 240)
    assert (made["thumbnail"].width, made["thumbnail"].height) == (240, 240)


def test_a_video_without_audio_has_no_audio_codec(tmp_path: Path) -> None:
    upload = inspect_upload(mp4_video(tmp_path / "silent.mp4", audio=False, frames=10))
    assert upload.video is not None and upload.video.audio_codec is None


def test_a_portrait_phone_video_gets_an_upright_poster(tmp_path: Path) -> None:
    # Filmed 320 x 240 with a display matrix turning it a quarter: shown 240 x 320.
    upload = inspect_upload(mp4_video(tmp_path / "phone.mp4", rotation=90, frames=5))
    assert upload.image.size == (240, 320)
    assert (upload.width, upload.height) == (240, 320)
    # A quarter turn counterclockwise takes the top-left block to the bottom-left.
    poster = upload.image.convert("RGB")
    bottom_left = poster.getpixel((10, 310))
    assert isinstance(bottom_left, tuple) and abs(bottom_left[0] - RED[0]) < 50


def test_a_truncated_mp4_is_refused(mp4: bytes) -> None:
    refused = refusal(mp4[: len(mp4) * 2 // 3])
    assert refused.status == 422
    assert "truncated" in refused.message


def test_an_mp4_header_over_garbage_is_refused(mp4: bytes) -> None:
    refused = refusal(mp4[:32] + b"\x00garbage" * 500)
    assert refused.status == 422
    assert "MP4" in refused.message


def test_text_posing_as_mp4_is_not_media() -> None:
    refused = refusal(b"This is not a video, despite its name clip.mp4\n" * 10)
    assert refused.status == 415


def test_an_audio_only_mp4_is_refused(tmp_path: Path) -> None:
    refused = refusal(mp4_video(tmp_path / "sound.m4a", video=False))
    assert "no video track" in refused.message


def test_a_quicktime_movie_is_refused(tmp_path: Path) -> None:
    refused = refusal(mp4_video(tmp_path / "clip.mov", container="mov", audio=False, frames=5))
    assert refused.status == 415
    assert "QuickTime" in refused.message


def test_the_video_byte_limit_applies(mp4: bytes) -> None:
    refused = refusal(mp4, Limits(max_video_bytes=len(mp4) - 1))
    assert refused.status == 413


def test_oversized_frames_are_refused_before_decoding(mp4: bytes) -> None:
    with pytest.raises(MediaRejected) as refused:
        inspect_video(mp4, Limits(max_pixels=320 * 240 - 1))
    assert refused.value.status == 413
    assert "320 x 240" in refused.value.message
