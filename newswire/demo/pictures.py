"""Demo pictures, drawn with Pillow when the demo is loaded (nothing is downloaded).

Each is an abstract illustration with its IPTC fields filed as an editor would
(caption, alt text, credit, rights, digital source type "digitalCreation":
they are drawn by a program, and say so), and featured by one public story.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from PIL import Image, ImageDraw

from newswire.media.library import MediaForm, MediaLibrary
from newswire.media.renditions import FocusPoint

SIZE = (1600, 1067)


@dataclass(frozen=True)
class DemoPicture:
    """A drawn picture and the demo story (by its index in stories.json) that features it."""

    story: int
    sky: tuple[int, int, int]
    ground: tuple[int, int, int]
    headline: str
    caption: str
    alt_text: str


PICTURES = (
    DemoPicture(
        0,
        (92, 112, 140),
        (120, 96, 72),
        "Velinora valley after the earthquake",
        "An illustration of the mountain valley of Velinora, where a magnitude 6.8 "
        "earthquake struck before dawn.",
        "Drawn mountains over a brown valley under a grey-blue sky",
    ),
    DemoPicture(
        3,
        (70, 130, 200),
        (40, 140, 70),
        "Cup final at the national stadium",
        "An illustration of a football pitch under floodlights on the night of the cup final.",
        "A green pitch with white lines under a blue evening sky",
    ),
)


def drawn(picture: DemoPicture) -> bytes:
    """Return the picture as a JPEG: a sky, hills and a ground, in its colours."""
    width, height = SIZE
    image = Image.new("RGB", SIZE, picture.sky)
    draw = ImageDraw.Draw(image)
    horizon = height * 3 // 5
    for n in range(6):
        left = n * width // 5 - width // 10
        shade = tuple(max(0, c - 20 * (n % 3)) for c in picture.ground)
        draw.polygon(
            [(left, horizon), (left + width // 4, horizon - height // 4 - 40 * n),
             (left + width // 2, horizon)],
            fill=shade,
        )  # fmt: skip
    draw.rectangle((0, horizon, width, height), fill=picture.ground)
    draw.ellipse((width * 3 // 4, height // 10, width * 3 // 4 + 180, height // 10 + 180),
                 fill=(240, 230, 200))  # fmt: skip
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return out.getvalue()


async def file_demo_pictures(library: MediaLibrary, site_name: str) -> dict[int, str]:
    """File the demo pictures; return the media id each demo story (by index) features."""
    featured = {}
    for picture in PICTURES:
        form = MediaForm(
            details={
                "headline": picture.headline,
                "caption": picture.caption,
                "alt_text": picture.alt_text,
                "creator": f"{site_name} graphics desk",
                "credit_line": f"{site_name} (illustration)",
                "copyright_notice": f"(c) {site_name}",
                "copyright_holder": site_name,
                "usage_terms": "Demo content: editorial use only",
                "digital_source_type": "digitalCreation",
            },
            focus=FocusPoint(0.5, 0.45),
        )
        filed = await library.file(drawn(picture), form)
        featured[picture.story] = filed.media.media_id
    return featured
