"""Word, Excel and OpenDocument files -> text lines, the way a text export lays them out.

* .docx (python-docx opens the package, :mod:`ingest.extract.docx_text` reads the body in
  order): paragraphs are lines, text boxes, content controls and nested tables included;
  a table row is one line of its cells joined by tabs.
* .xlsx/.xlsm (openpyxl: maintained, and it gives each cell's number format, which
  python-calamine does not): every row of every sheet is a line of tab-separated cells,
  numbers and dates written as their format displays them (:mod:`ingest.extract.cells`).
* .xls (python-calamine: maintained, Rust, reads the old binary format; xlrd also would,
  but calamine is one fast reader for all): as .xlsx, with Excel's "General" display.
* .odt/.ods: the XML of ``content.xml`` read with the standard library.  OpenDocument
  stores the displayed text of every cell, so no formatting is guessed; odfpy (last
  release 2020) would add a dependency for what ElementTree does here in a few lines.
* .pptx/.odp/.ppt: :mod:`ingest.extract.slides`, a slide standing in for a page.
* .doc (Word 97-2003): LibreOffice headless converts it to .docx when installed (exact);
  else ``antiword`` (Debian), whose Thai is right.  Checked on the samples saved as .doc by
  LibreOffice: antiword gives every fact of paragraph text but draws tables in fixed-width
  columns (a cell wrapped over lines); catdoc gives Thai right too but wraps paragraphs at
  72 columns inside words.

Merged cells: a merged cell's text is in its first row and column; the cells it covers
are empty, so columns stay where they are.  Empty cells at the end of a row and empty
rows at the end of a sheet are dropped.  A sheet stands in for a page (``line_pages``).
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import signal
import subprocess
import tempfile
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from xml.etree import ElementTree

from ingest.extract import xml_spreadsheet
from ingest.extract.cells import display
from ingest.extract.docx_text import docx_lines
from ingest.extract.slides import odp_lines, pptx_lines
from parsers.errors import InputError

MAX_ROWS = 200_000  # rows of one workbook (a sheet of a million blank rows is no report)
MAX_REPEAT = 1_000  # repeated empty rows or cells of an OpenDocument table kept at most
DOC_TIMEOUT_S = 60.0


class OfficeError(InputError):
    stage = "extract"


@dataclass(frozen=True)
class OfficeText:
    text: str
    line_pages: tuple[int, ...] | None  # the sheet of each line (workbooks), else None
    media_type: str  # 'docx', 'xlsx', 'xls', 'odt', 'ods', 'doc', 'pptx', 'odp', 'ppt'


def office_kind(name: str) -> str | None:
    """The office format of a file called ``name`` (by suffix), or None."""
    suffix = name.lower().rsplit(".", 1)[-1] if "." in name else ""
    if suffix not in _READERS or suffix == "xmlss":
        return None
    return {"xlsm": "xlsx"}.get(suffix, suffix)


def extract_office(data: bytes, name: str, kind: str | None = None) -> OfficeText:
    """The lines of an office file; ``kind`` (what its content holds) overrides its name's."""
    kind = kind or office_kind(name)
    if kind is None:
        raise OfficeError(
            f"{name!r} is not a Word, Excel, PowerPoint or OpenDocument file.", path=name
        )
    try:
        lines, pages = _READERS[kind](data)
    except InputError:
        raise
    except Exception as exc:  # the libraries raise many types for a damaged file
        raise OfficeError(
            f"The {kind} file cannot be read ({type(exc).__name__}: {exc}).", path=name
        ) from exc
    text = "\n".join(lines) + "\n" if lines else "\n"
    media = "xls" if kind == "xmlss" else kind
    return OfficeText(text, tuple(pages) if pages is not None else None, media)


def _finish_rows(rows: list[list[str]]) -> list[str]:
    lines = ["\t".join(_trim(row)) for row in rows]
    while lines and not lines[-1].strip():
        lines.pop()
    return lines


def _trim(row: list[str]) -> list[str]:
    end = len(row)
    while end and not row[end - 1].strip():
        end -= 1
    return [cell.replace("\t", " ").replace("\n", " ").strip() for cell in row[:end]]


def _sheets_to_lines(sheets: Iterator[list[list[str]]]) -> tuple[list[str], list[int]]:
    lines: list[str] = []
    pages: list[int] = []
    for number, rows in enumerate(sheets, 1):
        found = _finish_rows(rows)
        lines.extend(found)
        pages.extend([number] * len(found))
    return lines, pages


# ---------------------------------------------------------------- Word


