"""tesseract inside the worker process, through tesserocr (its C++ API), not as a command.

Each ``tesseract`` command loads its models again (``tha+eng``: ~0.1 s of CPU a page, and
the number re-read started an ``eng`` process a page on top).  Here each process loads a
model once, on first use, and keeps it for every page after: one API object per
(language, page segmentation) per process, made after the fork (an object inherited from
the parent is never used: its pid is checked).  scripts/setup builds tesserocr against
Debian's libtesseract, the command's; it reads the system's traineddata
(tesseract-ocr-tha).

The command (:mod:`ingest.extract.ocr`'s fallback) reads the pages where tesserocr cannot
be imported, finds no traineddata or runs another tesseract version than the command (see
:func:`usable`); ``RAYNGAN_OCR_ENGINE=cli`` or ``=api`` forces one or the other.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from functools import cache
from typing import Any

ENGINE_ENV = "RAYNGAN_OCR_ENGINE"  # "cli" forces the tesseract command, "api" tesserocr
# Where Linux distributions put tesseract's traineddata, tried after TESSDATA_PREFIX.
TESSDATA_DIRS = (
    "/usr/share/tesseract-ocr/5/tessdata",
    "/usr/share/tesseract-ocr/4.00/tessdata",
    "/usr/share/tessdata",
    "/usr/local/share/tessdata",
    "/usr/local/share/tesseract-ocr/tessdata",
)

_apis: dict[tuple[str, int], Any] = {}  # (lang, psm) -> PyTessBaseAPI of this process
_owner = 0  # the pid that made the objects in _apis


def tessdata_dir(lang: str) -> str | None:
    """The folder holding every ``lang`` model ("tha+eng": both), or None."""
    prefix = os.environ.get("TESSDATA_PREFIX")
    candidates = ([prefix, os.path.join(prefix, "tessdata")] if prefix else []) + list(
        TESSDATA_DIRS
    )
    for folder in candidates:
        if all(os.path.isfile(os.path.join(folder, f"{n}.traineddata")) for n in lang.split("+")):
            return folder
    return None


@cache
def _module() -> Any:
    """tesserocr, or None where it cannot be imported."""
    # Debian's libtesseract runs OpenMP threads: one per process, as the command is run
    # (libgomp reads this when it is loaded, by the import)
    os.environ["OMP_THREAD_LIMIT"] = "1"
    try:
        import tesserocr
    except ImportError:
        return None
    return tesserocr


def usable(lang: str) -> bool:
    """Whether pages in ``lang`` are read in this process (else by the tesseract command):
    tesserocr and the models are there, and its libtesseract is the command's (another
    version reads otherwise: PyPI's wheel bundles 5.5, which read the sample scans 3.5 %
    worse than Debian's 5.3) or there is no command.  ``RAYNGAN_OCR_ENGINE`` ``cli`` or
    ``api`` forces one."""
    forced = os.environ.get(ENGINE_ENV, "").lower()
    if forced == "cli" or _module() is None or tessdata_dir(lang) is None:
        return False
    if forced == "api":
        return True
    command = shutil.which("tesseract")
    return command is None or _command_version(command) == version()


def version() -> str | None:
    """tesserocr's libtesseract version ("5.3.0"), or None without tesserocr."""
    module = _module()
    if module is None:
        return None
    return str(module.tesseract_version()).split()[1]


