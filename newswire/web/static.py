"""Static files for people-facing pages, and the URLs of the vendored front-end packages.

Vendored packages live in `static/vendor/<package>-<version>/` (written by
`scripts/vendor_assets.py`). The version in the path makes each URL name one
immutable file, so browsers and CDNs may keep it for a year; our own files
keep their names across releases, so they are revalidated on every use.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path

from starlette.responses import Response
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

STATIC_PREFIX = "/static"
STATIC_ROOT = Path(str(resources.files("newswire.web").joinpath("static")))
VENDOR_ROOT = STATIC_ROOT / "vendor"
IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"


class CachedStaticFiles(StaticFiles):
    """StaticFiles that says how long a copy may be kept: a year for versioned vendor paths."""

    async def get_response(self, path: str, scope: Scope) -> Response:
        """Answer as StaticFiles does, with a Cache-Control chosen by the path."""
        response = await super().get_response(path, scope)
        if response.status_code in (200, 304):
            versioned = Path(path).parts[:1] == ("vendor",)
            response.headers["Cache-Control"] = IMMUTABLE if versioned else REVALIDATE
        return response


def static_files() -> CachedStaticFiles:
    """Return the ASGI app serving newswire/web/static, to mount at STATIC_PREFIX."""
    return CachedStaticFiles(directory=STATIC_ROOT)


@cache
def vendored_folder(package: str) -> str:
    """Return the one vendored folder of an npm package (`<package>-<version>`), or fail."""
    folders = [
        entry.name
        for entry in VENDOR_ROOT.iterdir()
        if entry.is_dir()
        and entry.name.startswith(f"{package}-")
        and entry.name[len(package) + 1 :][:1].isdigit()
    ]
    if len(folders) != 1:
        raise LookupError(
            f"expected one vendored {package} in {VENDOR_ROOT}, found {folders}:"
            " run scripts/vendor_assets.py"
        )
    return folders[0]


def vendor_url(package: str, file: str) -> str:
    """Return the URL of a file of a vendored npm package, e.g. ('htmx.org', 'htmx.min.js')."""
    folder = vendored_folder(package)
    if not (VENDOR_ROOT / folder / file).is_file():
        raise LookupError(f"{file} is not vendored in {folder}")
    return f"{STATIC_PREFIX}/vendor/{folder}/{file}"


def static_url(file: str) -> str:
    """Return the URL of one of our own static files, e.g. 'docs/swagger-init.js'."""
    if not (STATIC_ROOT / file).is_file():
        raise LookupError(f"{file} is not in {STATIC_ROOT}")
    return f"{STATIC_PREFIX}/{file}"
