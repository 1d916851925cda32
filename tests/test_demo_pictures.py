"""The demo loads two drawn pictures, each featured by a public story and shown on its page."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from newswire.app import create_app
from newswire.demo.loader import prepare_demo
from newswire.demo.pictures import PICTURES
from newswire.runtime import Runtime
from newswire.settings import Settings

pytestmark = pytest.mark.anyio


async def test_demo_stories_feature_drawn_pictures_on_the_public_site(tmp_path: Path) -> None:
    settings = Settings.load(environ={}, db=f"sqlite:///{tmp_path / 'demo.db'}")
    await prepare_demo(settings)
    await prepare_demo(settings)  # a second start files nothing twice
    runtime = Runtime.from_settings(settings)
    await runtime.start()
    try:
        entries = await runtime.storage.log.entries_after(0, 100)
        pictures = [entry for entry in entries if entry.media is not None]
        assert len(pictures) == len(PICTURES)
        assert all(p.media and p.media.details.digital_source_type for p in pictures)
        transport = httpx.ASGITransport(app=create_app(runtime))
        async with httpx.AsyncClient(transport=transport, base_url="http://demo.test") as client:
            home = await client.get("/en/")
            assert home.text.count('<figure class="picture">') == len(PICTURES)
            for picture in PICTURES:
                assert f'alt="{picture.alt_text}"' in home.text
    finally:
        await runtime.stop()
