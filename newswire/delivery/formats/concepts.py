"""Concept identifiers as the IPTC formats write them: qcodes, URIs, and the agency's own.

A concept (a genre, a place, a signal) is stored as one string: a qcode such as
`genre:Obituary` when its scheme is in the IPTC catalog (aliases resolve there for
every receiver), otherwise a URI. A qcode whose alias neither the IPTC catalog nor
the item's own catalog declares (a provider's remote catalog we cannot read) is kept
as the source sent it. Concepts the agency names without a code (an editor's
genre, a dateline) get a URI in the agency's own space, `{agency uri}/genres/...`.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from urllib.parse import quote

from lxml import etree

from newswire.delivery.formats.agency import Agency
from newswire.delivery.formats.validation import SCHEMAS

IPTC_CATALOG_FILE = "catalog.IPTC-G2-Standards_41.xml"
SIGNAL_SCHEME = "http://cv.iptc.org/newscodes/signal/"
CORRECTION = "sig:correction"
UPDATE = "sig:update"


@cache
def iptc_schemes() -> dict[str, str]:
    """Return alias -> scheme URI of every scheme in the packaged IPTC catalog."""
    root = etree.parse(str(SCHEMAS / IPTC_CATALOG_FILE)).getroot()
    return {
        scheme.get("alias", ""): scheme.get("uri", "")
        for scheme in root.iter("{http://iptc.org/std/nar/2006-10-01/}scheme")
        if scheme.get("alias") and scheme.get("uri")
    }


def is_uri(code: str) -> bool:
    """Tell a URI (it has a scheme and a colon-slash-slash or is a URN) from a qcode."""
    return "://" in code or code.startswith("urn:")


def expand(qcode: str, schemes: Mapping[str, str] | None = None) -> str | None:
    """Return the URI of a qcode whose alias is declared (in `schemes` or the IPTC catalog)."""
    alias, sep, code = qcode.partition(":")
    if not sep:
        return None
    uri = (schemes or {}).get(alias) or iptc_schemes().get(alias)
    return uri + code if uri else None


def compact(uri: str) -> str:
    """Return the IPTC qcode of a URI in an IPTC scheme, else the URI unchanged."""
    matches = [
        (alias, scheme)
        for alias, scheme in iptc_schemes().items()
        if uri.startswith(scheme) and len(uri) > len(scheme)
    ]
    if not matches:
        return uri
    alias, scheme = max(matches, key=lambda match: len(match[1]))  # the most specific scheme
    return f"{alias}:{uri[len(scheme) :]}"


def canonical(qcode: str = "", uri: str = "", schemes: Mapping[str, str] | None = None) -> str:
    """Return the stored form of a concept given by qcode and/or URI (see the module doc).

    `schemes` are the aliases the item declares itself (its inline catalog).
    """
    if qcode:
        alias = qcode.partition(":")[0]
        if schemes and alias in schemes and alias not in iptc_schemes():
            return compact(schemes[alias] + qcode.partition(":")[2])
        return qcode
    return compact(uri) if uri else ""


def g2_attributes(code: str) -> dict[str, str]:
    """Return the qcode= or uri= attribute that names a concept in NewsML-G2."""
    if not code:
        return {}
    return {"uri": code} if is_uri(code) else {"qcode": code}


def ninjs_reference(code: str) -> dict[str, str]:
    """Return the uri (expanded from an IPTC qcode when possible) or literal of a concept."""
    if not code:
        return {}
    if is_uri(code):
        return {"uri": code}
    expanded = expand(code)
    return {"uri": expanded} if expanded else {"literal": code}


def own_concept(agency: Agency, kind: str, name: str) -> str:
    """Return the URI of a concept the agency names but does not code, e.g. a genre."""
    return f"{agency.uri.rstrip('/')}/{kind}/{quote(name, safe='')}"


def genre_code(genre: str, code: str, agency: Agency) -> str:
    """Return a genre's code as sent: its own, else one in the agency's space (none if unnamed)."""
    return code or (own_concept(agency, "genres", genre) if genre else "")


def place_code(name: str, code: str, agency: Agency) -> str:
    """Return a place's code as sent: its own, else one in the agency's space."""
    return code or (own_concept(agency, "places", name) if name else "")
