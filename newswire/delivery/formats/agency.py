"""Who provides the items: the agency's name, short code and home URI."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Agency:
    """The agency that provides the items (NewsML-G2 provider, Atom author, NITF copyright)."""

    name: str = "Newswire"
    code: str = "newswire"
    uri: str = "https://newswire.example"

    @property
    def provider_qcode(self) -> str:
        """Return the NewsML-G2 provider qcode, e.g. nprov:newswire."""
        return f"nprov:{self.code}"