@cache
def _command_version(command: str) -> str | None:
    """The version the ``tesseract`` command says it is ("5.3.0")."""
    try:
        done = subprocess.run([command, "--version"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return None
    words = (done.stdout or done.stderr).split()
    return words[1] if len(words) > 1 else None


def _api(lang: str, psm: int) -> Any:
    """This process's API object for ``lang`` and page segmentation ``psm``."""
    global _owner
    if _owner != os.getpid():  # made before a fork: the parent's, not ours
        _apis.clear()
        _owner = os.getpid()
    api = _apis.get((lang, psm))
    if api is None:
        folder = tessdata_dir(lang)
        if folder is None:
            raise RuntimeError(f"No traineddata for {lang!r} in {TESSDATA_DIRS}.")
        module = _module()
        api = module.PyTessBaseAPI(path=folder + "/", lang=lang, psm=psm)
        _apis[(lang, psm)] = api
    return api


def set_image(api: Any, image: Any, dpi: int | None) -> bytes | None:
    """``image`` (PIL) as the page to read; a grey one handed over without re-encoding.
    Returns the pixels the API reads without a copy: keep them until it has read them."""
    image = _plain(image)
    data = None
    if image.mode == "L":
        data = image.tobytes()
        api.SetImageBytes(data, image.width, image.height, 1, image.width)
    else:
        api.SetImage(image)
    if dpi:
        api.SetSourceResolution(dpi)
    return data


def _plain(image: Any) -> Any:
    """``image`` in a mode tesseract reads as its command would read the file: transparent
    parts on white (as leptonica removes alpha), 16-bit grey by its top 8 bits."""
    from PIL import Image

    if image.mode in ("L", "RGB", "1"):
        return image
    if image.mode.startswith("I"):  # "I;16", "I;16B", "I": 16-bit grey
        return image.convert("I").point(lambda value: value / 256).convert("L")
    if image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info:
        white = Image.new("RGBA", image.size, (255, 255, 255, 255))
        return Image.alpha_composite(white, image.convert("RGBA")).convert("RGB")
    return image.convert("RGB")


@contextmanager
def _variables(api: Any, variables: Mapping[str, str]) -> Iterator[None]:
    """tesseract settings (``-c name=value``) for one reading, put back after it."""
    saved = {name: api.GetVariableAsString(name) for name in variables}
    for name, value in variables.items():
        if not api.SetVariable(name, value):
            raise ValueError(f"tesseract has no setting named {name!r}.")
    try:
        yield
    finally:
        for name, value in saved.items():
            api.SetVariable(name, value)


Box = tuple[int, int, int, int]  # left, top, width, height in pixels
# The text lines layout analysis finds with some extra settings ({} for none).
Layout = Callable[[Mapping[str, str]], list[Box]]
# Given the page's layout, the settings to read the page with instead, or None to read it
# with none.
Chooser = Callable[[Layout], Mapping[str, str] | None]


def read(
    image: Any,
    *,
    lang: str,
    psm: int,
    dpi: int | None,
    timeout: float,
    variables: Mapping[str, str] | None = None,
    choose: Chooser | None = None,
) -> tuple[str, str] | str:
    """tesseract's ``txt`` and ``tsv`` renderings of ``image`` (PIL), or why it could not
    read it: as the command's ``txt`` and ``tsv`` outputs, from one recognition.

    With ``choose``, the page's layout is analysed first: ``choose`` asks for the lines found
    with the settings it likes to compare and says which to read with.  The recognition
    reuses the last analysis when its settings are the chosen ones (no cost)."""
    began = time.monotonic()
    api = _api(lang, psm)
    base = dict(variables or {})
    pixels = [set_image(api, image, dpi)]  # read by the API until this returns
    analysed: list[Mapping[str, str]] = []  # the settings of the analysis the API holds

    def layout(extra: Mapping[str, str]) -> list[Box]:
        if analysed:  # the API keeps its first analysis until it is given the image again
            pixels.append(set_image(api, image, dpi))
        analysed[:] = [extra]
        with _variables(api, {**base, **extra}):
            return _layout_lines(api)

    chosen = dict(choose(layout) or {}) if choose is not None else {}
    if analysed and analysed[0] != chosen:
        pixels.append(set_image(api, image, dpi))  # analysed again, with the chosen settings
    settings = {**base, **chosen}
    with _variables(api, settings):
        left = timeout - (time.monotonic() - began)
        done = left > 0 and api.Recognize(timeout=max(1, int(left * 1000)))
        pixels.clear()
        if not done:
            spent = time.monotonic() - began
            if spent >= 0.9 * timeout:
                return f"OCR took over {spent:.0f} s"
            return "tesseract failed to recognise the image"
        return api.GetUTF8Text(), _tsv(api)


def _layout_lines(api: Any) -> list[Box]:
    """The boxes of the text lines layout analysis finds, in reading order."""
    module = _module()
    level = module.RIL.TEXTLINE
    found = api.AnalyseLayout()
    boxes: list[Box] = []
    if found is None:
        return boxes
    for line in module.iterate_level(found, level):
        box = line.BoundingBox(level)
        if box is not None:
            boxes.append((box[0], box[1], box[2] - box[0], box[3] - box[1]))
    return boxes


def _tsv(api: Any) -> str:
    """The tsv rendering with the command's header line (GetTSVText leaves it out)."""
    header = (
        "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\t"
        "left\ttop\twidth\theight\tconf\ttext\n"
    )
    return header + api.GetTSVText(0)
