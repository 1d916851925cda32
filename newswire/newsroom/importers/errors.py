"""The one error every importer raises: what is wrong with the input, and where."""

from __future__ import annotations


class IngestError(ValueError):
    """Input that cannot become a story; `path` points at the failing part (JSON path or XPath)."""

    def __init__(self, path: str, message: str) -> None:
        self.path = path
        self.message = message
        super().__init__(f"{path}: {message}")
