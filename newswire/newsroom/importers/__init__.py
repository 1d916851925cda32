"""Importers: the agency text layout, and other agencies' ninjs and NewsML-G2 items."""