def _docx(data: bytes) -> tuple[list[str], None]:
    return docx_lines(data, _finish_rows), None


def _doc(data: bytes) -> tuple[list[str], None]:
    """Word 97-2003: LibreOffice (when installed) converts it to .docx exactly; else
    antiword, whose Thai is right but whose tables are drawn in fixed-width columns (a
    cell's text wrapped over several lines, so a table row may come out as several)."""
    if shutil.which("soffice"):
        try:
            return _docx(_soffice_convert(data, "doc", "docx"))
        except OfficeError:
            if shutil.which("antiword") is None:  # (LibreOffice without Writer cannot)
                raise
    if shutil.which("antiword") is None:
        raise OfficeError(
            "The file is a legacy Word .doc, which needs antiword (apt install antiword) "
            "or LibreOffice, or saving it as .docx."
        )
    done = subprocess.run(
        ["antiword", "-m", "UTF-8.txt", "-w", "0", "-"],
        input=data,
        capture_output=True,
        timeout=DOC_TIMEOUT_S,
    )
    if done.returncode != 0:
        reason = done.stderr.decode("utf-8", "replace").strip() or f"exit {done.returncode}"
        raise OfficeError(f"antiword cannot read the .doc file ({reason}).")
    text = done.stdout.decode("utf-8", "replace").replace("\r\n", "\n")
    return [_antiword_row(line) for line in text.split("\n")], None


def _rtf(data: bytes) -> tuple[list[str], None]:
    """Rich Text (Word's "Save as RTF", often named .doc): LibreOffice converts it exactly."""
    if not shutil.which("soffice"):
        raise OfficeError(
            "The file is Rich Text (RTF), which needs LibreOffice "
            "(apt install libreoffice-writer-nogui) or saving it as .docx."
        )
    return _docx(_soffice_convert(data, "rtf", "docx"))


def _antiword_row(line: str) -> str:
    if not (line.startswith("|") and line.rstrip().endswith("|")):
        return line
    return "\t".join(cell.strip() for cell in line.strip().strip("|").split("|"))


def _soffice_convert(data: bytes, kind: str, to: str) -> bytes:
    """A legacy binary file (.doc, .ppt, .rtf) converted by LibreOffice headless to ``to``."""
    with tempfile.TemporaryDirectory(prefix="rayngan-doc-") as tmp:
        source = os.path.join(tmp, f"in.{kind}")
        with open(source, "wb") as fh:
            fh.write(data)
        profile = f"-env:UserInstallation=file://{tmp}/profile"  # no shared profile lock
        cmd = ["soffice", profile, "--headless", "--convert-to", to, "--outdir", tmp, source]
        code, stderr = _run_in_own_group(cmd, DOC_TIMEOUT_S)
        target = os.path.join(tmp, f"in.{to}")
        if code != 0 or not os.path.exists(target):
            reason = stderr.decode("utf-8", "replace").strip() or f"exit {code}"
            raise OfficeError(f"LibreOffice cannot convert the .{kind} file ({reason}).")
        with open(target, "rb") as fh:
            return fh.read()


def _run_in_own_group(cmd: list[str], timeout: float) -> tuple[int, bytes]:
    """Run ``cmd`` in a process group of its own; on timeout kill the whole group, since
    soffice's launcher leaves its soffice.bin child running when it alone is killed."""
    proc = subprocess.Popen(
        cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True
    )
    try:
        _, stderr = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        raise OfficeError(f"LibreOffice took over {timeout:.0f} s to convert the file.") from None
    return proc.returncode, stderr


# ---------------------------------------------------------------- PowerPoint


def _pptx(data: bytes) -> tuple[list[str], list[int]]:
    return pptx_lines(data, _finish_rows)


def _ppt(data: bytes) -> tuple[list[str], list[int]]:
    if not shutil.which("soffice"):
        raise OfficeError(
            "The file is a legacy PowerPoint .ppt, which needs LibreOffice "
            "(apt install libreoffice-impress) or saving it as .pptx."
        )
    return _pptx(_soffice_convert(data, "ppt", "pptx"))


# ---------------------------------------------------------------- Excel


def _xlsx(data: bytes) -> tuple[list[str], list[int]]:
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        return _sheets_to_lines(_xlsx_sheets(book))
    finally:
        book.close()


def _xlsx_sheets(book: object) -> Iterator[list[list[str]]]:
    total = 0
    for sheet in book.worksheets:  # type: ignore[attr-defined]
        rows = []
        for row in sheet.iter_rows():
            total += 1
            if total > MAX_ROWS:
                raise OfficeError(f"The workbook has more than {MAX_ROWS:,} rows.")
            rows.append([display(c.value, getattr(c, "number_format", None)) for c in row])
        yield rows


