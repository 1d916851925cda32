"""Email addresses as people type them, and the one form newswire stores and compares.

`email-validator` checks the syntax (RFC 5322 and 6531, internationalized
domains through IDNA) and normalizes the domain; the whole address is then
lowercased, because no mail system people use treats the local part's case
as meaningful and "Ayse@x" and "ayse@x" must not be two accounts. There is
no DNS lookup (the servers may be offline; a typo is caught by the
set-password link never arriving); names no mail can reach (.localhost,
.invalid, .test, ...) are refused, as the library does by default.
"""

from __future__ import annotations

from email_validator import EmailNotValidError, validate_email

from newswire.models.errors import Invalid

MAX_EMAIL_LENGTH = 254  # RFC 5321's limit on a path


def normalize_email(text: str, field: str = "email") -> str:
    """Return the stored form of an address; raise Invalid naming the field when it is not one."""
    candidate = text.strip()
    if not candidate:
        raise Invalid("enter an email address", field)
    if len(candidate) > MAX_EMAIL_LENGTH:
        raise Invalid(f"an email address has at most {MAX_EMAIL_LENGTH} characters", field)
    try:
        # Syntax only: an agency's own mail may live under .local or .internal names.
        checked = validate_email(candidate, check_deliverability=False, globally_deliverable=False)
    except EmailNotValidError as error:
        raise Invalid(f"not an email address: {error}", field) from error
    return checked.normalized.lower()
