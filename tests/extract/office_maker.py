"""A text export written as the office files it is kept as: Word (python-docx), Excel
(openpyxl) and OpenDocument (odfpy), by other tools than the readers under test.

A run of lines holding tabs becomes a table (Word, Writer) whose rows are the lines and
whose cells are the tab-separated pieces; other lines are paragraphs.  In a workbook every
line is a row, every piece a cell; whole and decimal numbers become numbers with the
format that displays them as written ("10.00" is 10 shown as 0.00, "718,274" is 718274
shown as #,##0), the way a spreadsheet takes pasted text.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator

_NUMBER = re.compile(r"-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?")


def blocks(text: str) -> Iterator[tuple[str, list[str]]]:
    """('table', rows) for runs of lines with tabs, ('para', [line]) for other lines."""
    lines = text.rstrip("\n").split("\n")
    i = 0
    while i < len(lines):
        if "\t" in lines[i]:
            j = i
            while j < len(lines) and "\t" in lines[j]:
                j += 1
            yield "table", lines[i:j]
            i = j
        else:
            yield "para", [lines[i]]
            i += 1


def docx_bytes(text: str) -> bytes:
    import docx

    document = docx.Document()
    for kind, lines in blocks(text):
        if kind == "para":
            document.add_paragraph(lines[0])
            continue
        rows = [line.split("\t") for line in lines]
        width = max(len(r) for r in rows)
        table = document.add_table(rows=len(rows), cols=width)
        for r, cells in enumerate(rows):
            for c, value in enumerate(cells):
                table.cell(r, c).text = value
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def cell_value(text: str) -> tuple[object, str]:
    """A pasted cell: (value, number format)."""
    match = _NUMBER.fullmatch(text)
    if not match or (text.startswith("0") and len(text) > 1 and not text.startswith("0.")):
        return text, "General"  # codes like 0411 stay text, as Excel keeps a leading zero
    decimals = len(match.group(1) or "")
    grouped = "," in text
    value: object = float(text.replace(",", "")) if decimals else int(text.replace(",", ""))
    fmt = ("#,##0" if grouped else "0") + ("." + "0" * decimals if decimals else "")
    return value, fmt if (decimals or grouped) else "General"


def xlsx_bytes(text: str, sheets: int = 1) -> bytes:
    """The lines as rows; with ``sheets`` > 1 split evenly over that many sheets."""
    import openpyxl

    book = openpyxl.Workbook()
    lines = text.rstrip("\n").split("\n")
    size = -(-len(lines) // sheets)
    for index in range(sheets):
        sheet = book.active if index == 0 else book.create_sheet()
        sheet.title = f"Sheet{index + 1}"
        for r, line in enumerate(lines[index * size : (index + 1) * size], 1):
            for c, piece in enumerate(line.split("\t"), 1):
                if piece:
                    value, fmt = cell_value(piece)
                    cell = sheet.cell(row=r, column=c, value=value)
                    cell.number_format = fmt
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def odt_bytes(text: str) -> bytes:
    from odf.opendocument import OpenDocumentText
    from odf.table import Table, TableCell, TableColumn, TableRow
    from odf.text import P

    doc = OpenDocumentText()
    for kind, lines in blocks(text):
        if kind == "para":
            doc.text.addElement(P(text=lines[0]))
            continue
        rows = [line.split("\t") for line in lines]
        table = Table()
        table.addElement(TableColumn(numbercolumnsrepeated=max(len(r) for r in rows)))
        for cells in rows:
            row = TableRow()
            for value in cells:
                cell = TableCell()
                cell.addElement(P(text=value))
                row.addElement(cell)
            table.addElement(row)
        doc.text.addElement(table)
    out = io.BytesIO()
    doc.write(out)
    return out.getvalue()


def ods_bytes(text: str) -> bytes:
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    doc = OpenDocumentSpreadsheet()
    table = Table(name="Sheet1")
    for line in text.rstrip("\n").split("\n"):
        row = TableRow()
        for piece in line.split("\t"):
            value, _ = cell_value(piece) if piece else ("", "")
            if isinstance(value, int | float):  # a number cell shows the text as written
                cell = TableCell(valuetype="float", value=value)
            else:
                cell = TableCell(valuetype="string")
            if piece:
                cell.addElement(P(text=piece))
            row.addElement(cell)
        table.addElement(row)
    doc.spreadsheet.addElement(table)
    out = io.BytesIO()
    doc.write(out)
    return out.getvalue()


def csv_bytes(text: str) -> bytes:
    """The text as a system's CSV export: a line's tab-separated pieces as quoted-when-
    needed cells (Python's csv writer, Excel's dialect), in UTF-8 with a BOM as Excel
    writes it."""
    import csv

    out = io.StringIO()
    writer = csv.writer(out)
    for line in text.split("\n")[:-1] if text.endswith("\n") else text.split("\n"):
        writer.writerow(line.split("\t"))
    return out.getvalue().encode("utf-8-sig")