def _spreadsheet_ml(data: bytes) -> tuple[list[str], list[int]]:
    return _sheets_to_lines(xml_spreadsheet.sheets(data))


def _xls(data: bytes) -> tuple[list[str], list[int]]:
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_filelike(io.BytesIO(data))

    def sheets() -> Iterator[list[list[str]]]:
        for name in book.sheet_names:
            rows = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
            if len(rows) > MAX_ROWS:
                raise OfficeError(f"Sheet {name!r} has more than {MAX_ROWS:,} rows.")
            yield [[display(value, None) for value in row] for row in rows]

    return _sheets_to_lines(sheets())


# ---------------------------------------------------------------- OpenDocument

_NS = {
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
}
_T, _TB = "{" + _NS["text"] + "}", "{" + _NS["table"] + "}"
_FRAME = "{urn:oasis:names:tc:opendocument:xmlns:drawing:1.0}frame"
_BOX = "{urn:oasis:names:tc:opendocument:xmlns:drawing:1.0}text-box"
# _FRAME: a text box's paragraphs are lines of their own, before its anchor's (_frames)
_SKIP = {_T + "note", _T + "tracked-changes", "{" + _NS["office"] + "}annotation", _FRAME}


def _content(data: bytes) -> ElementTree.Element:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return ElementTree.fromstring(archive.read("content.xml"))


def _odt(data: bytes) -> tuple[list[str], None]:
    body = _content(data).find("office:body/office:text", _NS)
    lines: list[str] = []
    for child in body if body is not None else ():
        lines.extend(_odt_block(child))
    return lines, None


def _odt_block(node: ElementTree.Element) -> Iterator[str]:
    if node.tag in (_T + "p", _T + "h"):
        for box in _frames(node):
            for child in box:
                yield from _odt_block(child)
        yield from _inline(node).split("\n")
    elif node.tag == _TB + "table":
        yield from _finish_rows(list(_ods_rows(node)))
    elif node.tag not in _SKIP:  # lists, sections: their paragraphs in order
        for child in node:
            yield from _odt_block(child)


def _frames(node: ElementTree.Element) -> Iterator[ElementTree.Element]:
    """The text boxes drawn in paragraph ``node`` (not those inside another box)."""
    for child in node:
        if child.tag == _BOX:
            yield child
        elif child.tag not in _SKIP or child.tag == _FRAME:
            yield from _frames(child)


def _inline(node: ElementTree.Element) -> str:
    """The text of a paragraph: spaces (text:s), tabs and line breaks as written."""
    parts = [node.text or ""]
    for child in node:
        if child.tag == _T + "s":
            parts.append(" " * int(child.get(_T + "c", "1")))
        elif child.tag == _T + "tab":
            parts.append("\t")
        elif child.tag == _T + "line-break":
            parts.append("\n")
        elif child.tag not in _SKIP:
            parts.append(_inline(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _odp(data: bytes) -> tuple[list[str], list[int]]:
    return odp_lines(data, _odt_block, _finish_rows)


def _ods(data: bytes) -> tuple[list[str], list[int]]:
    body = _content(data).find("office:body/office:spreadsheet", _NS)
    tables = body.findall("table:table", _NS) if body is not None else []
    return _sheets_to_lines(list(_ods_rows(table)) for table in tables)


def _ods_rows(table: ElementTree.Element) -> Iterator[list[str]]:
    for row in table.iter(_TB + "table-row"):
        cells: list[str] = []
        for cell in row:
            repeat = min(int(cell.get(_TB + "number-columns-repeated", "1")), MAX_REPEAT)
            text = "" if cell.tag != _TB + "table-cell" else _cell_text(cell)
            cells.extend([text] * (repeat if text else min(repeat, MAX_REPEAT)))
        repeat = min(int(row.get(_TB + "number-rows-repeated", "1")), MAX_REPEAT)
        yield from [cells] * repeat


def _cell_text(cell: ElementTree.Element) -> str:
    return " ".join(_inline(p) for p in cell.findall("text:p", _NS))


_READERS = {
    "docx": _docx,
    "xlsx": _xlsx,
    "xlsm": _xlsx,
    "xls": _xls,
    "odt": _odt,
    "ods": _ods,
    "doc": _doc,
    "pptx": _pptx,
    "odp": _odp,
    "ppt": _ppt,
    "rtf": _rtf,
    "xmlss": _spreadsheet_ml,  # never a suffix: what an .xls of XML holds (sniff.py)
}
