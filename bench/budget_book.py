"""A large Thai budget table printed by LibreOffice Calc to PDF, like the Excel budget books
of the real corpus (a 428-page one among the 28 real PDFs the issue measured).

    .venv/bin/python bench/budget_book.py OUT.pdf [--rows N] [--seed S]

Rows of ministry / agency / project / plan / amounts in baht (Thai names, Arabic digits
with thousands separators), a bold header row repeated on every page, gridlines
printed; the sheet is written with xlsxwriter and converted by ``soffice --headless``.
About 40 rows a page: the default 14,000 rows give ~350 pages.  Deterministic for a
seed, so pdftotext and rayngan always read the same file.
"""

from __future__ import annotations

import argparse
import random
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

MINISTRIES = [
    "กระทรวงการคลัง",
    "กระทรวงมหาดไทย",
    "กระทรวงศึกษาธิการ",
    "กระทรวงสาธารณสุข",
    "กระทรวงเกษตรและสหกรณ์",
    "กระทรวงคมนาคม",
    "กระทรวงการพัฒนาสังคมและความมั่นคงของมนุษย์",
]
AGENCIES = [
    "สำนักงานปลัดกระทรวง",
    "กรมบัญชีกลาง",
    "กรมส่งเสริมการปกครองท้องถิ่น",
    "สำนักงานคณะกรรมการการศึกษาขั้นพื้นฐาน",
    "กรมควบคุมโรค",
    "กรมชลประทาน",
    "กรมทางหลวงชนบท",
    "กรมพัฒนาสังคมและสวัสดิการ",
]
WORKS = [
    "ก่อสร้างอาคารเรียน",
    "ปรับปรุงระบบประปาหมู่บ้าน",
    "ซ่อมแซมถนนลาดยาง",
    "จัดซื้อครุภัณฑ์การแพทย์",
    "พัฒนาระบบเทคโนโลยีสารสนเทศ",
    "ฝึกอบรมบุคลากร",
    "ขุดลอกคลองส่งน้ำ",
    "ส่งเสริมอาชีพเกษตรกร",
]
PLACES = ["จังหวัดเชียงใหม่", "จังหวัดขอนแก่น", "จังหวัดสงขลา", "จังหวัดชลบุรี", "จังหวัดนครราชสีมา"]
PLANS = ["แผนงานยุทธศาสตร์", "แผนงานพื้นฐาน", "แผนงานบูรณาการ", "แผนงานบุคลากรภาครัฐ"]
HEADER = ["ลำดับ", "กระทรวง / หน่วยงาน", "โครงการ", "แผนงาน", "งบประมาณ (บาท)", "เบิกจ่าย (บาท)"]
WIDTHS = [6, 62, 40, 18, 15, 15]  # characters: fits A4 landscape at 10 pt


def make_xlsx(path: Path, rows: int, seed: int) -> None:
    import xlsxwriter

    rng = random.Random(seed)
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("งบประมาณ")
    font = {"font_name": "Laksaman", "font_size": 10, "border": 1}
    head = book.add_format({**font, "bold": True, "bg_color": "#DDDDDD"})
    cell = book.add_format(font)
    money = book.add_format({**font, "num_format": "#,##0.00"})
    for col, width in enumerate(WIDTHS):
        sheet.set_column(col, col, width)
    sheet.write_row(0, 0, HEADER, head)
    for row in range(1, rows + 1):
        budget = rng.randrange(100_000, 900_000_000) / 100
        sheet.write_number(row, 0, row, cell)
        sheet.write_string(row, 1, f"{rng.choice(MINISTRIES)} {rng.choice(AGENCIES)}", cell)
        sheet.write_string(row, 2, f"{rng.choice(WORKS)} {rng.choice(PLACES)}", cell)
        sheet.write_string(row, 3, rng.choice(PLANS), cell)
        sheet.write_number(row, 4, budget, money)
        sheet.write_number(row, 5, round(budget * rng.random(), 2), money)
    sheet.set_landscape()
    sheet.set_paper(9)  # A4
    sheet.repeat_rows(0)
    sheet.fit_to_pages(1, 0)  # all columns on one page wide, as many pages tall as needed
    book.close()


def make_pdf(out: Path, rows: int = 14_000, seed: int = 2568) -> Path:
    """``out``, made once (kept while it exists)."""
    if out.exists():
        return out
    if shutil.which("soffice") is None:
        raise RuntimeError("soffice (LibreOffice) is not installed: it prints the budget book.")
    with tempfile.TemporaryDirectory() as tmp:
        sheet = Path(tmp) / f"{out.stem}.xlsx"
        make_xlsx(sheet, rows, seed)
        profile = Path(tmp) / "profile"  # its own profile: no clash with a running soffice
        subprocess.run(
            ["soffice", f"-env:UserInstallation=file://{profile}", "--headless",
             "--convert-to", "pdf", "--outdir", tmp, str(sheet)],
            check=True, capture_output=True, timeout=1200,
        )  # fmt: skip
        out.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(Path(tmp) / f"{out.stem}.pdf", out)
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--rows", type=int, default=14_000)
    ap.add_argument("--seed", type=int, default=2568)
    args = ap.parse_args()
    print(make_pdf(args.out, args.rows, args.seed))
    return 0


if __name__ == "__main__":
    sys.exit(main())
