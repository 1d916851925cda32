"""MP4 video through PyAV (FFmpeg's libraries, shipped in the `av` wheel): verify, probe, poster.

No transcoding: the MP4 is kept as filed. What newswire needs from it is
proof that it is an MP4 (an ISO base media file with an MP4 brand, a video
track, every packet present), its duration, picture size and codecs, and a
poster frame that gets picture renditions like any photo.
"""

from __future__ import annotations

import hashlib
import io
from collections import Counter
from fractions import Fraction

import av
import av.error
from PIL import Image

from newswire.media.errors import TOO_LARGE, UNSUPPORTED, UNUSABLE, MediaRejected
from newswire.media.limits import MP4, Limits, Upload, VideoInfo
from newswire.media.signatures import refuse_polyglot

# ISO/IEC 14496-12 and -14 brands: files a player opens as MP4. QuickTime
# (`qt  `) is a different, older container with the same box syntax.
MP4_BRANDS = frozenset(
    {"isom", "iso2", "iso3", "iso4", "iso5", "iso6", "iso7", "iso8", "iso9", "mp41", "mp42",
     "avc1", "dash", "msnv", "M4V ", "M4VH", "M4VP", "f4v ", "mmp4"}
)  # fmt: skip


def inspect_video(data: bytes, limits: Limits = Limits(), poster_at: float = 0.0) -> Upload:
    """Return the verified MP4 with its poster frame, or raise MediaRejected saying why."""
    if len(data) > limits.max_video_bytes:
        raise MediaRejected(
            "file",
            f"the video is {len(data):,} bytes; at most {limits.max_video_bytes:,} are accepted",
            TOO_LARGE,
        )
    refuse_polyglot(data, "MP4")
    try:
        container = av.open(io.BytesIO(data), format="mp4")
    except av.error.FFmpegError as error:
        raise MediaRejected(
            "file", f"the file is not a readable MP4 video ({_reason(error)})", UNUSABLE
        ) from error
    assert isinstance(container, av.container.InputContainer)
    with container:
        _refuse_other_brands(container.metadata)
        if not container.streams.video:
            raise MediaRejected("file", "the MP4 has no video track", UNUSABLE)
        stream = container.streams.video[0]
        width, height = stream.codec_context.width, stream.codec_context.height
        if width * height > limits.max_pixels:
            raise MediaRejected(
                "file",
                f"the video's frames are {width} x {height} = {width * height:,} pixels; at most "
                f"{limits.max_pixels:,} are accepted",
                TOO_LARGE,
            )
        duration = _duration(container, stream)
        if duration <= 0:
            raise MediaRejected("file", "the MP4 has no duration (no frames)", UNUSABLE)
        _check_every_packet(container)
        poster, rotation = _poster(container, stream, poster_at)
        audio = container.streams.audio[0].codec_context.name if container.streams.audio else None
        info = VideoInfo(
            duration=round(duration, 3),
            width=poster.width,
            height=poster.height,
            video_codec=stream.codec_context.name,
            audio_codec=audio,
            frame_rate=float(stream.average_rate) if stream.average_rate else None,
        )
    content_type, extension = MP4
    return Upload(
        kind="video",
        format="MP4",
        content_type=content_type,
        extension=extension,
        width=poster.width,
        height=poster.height,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        data=data,
        image=poster,
        video=info,
    )


def _reason(error: av.error.FFmpegError) -> str:
    return str(error.strerror or error).rstrip(".")


def _refuse_other_brands(metadata: dict[str, str]) -> None:
    major = metadata.get("major_brand", "")
    compatible = metadata.get("compatible_brands", "")
    brands = {major} | {compatible[i : i + 4] for i in range(0, len(compatible), 4)}
    if brands & MP4_BRANDS:
        return
    if major == "qt  ":
        raise MediaRejected(
            "file",
            "the file is a QuickTime movie (.mov), not an MP4; export it as MP4",
            UNSUPPORTED,
        )
    raise MediaRejected(
        "file", f"the file is an ISO media file of brand {major!r}, not an MP4 video", UNSUPPORTED
    )


def _duration(container: av.container.InputContainer, stream: av.VideoStream) -> float:
    if stream.duration is not None and stream.time_base is not None:
        return float(stream.duration * stream.time_base)
    if container.duration is not None:
        return float(Fraction(container.duration, av.time_base))
    return 0.0


def _check_every_packet(container: av.container.InputContainer) -> None:
    """Read every packet (no decoding) and compare with the counts the index promises."""
    counts: Counter[int] = Counter()
    try:
        for packet in container.demux():
            if packet.size:
                counts[packet.stream.index] += 1
    except av.error.FFmpegError as error:
        raise MediaRejected("file", f"the MP4 is damaged: {_reason(error)}", UNUSABLE) from error
    for stream in container.streams:
        # `frames` comes from the sample table of the index (0 when unknown,
        # as in fragmented MP4): a file cut short has fewer packets than that.
        if stream.frames and counts[stream.index] < stream.frames:
            raise MediaRejected(
                "file",
                f"the MP4 is truncated: its {stream.type} track lists {stream.frames} frames but "
                f"only {counts[stream.index]} are in the file",
                UNUSABLE,
            )


def _poster(
    container: av.container.InputContainer, stream: av.VideoStream, at: float
) -> tuple[Image.Image, int]:
    """Return the first frame at or after `at` seconds, turned the way the player shows it."""
    container.seek(0)
    try:
        for frame in container.decode(stream):
            if frame.time is None or frame.time >= at:
                rotation = round(frame.rotation or 0)
                picture: Image.Image = frame.to_image()  # type: ignore[no-untyped-call]
                # The display matrix turns the frame counterclockwise by
                # `rotation` degrees (phones film portrait this way); so does
                # Pillow's rotate.
                if rotation % 360:
                    picture = picture.rotate(rotation, expand=True)
                return picture, rotation
    except av.error.FFmpegError as error:
        raise MediaRejected(
            "file", f"the MP4's video cannot be decoded: {_reason(error)}", UNUSABLE
        ) from error
    raise MediaRejected("file", "the MP4's video track has no decodable frame", UNUSABLE)
