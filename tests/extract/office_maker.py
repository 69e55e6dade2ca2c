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


def pptx_bytes(text: str, per_slide: int = 6) -> bytes:
    """A deck of the export's blocks (python-pptx): each paragraph a text box, each run of
    tab lines a table, ``per_slide`` blocks a slide stacked top to bottom, and drawn
    bottom first, so that only reading by position gives the export's order."""
    from pptx import Presentation
    from pptx.util import Emu

    deck = Presentation()
    blank = deck.slide_layouts[6]
    items = list(blocks(text))
    step = Emu(int(deck.slide_height / (per_slide + 1)))
    width = Emu(int(deck.slide_width * 0.9))
    for start in range(0, len(items), per_slide):
        slide = deck.slides.add_slide(blank)
        chunk = list(enumerate(items[start : start + per_slide]))
        for k, (kind, lines) in reversed(chunk):
            top = Emu(step // 2 + k * step)
            if kind == "para":
                box = slide.shapes.add_textbox(Emu(step // 4), top, width, step)
                box.text_frame.text = lines[0]
                continue
            rows = [line.split("\t") for line in lines]
            cols = max(len(r) for r in rows)
            shape = slide.shapes.add_table(len(rows), cols, Emu(step // 4), top, width, step)
            for r, cells in enumerate(rows):
                for c, value in enumerate(cells):
                    shape.table.cell(r, c).text = value
    out = io.BytesIO()
    deck.save(out)
    return out.getvalue()


def kpi_deck_bytes() -> bytes:
    """A results deck as an office makes it (python-pptx): a title slide from the layout's
    placeholders; two boxes side by side drawn right first; a group; a table with a merged
    cell; a bar chart of quarterly results."""
    from pptx import Presentation
    from pptx.chart.data import CategoryChartData
    from pptx.enum.chart import XL_CHART_TYPE
    from pptx.util import Cm, Pt

    deck = Presentation()
    title = deck.slides.add_slide(deck.slide_layouts[0])
    title.shapes.title.text = "สรุปผลการดำเนินงานตามตัวชี้วัด ประจำปีงบประมาณ พ.ศ. ๒๕๖๗"
    title.placeholders[1].text = "สำนักงานเขตบางรัก\vไตรมาสที่ ๔"
    body = deck.slides.add_slide(deck.slide_layouts[6])
    right = body.shapes.add_textbox(Cm(13), Cm(2), Cm(10), Cm(2))
    right.text_frame.text = "ผลการดำเนินงาน ร้อยละ 85.5"
    left = body.shapes.add_textbox(Cm(1), Cm(2.2), Cm(10), Cm(2))
    left.text_frame.text = "ค่าเป้าหมาย ร้อยละ 80"
    group = body.shapes.add_group_shape()
    under = group.shapes.add_textbox(Cm(1), Cm(6), Cm(20), Cm(1))
    under.text_frame.text = "งบประมาณ 2.5 ล้านบาท"
    over = group.shapes.add_textbox(Cm(1), Cm(5), Cm(20), Cm(1))
    over.text_frame.text = "โครงการพัฒนาระบบติดตามผล"
    table = body.shapes.add_table(3, 3, Cm(1), Cm(8), Cm(22), Cm(3)).table
    for r, row in enumerate((("ตัวชี้วัด", "เป้าหมาย", "ผลงาน"), ("ร้อยละของผู้เข้าร่วม", "80", "85.5"))):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    table.cell(2, 0).merge(table.cell(2, 1))
    table.cell(2, 0).text = "รวมทั้งสิ้น"
    table.cell(2, 2).text = "1,250"
    chart = deck.slides.add_slide(deck.slide_layouts[5])
    chart.shapes.title.text = "ผลการเบิกจ่ายรายไตรมาส"
    data = CategoryChartData()
    data.categories = ["ไตรมาส 1", "ไตรมาส 2", "ไตรมาส 3", "ไตรมาส 4"]
    data.add_series("เป้าหมาย (ล้านบาท)", (1.5, 3.0, 4.5, 6.0))
    data.add_series("ผลการเบิกจ่าย (ล้านบาท)", (1.2, 2.75, 4.1, None))
    frame = chart.shapes.add_chart(
        XL_CHART_TYPE.COLUMN_CLUSTERED, Cm(2), Cm(4), Cm(20), Cm(12), data
    )
    frame.chart.has_title = True
    frame.chart.chart_title.text_frame.text = "ร้อยละการเบิกจ่าย"
    frame.chart.chart_title.text_frame.paragraphs[0].runs[0].font.size = Pt(18)
    out = io.BytesIO()
    deck.save(out)
    return out.getvalue()


def spreadsheet_ml_bytes(text: str) -> bytes:
    """The export as Excel 2003's XML Spreadsheet, the way web systems' "Export to Excel"
    writes it (and names it .xls): a row per line, numbers typed with their format."""
    from xml.sax.saxutils import escape

    styles: dict[str, str] = {}
    rows = []
    for line in text.rstrip("\n").split("\n"):
        cells = []
        for piece in line.split("\t"):
            value, fmt = cell_value(piece)
            if isinstance(value, str):
                cells.append(f'<Cell><Data ss:Type="String">{escape(value)}</Data></Cell>')
                continue
            style = styles.setdefault(fmt, f"s{len(styles) + 1}")
            cells.append(f'<Cell ss:StyleID="{style}"><Data ss:Type="Number">{value}</Data></Cell>')
        rows.append("<Row>" + "".join(cells) + "</Row>")
    style_xml = "".join(
        f'<Style ss:ID="{sid}"><NumberFormat ss:Format="{escape(fmt)}"/></Style>'
        for fmt, sid in styles.items()
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<?mso-application progid="Excel.Sheet"?>\n'
        '<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet" '
        'xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet">'
        f"<Styles>{style_xml}</Styles>"
        '<Worksheet ss:Name="Sheet1"><Table>' + "".join(rows) + "</Table></Worksheet></Workbook>"
    ).encode("utf-8")


def mhtml_bytes(
    page: str, charset: str = "windows-874", transfer: str = "quoted-printable"
) -> bytes:
    """A saved page as a MIME web archive, the way Internet Explorer and Word write one
    ("Single File Web Page"): multipart/related, the page in ``charset`` and ``transfer``
    encoding, then an image part."""
    from email.mime.image import MIMEImage
    from email.mime.multipart import MIMEMultipart
    from email.mime.nonmultipart import MIMENonMultipart

    archive = MIMEMultipart("related", type="text/html")
    archive["Subject"] = "Saved by Windows Internet Explorer"
    html = MIMENonMultipart("text", "html", charset=charset)
    body = page.encode({"windows-874": "cp874"}.get(charset, charset), errors="replace")
    if transfer == "quoted-printable":
        import quopri

        html.set_payload(quopri.encodestring(body).decode("ascii"))
    else:
        import base64

        html.set_payload(base64.encodebytes(body).decode("ascii"))
    html["Content-Transfer-Encoding"] = transfer
    html["Content-Location"] = "http://203.155.220.238/kpi/report.php"
    archive.attach(html)
    archive.attach(MIMEImage(b"\x89PNG\r\n\x1a\n" + b"\x00" * 16, "png"))
    return archive.as_bytes()
