"""The ``rayngan`` command line, built on the library API."""

from ingest.cli.main import main

__all__ = ["main"]
