"""The one error media code raises on purpose: an upload or a field that is refused.

Every refusal names the form field at fault (`file` for the uploaded bytes,
`caption`, `credit`, ... for a metadata field filed with it), says in a
sentence what is wrong, and carries the HTTP status the API answers with:

* 413 — too many bytes or too many pixels (a decompression bomb);
* 415 — not a kind of media newswire accepts (text, SVG, GIF, QuickTime, ...);
* 422 — the right kind but unusable (truncated, polyglot, oversized metadata).
"""

from __future__ import annotations

TOO_LARGE = 413
UNSUPPORTED = 415
UNUSABLE = 422


class MediaRejected(ValueError):
    """An upload or metadata field that newswire refuses; nothing was stored."""

    def __init__(self, field: str, message: str, status: int = UNUSABLE) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message
        self.status = status

    def as_detail(self) -> dict[str, str]:
        """Return the error as the API's problem detail: the field and the message."""
        return {"field": self.field, "message": self.message}
