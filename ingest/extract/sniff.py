"""What a file named as an office file really holds.

Web systems' "Export to Excel" and "Export to Word" buttons write an HTML page (a table, or
a page with Office's XML namespaces) and name it .xls or .doc; others write tab-separated
text or Excel 2003's XML Spreadsheet as .xls; Word saves Rich Text as .doc; a .docx renamed
.doc is still a zip.  Excel and Word open them all, so archives hold many, and reading the
name alone fails them ("Cannot detect file format").  The content decides, as Office does.
"""

from __future__ import annotations

import re
from typing import Literal

Held = Literal["office", "html", "text", "rtf", "spreadsheetml", "encrypted"]

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Word/Excel/PowerPoint 97-2003
_ZIP = b"PK\x03\x04"
_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")  # the stream of an encrypted package
_SKIP = b"\xef\xbb\xbf\xff\xfe\x00 \t\r\n"  # a BOM, UTF-16's zero bytes, blanks
# An HTML page or fragment, maybe after an XML declaration or comments.
_HTML = re.compile(
    rb"^(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*"
    rb"<(?:!doctype\s+html|html|head|body|meta|table|style|title|div|p)[\s>/]",
    re.IGNORECASE | re.DOTALL,
)
_SPREADSHEET_ML = b"urn:schemas-microsoft-com:office:spreadsheet"
# the zip packages: a renamed .docx is read as .docx
ZIP_KINDS = {"doc": "docx", "xls": "xlsx", "ppt": "pptx"}
# the legacy binary kinds: a .docx that is an OLE file is a renamed .doc
OLE_KINDS = {"docx": "doc", "xlsx": "xls", "xlsm": "xls", "pptx": "ppt"}


def what_it_holds(data: bytes, kind: str) -> tuple[Held, str]:
    """(what the bytes of a file named as ``kind`` hold, the office kind to read it as)."""
    if data.startswith(_OLE):
        if _ENCRYPTED in data:  # a password-protected .docx/.xlsx/.pptx is an OLE file
            return "encrypted", kind
        return "office", OLE_KINDS.get(kind, kind)
    if data.startswith(_ZIP):
        return "office", ZIP_KINDS.get(kind, kind)
    head = data[:4096].lstrip(_SKIP).replace(b"\x00", b"")
    if head.startswith(b"{\\rtf"):
        return "rtf", "rtf"
    if _SPREADSHEET_ML in data[:8192].replace(b"\x00", b"") and b"<Workbook" in data[:8192]:
        return "spreadsheetml", "xls"
    if _HTML.match(head):
        return "html", kind
    utf16 = data[:2] in (b"\xff\xfe", b"\xfe\xff")
    if kind in ("xls", "doc") and head and (utf16 or b"\x00" not in data[:512]):
        return "text", kind  # tab-separated rows or plain text named for Excel or Word
    return "office", kind
