"""Who provides the items: the agency's name, code, home URI, provider code and rights."""

from __future__ import annotations

from dataclasses import dataclass

DEFAULT_NOTICE = "Copyright {year} {holder}. All rights reserved."


@dataclass(frozen=True)
class Agency:
    """The agency that provides the items (NewsML-G2 provider, Atom author, rights holder).

    Built by the runtime from the `agency_*` settings. `provider_qcode` is the
    agency's registered IPTC provider code (`nprov:...`); without one, items name
    the provider by `uri`. `copyright_notice` may use `{year}` (the story's first
    year) and `{holder}`.
    """

    name: str = "Newswire"
    code: str = "newswire"
    uri: str = "https://newswire.example"
    provider_qcode: str = ""
    copyright_holder: str = ""
    copyright_notice: str = DEFAULT_NOTICE
    usage_terms: str = ""
    api_url: str = ""  # where renditions download from (empty: uri)

    def rendition_url(self, path: str) -> str:
        """Return the absolute URL of an API path (a rendition's download)."""
        return f"{(self.api_url or self.uri).rstrip('/')}{path}"

    @property
    def holder(self) -> str:
        """Return who holds the copyright of the agency's own stories."""
        return self.copyright_holder or self.name

    def notice(self, year: int) -> str:
        """Return the agency's copyright notice for a story first created in `year`."""
        return self.copyright_notice.replace("{year}", str(year)).replace("{holder}", self.holder)
