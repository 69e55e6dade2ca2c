"""MIME web archives (.mht/.mhtml: Internet Explorer's and Word's "Single File Web Page",
which web systems' "Export to Word" also writes and names .doc): the page is the first
``text/html`` part, in quoted-printable or base64, its charset declared in its header."""

from __future__ import annotations

import email
import email.policy
import re

_MIME = re.compile(
    rb"^(?:\s*[\w-]+:[^\n]*\n)*?\s*(?:MIME-Version:|Content-Type:\s*multipart/related)",
    re.IGNORECASE,
)


def is_mhtml(data: bytes, name: str) -> bool:
    """A MIME web archive by name, or by a MIME header at its start."""
    if name.lower().endswith((".mht", ".mhtml")):
        return True
    return bool(_MIME.match(data[:2048].replace(b"\r\n", b"\n")))


def html_part(data: bytes) -> bytes | None:
    """The archive's page, with a ``<meta charset>`` naming the charset its part declares
    (the page's own declaration, if any, may name another: the part's header wins)."""
    message = email.message_from_bytes(data, policy=email.policy.compat32)
    for part in message.walk():
        if part.get_content_type() != "text/html":
            continue
        payload = part.get_payload(decode=True)
        if not isinstance(payload, bytes):
            continue
        charset = part.get_content_charset()
        return (f'<meta charset="{charset}">'.encode() if charset else b"") + payload
    return None
