"""``--exclude GLOB`` and the ``rayngan.toml`` beside the warehouse.

A pattern without ``/`` matches a file or folder name anywhere on the path
(``--exclude '*.bak'``, ``--exclude drafts``); a pattern with ``/`` matches the whole path
as given (``--exclude 'exports/2019/*'``; ``*`` also crosses ``/``).  Case matters.

The config file (TOML, optional) sits in the warehouse's folder::

    [ingest]
    exclude = ["*.bak", "exports/broken/*"]
"""

from __future__ import annotations

import fnmatch
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from parsers.errors import RaynganError

CONFIG_NAME = "rayngan.toml"


class ConfigError(RaynganError):
    """The config file beside the warehouse is not valid (a usage error: exit 2)."""

    stage = "discover"


@dataclass(frozen=True)
class Config:
    exclude: tuple[str, ...] = ()
    path: Path | None = None  # the file read, None when there is none


def config_path(db: Path) -> Path:
    return db.parent / CONFIG_NAME


def load_config(db: Path) -> Config:
    """The ``[ingest]`` settings of ``rayngan.toml`` beside ``db`` (empty when absent)."""
    path = config_path(db)
    if not path.is_file():
        return Config()
    try:
        data = tomllib.loads(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"The config file {path} cannot be read: {exc}.", path=str(path)) from exc
    section = data.get("ingest", {})
    exclude = section.get("exclude", []) if isinstance(section, dict) else None
    if not isinstance(exclude, list) or not all(isinstance(p, str) for p in exclude):
        raise ConfigError(
            f"In {path}, [ingest] exclude must be a list of glob strings, not {exclude!r}.",
            path=str(path),
        )
    return Config(tuple(exclude), path)


def is_excluded(path: str, patterns: Sequence[str]) -> bool:
    """True when ``path`` (as discovered, '/'-separated) matches one of ``patterns``.

    >>> is_excluded("exports/drafts/a.txt", ["drafts"])
    True
    >>> is_excluded("exports/a.txt.bak", ["*.bak"]), is_excluded("exports/a.txt", ["*.bak"])
    (True, False)
    >>> is_excluded("exports/2019/x/a.txt", ["exports/2019/*"])
    True
    """
    parts = path.replace("\\", "/").split("/")
    for pattern in patterns:
        pattern = pattern.rstrip("/")
        if "/" in pattern:
            if fnmatch.fnmatchcase(path, pattern) or fnmatch.fnmatchcase(path, pattern + "/*"):
                return True
        elif any(fnmatch.fnmatchcase(part, pattern) for part in parts):
            return True
    return False
