"""Controlled vocabularies shipped with newswire (IPTC Media Topics)."""
