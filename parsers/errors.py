"""The one exception tree of rayngan.

Every error a user can meet is a ``RaynganError`` with structured attributes
(``path``, ``line``, ``kind``, ``stage``) and a message that is a full sentence
naming the bad value.  Problems *inside* a readable document are never raised:
they become :class:`parsers.model.Anomaly` records.
"""

from __future__ import annotations


class RaynganError(Exception):
    """Base of every error rayngan raises on purpose."""

    stage: str = "rayngan"

    def __init__(
        self,
        message: str,
        *,
        path: str | None = None,
        line: int | None = None,
        kind: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line
        self.kind = kind

    def __str__(self) -> str:
        where = self.path or ""
        if where and self.line:
            where = f"{where}:{self.line}"
        return f"{where}: {self.message}" if where else self.message

    @property
    def reason(self) -> str:
        """The one-line reason stored in ``source_files.error``."""
        return self.message.replace("\n", " ")


class InputError(RaynganError):
    """A file could not be turned into text (read, decode, PDF, HTML, archive)."""

    stage = "extract"


class DecodeError(InputError):
    """No supported encoding decodes the bytes."""


class PdfError(InputError):
    """The PDF is encrypted, corrupt, or has no text layer."""


class ArchiveError(InputError):
    """A zip archive is unreadable or exceeds the safety limits."""


class FileTooLargeError(InputError):
    """The file is larger than ``--max-bytes``."""


class DetectionError(RaynganError):
    """The text is not recognisably one of the report kinds."""

    stage = "detect"


class UnknownKindError(DetectionError):
    """No parser recognises the text."""


class AmbiguousKindError(DetectionError):
    """More than one parser recognises the text."""


class KindFileError(RaynganError):
    """A kind file (TOML) is unreadable or names an unknown key, field or pattern."""

    stage = "kinds"


class WarehouseError(RaynganError):
    """The DuckDB warehouse cannot be opened or written."""

    stage = "load"


class WarehouseLockedError(WarehouseError):
    """Another process holds the warehouse for writing."""
