"""tesseract as a command, one process a page: the fallback of :mod:`ingest.extract.tess_api`
(no tesserocr, another libtesseract version, or ``RAYNGAN_OCR_ENGINE=cli``).

The page goes to tesseract as a file (it reads ``stdin`` ~0.2 s slower), under a
``timeout`` that kills the process, with ``OMP_THREAD_LIMIT=1``; one recognition writes
both the ``txt`` and the ``tsv`` rendering.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
import time


def read(
    data: bytes,
    suffix: str,
    dpi: int | None,
    *,
    lang: str,
    psm: str,
    timeout: float,
    config: tuple[str, ...] = (),
) -> tuple[str, str] | str:
    """tesseract's ``txt`` and ``tsv`` renderings of the image file ``data`` (``suffix``
    ".pgm", ".png", ...), or why it could not read it."""
    with tempfile.TemporaryDirectory(prefix="rayngan-ocr-") as tmp:
        base = os.path.join(tmp, "page")
        with open(base + suffix, "wb") as fh:
            fh.write(data)
        args = [base + suffix, base, "-l", lang, "--psm", psm, *config]
        if dpi:
            args += ["--dpi", str(dpi)]
        failed = run([*args, "txt", "tsv"], timeout)
        if failed is not None:
            return failed
        with open(base + ".txt", encoding="utf-8", errors="replace") as fh:
            text = fh.read()
        with open(base + ".tsv", encoding="utf-8", errors="replace") as fh:
            return text, fh.read()


def run(args: list[str], timeout: float) -> str | None:
    """``tesseract ARGS`` with one thread: None when it read, else why not ("OCR took
    over 30 s": killed at ``timeout``; "tesseract failed: …")."""
    began = time.monotonic()
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    try:
        done = subprocess.run(["tesseract", *args], capture_output=True, timeout=timeout, env=env)
    except subprocess.TimeoutExpired:
        return f"OCR took over {time.monotonic() - began:.0f} s"
    if done.returncode != 0:
        reason = done.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or ["?"]
        return f"tesseract failed: {reason[0]}"
    return None
