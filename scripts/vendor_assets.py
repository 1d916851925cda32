"""Vendor the pinned front-end packages from the npm registry, reproducibly.

Run from the repository root: .venv/bin/python scripts/vendor_assets.py [--check]

Each pin names an npm package, its exact version and the sha512 of its tarball
(npm's `dist.integrity`). The script asks the registry for that version, refuses
a tarball whose integrity differs from the registry's or from the pin, and
writes only the files we serve, with their licences, to
`<target>/<package>-<version>/`, replacing any other vendored version of the
package. `--check` writes nothing: it says whether the committed files are
byte for byte what the pinned tarballs hold. Nothing is fetched at run time:
the app serves the committed copies.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import io
import shutil
import sys
import tarfile
from dataclasses import dataclass
from pathlib import Path

import httpx

REGISTRY = "https://registry.npmjs.org"
ROOT = Path(__file__).resolve().parents[1]
SERVED = ROOT / "newswire" / "web" / "static" / "vendor"
TEST_ONLY = ROOT / "tests" / "assets"


@dataclass(frozen=True)
class Pin:
    """One npm package at one version: where its files go and the tarball's checksum."""

    package: str
    version: str
    integrity: str
    # (path inside the tarball's package/ folder, name in the vendored folder)
    files: tuple[tuple[str, str], ...]
    target: Path

    @property
    def folder(self) -> Path:
        """Return the folder the vendored files live in: <target>/<package>-<version>."""
        return self.target / f"{self.package}-{self.version}"


PINS = (
    # htmx 4 rather than 2.0.x: it runs under a CSP without 'unsafe-inline' as
    # shipped (its indicator CSS is a constructed stylesheet, not a <style>
    # element), and its SSE extension ships in the same tarball at the same
    # version, reading the stream with fetch so it resumes with Last-Event-ID
    # and reconnects with jittered back-off (the desk's and portal's live views).
    Pin(
        "htmx.org",
        "4.0.1",
        "sha512-oF7JgXhDW9UXCy/k1ZYFUQgzu/rm19ORWPSPNL91vPluB2PB9+MV55tyQdH/w7o2EAbTYUG5SDW1R60mdkdqGg==",
        (
            ("dist/htmx.min.js", "htmx.min.js"),
            ("dist/ext/hx-sse.min.js", "hx-sse.min.js"),
            ("LICENSE", "LICENSE"),
        ),
        SERVED,
    ),
    Pin(
        "swagger-ui-dist",
        "5.35.0",
        "sha512-U06rpMtW9V3XPGOBeamTUSr0Z09jMX4IJuANpE/EZbAhw0G8CgwrzU4YmXkn/h0wCDNsXdGarTNNHC3sU8yVUQ==",
        (
            ("swagger-ui-bundle.js", "swagger-ui-bundle.js"),
            ("swagger-ui.css", "swagger-ui.css"),
            ("LICENSE", "LICENSE"),
            ("NOTICE", "NOTICE"),
            # The licences of what the bundle compiles in.
            ("swagger-ui-bundle.js.LICENSE.txt", "swagger-ui-bundle.js.LICENSE.txt"),
        ),
        SERVED,
    ),
    Pin(
        "redoc",
        "2.5.4",
        "sha512-M6jWhG1qoBnH6TFmzJnstyCZ87HmOY/UzDm78mHiYihEdlV/YcS9ogOo1NlElnJMeLsyxHFe2yFc4sNjHTrABQ==",
        (
            ("bundles/redoc.standalone.js", "redoc.standalone.js"),
            ("LICENSE", "LICENSE"),
            ("bundles/redoc.standalone.js.LICENSE.txt", "redoc.standalone.js.LICENSE.txt"),
        ),
        SERVED,
    ),
    # Tests only (not packaged): the accessibility engine the browser tests inject.
    Pin(
        "axe-core",
        "4.14.1",
        "sha512-FHfa+lmNjQZfJz1q8wKqIDwC6DExcHt/pkjNQb09a3NPjCKg2rhu5qb2S4r76ASyFNNtuFooJpZe37OgudVGtQ==",
        (
            ("axe.min.js", "axe.min.js"),
            ("LICENSE", "LICENSE"),
            ("LICENSE-3RD-PARTY.txt", "LICENSE-3RD-PARTY.txt"),
        ),
        TEST_ONLY,
    ),
)


def integrity_of(data: bytes) -> str:
    """Return npm's Subresource-Integrity form of a tarball's sha512: `sha512-<base64>`."""
    return "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()


def fetch_tarball(client: httpx.Client, pin: Pin) -> bytes:
    """Download a pinned tarball; fail unless the registry and the pin agree on its sha512."""
    metadata = client.get(f"{REGISTRY}/{pin.package}/{pin.version}")
    metadata.raise_for_status()
    dist = metadata.json()["dist"]
    if dist["integrity"] != pin.integrity:
        raise SystemExit(
            f"{pin.package}@{pin.version}: the registry says {dist['integrity']},"
            f" the pin says {pin.integrity}"
        )
    response = client.get(dist["tarball"])
    response.raise_for_status()
    actual = integrity_of(response.content)
    if actual != pin.integrity:
        raise SystemExit(f"{pin.package}@{pin.version}: the tarball's sha512 is {actual}")
    return response.content


def pinned_files(pin: Pin, tarball: bytes) -> dict[str, bytes]:
    """Return the pinned files of a tarball by vendored name (members are read, never extracted)."""
    files: dict[str, bytes] = {}
    with tarfile.open(fileobj=io.BytesIO(tarball), mode="r:gz") as archive:
        for source, name in pin.files:
            member = archive.extractfile(f"package/{source}")
            if member is None:
                raise SystemExit(f"{pin.package}@{pin.version}: {source} is not a file")
            files[name] = member.read()
    return files


def write(pin: Pin, files: dict[str, bytes]) -> None:
    """Replace every vendored version of the package with exactly these files."""
    for old in pin.target.glob(f"{pin.package}-*"):
        if old.is_dir() and old.name[len(pin.package) + 1 :][:1].isdigit():
            shutil.rmtree(old)
    pin.folder.mkdir(parents=True)
    for name, data in files.items():
        (pin.folder / name).write_bytes(data)


def differences(pin: Pin, files: dict[str, bytes]) -> list[str]:
    """Return how the committed folder differs from the pinned files (empty when identical)."""
    problems = []
    present = {path.name for path in pin.folder.iterdir()} if pin.folder.is_dir() else set()
    for name, data in files.items():
        path = pin.folder / name
        if not path.is_file():
            problems.append(f"{path.relative_to(ROOT)} is missing")
        elif path.read_bytes() != data:
            problems.append(f"{path.relative_to(ROOT)} differs from the tarball")
    problems += [
        f"{pin.folder.relative_to(ROOT)}/{extra} is not pinned" for extra in present - set(files)
    ]
    return problems


def main(argv: list[str] | None = None) -> int:
    """Vendor every pin (or, with --check, compare the committed copies with the tarballs)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare, write nothing")
    arguments = parser.parse_args(argv)
    problems: list[str] = []
    with httpx.Client(timeout=120, follow_redirects=True) as client:
        for pin in PINS:
            files = pinned_files(pin, fetch_tarball(client, pin))
            if arguments.check:
                problems += differences(pin, files)
            else:
                write(pin, files)
                print(f"{pin.folder.relative_to(ROOT)}: {', '.join(files)}")
    for problem in problems:
        print(problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
