#!/usr/bin/env python3
# ruff: noqa: E501  (template lines are kept whole, as they appear in the exports)
"""Synthetic corpus generator: realistic exports of the four report kinds + ground truth.

    python bench/gen.py OUT --count N --seed S [--kinds kpi_form,kr_sheet,...] [--start K]

Writes ``OUT/docs/NNN/NNNNNN.txt`` (shards of 1,000 files) and, per shard, the ground
truth as ``OUT/truth/NNN.jsonl`` (one JSON object per file, ``"file"`` is the path
relative to ``OUT/docs``).  Keeping the truth outside ``docs/`` lets ``rayngan ingest
OUT/docs`` see only exports.  Output is deterministic: file *i* depends only on
(seed, i), so a corpus can be grown or regenerated in parts.

The templates follow samples/ (000 kpi_form, 001 project_progress, 002/003 kr_sheet,
004 kpi_detail, samples/real/*), with the variations seen there: codes, agencies,
fiscal years 2560-2569, entry and post counts, date styles (d/m/BE, d/m/CE, m/d/CE
with an ISO heading, Thai month names), Thai and Arabic digits, and text damage
(ํา for ำ, ำา, PUA tone marks, zero-width characters, BOM, CRLF).  The truth holds
only facts the warehouse contract tables hold, in clean text; ``variants`` names
the variations used so accuracy can be broken down by them.
"""

from __future__ import annotations

import argparse
import calendar
import json
import random
import re
import sys
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import vocab as V

KINDS = ("kpi_form", "project_progress", "kr_sheet", "kpi_detail")
# Variations beyond what the samples show (a template nobody has seen yet): scored
# apart so they never hide a regression on the known templates.
EXTENDED_VARIANTS = frozenset({"date:thai_month_entry"})
SHARD = 1000
_TH = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")


def th(text: object) -> str:
    return str(text).translate(_TH)


# ----------------------------------------------------------------------------- dates


def fy_months(fy: int) -> list[tuple[int, int]]:
    """(year CE, month) of the twelve months of Buddhist-era fiscal year ``fy``."""
    start = fy - 544
    return [(start, m) for m in (10, 11, 12)] + [(start + 1, m) for m in range(1, 10)]


def quarter_of(d: date) -> int:
    return {10: 1, 11: 1, 12: 1, 1: 2, 2: 2, 3: 2, 4: 3, 5: 3, 6: 3}.get(d.month, 4)


def month_day(rng: random.Random, year: int, month: int) -> date:
    last = calendar.monthrange(year, month)[1]
    day = last if rng.random() < 0.6 else rng.randint(max(1, last - 6), last)
    return date(year, month, day)


def fmt_dmy(d: date, *, be: bool, pad: bool) -> str:
    year = d.year + 543 if be else d.year
    if pad:
        return f"{d.day:02d}/{d.month:02d}/{year}"
    return f"{d.day}/{d.month}/{year}"


def fmt_mdy_ce(d: date) -> str:
    return f"{d.month}/{d.day}/{d.year}"


def fmt_thai(d: date, rng: random.Random) -> str:
    """A Thai-month date as written in bodies: full or abbreviated month, 4- or 2-digit BE."""
    be = d.year + 543
    if rng.random() < 0.5:
        return f"{d.day} {V.MONTHS_FULL[d.month - 1]} {be}"
    year = str(be) if rng.random() < 0.6 else str(be)[2:]
    return f"{d.day} {V.MONTHS_ABBR[d.month - 1]} {year}"


def iso(d: date | None) -> str | None:
    return d.isoformat() if d else None


# ----------------------------------------------------------------------------- numbers


def fmt_int(n: int, rng: random.Random, comma_rate: float = 0.95) -> str:
    return f"{n:,}" if rng.random() < comma_rate else str(n)


def fmt_pct(x: float, style: str) -> str:
    return {"2": f"{x:.2f}", "4": f"{x:.4f}", "0": f"{x:g}"}[style]


# ----------------------------------------------------------------------------- damage


_ZW = ("\u200b", "\u200c", "\u200d", "\u2060")
_THAI_BASE = re.compile(r"[\u0e01-\u0e2e](?=[\u0e01-\u0e2e])")
_VOWEL_TONE = re.compile(r"([\u0e34-\u0e39])([\u0e48-\u0e49])")
_TONE = re.compile(r"(?<=[\u0e01-\u0e2e\u0e34-\u0e39])[\u0e48\u0e49]")
_ABOVE = re.compile(r"(?<=[\u0e01-\u0e2e])[\u0e34-\u0e37]")


def damage(text: str, rng: random.Random, variants: list[str]) -> str:
    """Apply the text damage seen in the samples; ``repair_text`` must undo all of it."""
    if rng.random() < 0.15:
        text = text.replace("ำ", "\u0e4dา")  # สํานัก: nikhahit + sara aa
        variants.append("damage:nikhahit_aa")
    elif rng.random() < 0.12:
        text = re.sub("ำ", lambda m: "ำา" if rng.random() < 0.4 else "ำ", text)  # ดำารง
        variants.append("damage:sara_am_aa")
    if rng.random() < 0.12:
        pua = {"\u0e48": "\uf70a", "\u0e49": "\uf70b"}
        text = re.sub("[\u0e48\u0e49]", lambda m: pua[m[0]] if rng.random() < 0.3 else m[0], text)
        variants.append("damage:pua_tone")
    if rng.random() < 0.06:  # tone mark typed before its vowel: ท่ี for ที่
        text = _VOWEL_TONE.sub(lambda m: m[2] + m[1] if rng.random() < 0.3 else m[0], text)
        variants.append("damage:mark_order")
    if rng.random() < 0.04:  # a doubled tone mark: ที่่
        text = _TONE.sub(lambda m: m[0] * 2 if rng.random() < 0.1 else m[0], text)
        variants.append("damage:doubled_mark")
    if rng.random() < 0.04:  # a PDF-tool space before an above vowel: ถ ึง
        text = _ABOVE.sub(lambda m: " " + m[0] if rng.random() < 0.05 else m[0], text)
        variants.append("damage:space_before_mark")
    if rng.random() < 0.05:
        text = re.sub(" ", lambda m: "\u00a0" if rng.random() < 0.3 else " ", text)
        variants.append("damage:nbsp")
    if rng.random() < 0.05:
        text = re.sub("(?m)(?<=\\S)$", lambda m: " " * rng.randint(0, 3), text)
        text = re.sub(
            "(?<=[\u0e00-\u0e7f]) (?=[\u0e00-\u0e7f])",
            lambda m: "  " if rng.random() < 0.1 else " ",
            text,
        )
        variants.append("damage:spaces")
    if rng.random() < 0.1:
        text = _THAI_BASE.sub(
            lambda m: m[0] + rng.choice(_ZW) if rng.random() < 0.02 else m[0], text
        )
        variants.append("damage:zero_width")
    return text


# ----------------------------------------------------------------------------- helpers


def pick_agency(rng: random.Random) -> tuple[str, str]:
    return rng.choice(V.AGENCIES)


def indicator_code(rng: random.Random, agency_code: str) -> str:
    if rng.random() < 0.05:
        return f"{agency_code}-{rng.randint(100, 999)}"
    return f"{agency_code}-{rng.randint(0, 9999):04d}"


def project_code(rng: random.Random, agency_code: str) -> str:
    mid = "0000" if rng.random() < 0.7 else f"{rng.randint(1, 99):02d}00"
    return f"{agency_code}{mid}-{rng.randint(1000, 9999)}"


def kpi_name(rng: random.Random) -> str:
    return rng.choice(V.KPI_PREFIXES) + rng.choice(V.SUBJECTS)


def filler_items(rng: random.Random, n: int, start: int = 1, sep: str = " ") -> str:
    items = rng.sample(V.FILLER, min(n, len(V.FILLER)))
    return sep.join(f"{i}. {t}" for i, t in enumerate(items, start))


def body_date_phrase(rng: random.Random, fy: int) -> str:
    """A distractor: a date inside a body sentence, never an entry date."""
    y, m = rng.choice(fy_months(fy))
    d = date(y, m, rng.randint(1, 28))
    return f"เมื่อวันที่ {fmt_thai(d, rng)}"


def post_title(rng: random.Random, variants: list[str]) -> str:
    if rng.random() < 0.06:
        if "tricky_titles" not in variants:
            variants.append("tricky_titles")
        return rng.choice(V.TRICKY_POST_TITLES)
    return rng.choice(V.POST_TITLES)


# ----------------------------------------------------------------------------- kpi_form


def gen_kpi_form(rng: random.Random, variants: list[str]) -> tuple[str, dict]:
    fy = rng.randint(2560, 2569)
    name = kpi_name(rng)
    strat = rng.choice(V.STRATEGIES)
    s1, s2, s3 = rng.randint(1, 7), rng.randint(1, 6), rng.randint(1, 5)
    thai_paths = rng.random() < 0.7
    dig = th if thai_paths else str
    if not thai_paths:
        variants.append("digits:arabic_paths")
    unit = "ระดับ" if rng.random() < 0.8 else "ร้อยละ"
    target = 5 if unit == "ระดับ" else rng.choice((80, 90, 100))
    achieved = rng.randint(3, 5) if unit == "ระดับ" else rng.randint(60, 100)
    level_digits = [rng.random() < 0.6 for _ in range(5)]  # Thai or Arabic per line

    out = [
        "",
        "",
        f"1. ชื่อตัวชี้วัด : {name}",
        "",
        "2. ระดับความสำเร็จ : ผลผลิต (Output) ผลลัพธ์ (Outcome)",
        "",
    ]
    out += ["**** สนับสนุนแผนพัฒนา กทม. ระยะ 20 ปี (ยุทธศาสตร์-ประเด็นยุทธศาสตร์-กลยุทธ์ตามแผนฯ /ตัวชี้วัด)**", ""]
    out += [f"ประเด็นยุทธศา : ด้านที่ {dig(s1)} -{strat[0]} : {strat[1]}", ""]
    out += [f"----- ย่อย : {dig(f'{s1}.{s2}')} - {strat[2]}", ""]
    out += [f"เป้าประสงค์ที่ : {dig(f'{s1}.{s2}.{s3}')} {strat[3]}", ""]
    out += ["3. คำนิยาม :", "", ":: นิยาม/คำอธิบาย", ""]
    for p in rng.sample(V.PARAGRAPHS, 2):
        out += [p, ""]
    out += ["4. วิธีการคำนวณ :", ""]
    for lvl in range(1, 6):
        num = th(lvl) if level_digits[lvl - 1] and lvl > 1 else str(lvl)
        prefix = ":: " if lvl == 1 else ""
        out += [f"{prefix}ระดับที่ {num} : {V.LEVEL_STEPS[lvl - 1]}", ""]
    out += [f"5. เป้าหมาย : {target} ({unit})", "", f": ผลงานที่ทำได้ = {achieved} ({unit})", ""]
    out += ["6. รายงานผลการดำเนินงาน (รายไตรมาส) :", ""]

    entries, dated_any = _kpi_form_quarters(rng, fy, out, variants)
    out += ["(6.5) สรุปผลการดำเนินงาน (ปลายปีงบประมาณ) :", "", "- :: ดำเนินการ"]
    out += [filler_items(rng, 3, sep="\n ")]
    close = date(fy - 543, 10, rng.randint(5, 25))
    out += [f"(กำหนดดำเนินการถึงวันที่ {close.day} {V.MONTHS_FULL[9]} {fy})", ""]
    out += ["7. ปัจจัยสนับสนุนการดำเนินงาน :", "", ":: ดำเนินการได้ตามแผนงานที่กำหนด", ""]
    out += ["8. อุปสรรคต่อการดำเนินงาน :", "", "", "", ":: ไม่มี-ไม่มี-ไม่มี-", ""]
    out += ["9. หลักฐานอ้างอิง :", "", ":: แฟ้มเอกสารการดำเนินงานตามตัวชี้วัด", ""]
    out += [
        "ขอรับรองว่า ข้อมูลที่ปรากฏในเอกสารฉบับนี้ หน่วยงานได้จัดพิมพ์จากระบบงานจริง เพื่อเป็นหลักฐานไว้ตรวจสอบ",
        "",
    ]
    out += ["ลงชื่อ.....(ผู้รายงานข้อมูล)", "", "(.....)", "", "ตำแหน่ง", ""]
    truth = {
        "code": None,
        "fiscal_year": fy if dated_any else None,
        "indicators": [
            {
                "code": None,
                "name": name,
                "target_value": target,
                "target_unit": unit,
                "achieved_value": achieved,
            }
        ],
        "report_entries": entries,
        "success_levels": [{"level": lvl, "pct": None} for lvl in range(1, 6)],
        "strategy_links": [{"path": p} for p in (f"{s1}", f"{s1}.{s2}", f"{s1}.{s2}.{s3}")],
    }
    return "\n".join(out), truth


def _kpi_form_quarters(
    rng: random.Random, fy: int, out: list[str], variants: list[str]
) -> tuple[list[dict], bool]:
    months = fy_months(fy)
    entries: list[dict] = []
    thai_dates = rng.random() < 0.08
    if thai_dates:
        variants.append("date:thai_month_entry")
    pad = rng.random() < 0.2
    dated_any = False
    for q in range(1, 5):
        mode = rng.choices(("dated", "undated", "empty"), (0.75, 0.2, 0.05))[0]
        if q == 4 and not dated_any:
            mode = "dated"
        head = f"(6.{q}) ไตรมาสที่ {q} :"
        if mode == "empty":
            out += [head, ""]
            variants.append("empty_quarter")
            continue
        if mode == "undated":
            out += [f"{head} {filler_items(rng, 1)}", "", filler_items(rng, 1, start=2), ""]
            entries.append({"entry_no": len(entries) + 1, "quarter": q, "report_date": None})
            continue
        dated_any = True
        qmonths = months[(q - 1) * 3 : q * 3]
        chosen = sorted(rng.sample(qmonths, rng.randint(1, 3)))
        for k, (y, m) in enumerate(chosen):
            d = month_day(rng, y, m)
            ds = fmt_thai(d, rng) if thai_dates else fmt_dmy(d, be=True, pad=pad)
            sep = " : " if rng.random() < 0.85 else " "
            lead = rng.choice(("ดำเนินการ ดังนี้", "อยู่ระหว่างขั้นตอน...", "ดำเนินการ"))
            line = f"{ds}{sep}{lead}"
            out.append(f"{head} {line}" if k == 0 else line)
            out.append("")
            n = rng.randint(2, 5)
            out.append(filler_items(rng, n, sep="\n"))
            out.append("")
            entries.append({"entry_no": len(entries) + 1, "quarter": q, "report_date": iso(d)})
    return entries, dated_any


# ----------------------------------------------------------------------------- reach bodies


def reach_items(
    rng: random.Random,
    n: int,
    entry_no: int,
    d: date,
    prefix: str,
    variants: list[str],
    metrics: list[dict],
) -> str:
    """``n`` numbered posts each with a reach or view count; records the metrics."""
    if rng.random() < 0.7:
        word, metric = rng.choice((("ยอดการเข้าถึง", "reach"), ("ยอดผู้เข้าถึง", "reach")))
    else:
        word, metric = "ยอดผู้เข้าชม", "views"
    unit = "คน" if rng.random() < 0.75 else "ราย"
    parts = []
    for i in range(1, n + 1):
        item = f"{prefix}{i}"
        value = rng.randint(900, 120_000)
        w = word
        if metric == "views" and rng.random() < 0.08:
            w = "ยอดผุ้เข้าชม"
            variants.append("typo:views")
        u = unit
        if rng.random() < 0.02:
            u = "น."
            variants.append("typo:unit_n")
        label = item if prefix else f"{item}."  # "1. title ..." but "2.1 title ..."
        parts.append(f"{label} {post_title(rng, variants)} {w} {fmt_int(value, rng)} {u}")
        metrics.append(
            {
                "entry_no": entry_no,
                "report_date": iso(d),
                "item_no": item,
                "metric": metric,
                "value": value,
                "unit": u,
            }
        )
    return " ".join(parts)


# ----------------------------------------------------------------------------- project_progress


def gen_project_progress(rng: random.Random, variants: list[str]) -> tuple[str, dict]:
    if rng.random() < 0.04:
        return _project_progress_headless(rng, variants)
    fy = rng.randint(2560, 2569)
    agency, acode = pick_agency(rng)
    code = project_code(rng, acode)
    title = rng.choice(V.PROJECT_PREFIXES) + rng.choice(V.SUBJECTS)
    person = rng.choice(V.PEOPLE)
    phone = str(rng.randint(1000, 9999))
    contact_style = rng.choices(("tel", "paren", "none"), (0.7, 0.15, 0.15))[0]
    contact_line = {
        "tel": f"{person} โทร. {phone}",
        "paren": f"{person} ({phone})",
        "none": person,
    }[contact_style]
    assess_q, assess_score = rng.randint(1, 4), rng.choice((100, 100, 100, 50, None))
    months = fy_months(fy)
    n_entries = rng.randint(3, 9)
    chosen = sorted(rng.sample(range(12), n_entries))
    pct_steps = sorted(rng.sample(range(5, 101, 5), n_entries))
    pct_style = rng.choice(("2", "0"))
    entries, metrics, blocks = [], [], []
    body_style = rng.choices(
        ("be_pad", "ce_pad", "mdy_ce", "mixed", "be_2digit"), (0.45, 0.15, 0.1, 0.25, 0.05)
    )[0]
    variants.append(f"date:{body_style}")
    iso_time = rng.random() < 0.05
    if iso_time:
        variants.append("date:iso_time_heading")
    # Newest first, as the system prints them.
    for no, (mi, pct) in enumerate(zip(reversed(chosen), reversed(pct_steps), strict=True), 1):
        y, m = months[mi]
        d = month_day(rng, y, m)
        style = body_style if body_style != "mixed" else rng.choice(("be_pad", "ce_pad", "mdy_ce"))
        ds = {
            "be_pad": fmt_dmy(d, be=True, pad=True),
            "ce_pad": fmt_dmy(d, be=False, pad=True),
            "mdy_ce": fmt_mdy_ce(d),
            "be_2digit": fmt_dmy(d, be=True, pad=True)[:-4] + str(d.year + 543)[2:],
        }[style]
        sep = " : " if rng.random() < 0.85 else " "
        body = _pp_body(rng, no, d, fy, variants, metrics)
        heading = (
            d.isoformat()
            if not iso_time
            else f"{d.isoformat()} {rng.randint(8, 17):02d}:{rng.randint(0, 59):02d}:00"
        )
        blocks += [
            f"({no}) ความคืบหน้าโครงการฯ ร้อยละ {pct:.2f} ({heading})",
            "",
            f"{pct:.2f}",
            "",
            f"{ds}{sep}{body}",
            "",
            "** ปัญหาของโครงการ :ไม่มี",
            "",
            "** อุปสรรคของโครงการ :ไม่มี",
            "",
            "------------------&&&--------------------",
            "",
        ]
        entries.append(
            {
                "entry_no": no,
                "quarter": quarter_of(d),
                "report_date": iso(d),
                "progress_pct": float(pct),
            }
        )
    progress = float(pct_steps[-1])
    top = fmt_pct(progress, pct_style)
    star = "** " if rng.random() < 0.6 else ""
    score_txt = f" {assess_score}" if assess_score is not None else ""
    out = [
        "ความคืบหน้าโครงการ/กิจกรรม",
        "",
        "Back Home",
        "FusionCharts will render here",
        "",
        f"{title} : {code}",
        "",
        f"{star}{agency} : ({fy})",
        "",
        top,
        "",
        f"ความคืบหน้าโครงการ ร้อยละ {top}",
        "",
        contact_line,
        "",
        "ดูโครงการแผนปีฯ : พิมพ์ข้อมูล",
        "",
        f"*** สยป. ประเมินโครงการ : ไตรมาสที่ {assess_q}{score_txt}",
        "",
        "หลักการและเหตุผล",
        "",
        rng.choice(V.PARAGRAPHS),
        "",
        f"{code[:8]}/{code[:8]}",
        "",
        "วัตถุประสงค์ของโครงการ",
        "",
        rng.choice(V.PARAGRAPHS),
        "",
        "เป้าหมายของโครงการ",
        "",
        f"ร้อยละ {rng.choice((80, 90, 100))} ของจำนวนผลงานที่นำเสนอ ต้องมีผู้เข้าชมไม่น้อยกว่า 3,000 ราย",
        "",
        "สนับสนุนยุทธศาสตร์กรุงเทพมหานครฯ",
        "",
        "**** ภารกิจงานประจำของหน่วยงาน ****",
        "**** ภารกิจงานประจำของหน่วยงาน ****%",
        "",
        "ผลการดำเนินงาน",
        "",
    ]
    out += blocks
    steps = _plan_steps(rng, fy, out, code)
    indicators, quarterly = _linked_kpi(rng, acode, out)
    out += ["", "** ผลการประเมินโครงการ (รายไตรมาส) **", ""]
    contact = {"name": person, "phone": phone if contact_style != "none" else None}
    truth = {
        "code": code,
        "title": title,
        "fiscal_year": fy,
        "agency": agency,
        "progress_pct": progress,
        "report_entries": entries,
        "reach_metrics": metrics,
        "plan_steps": steps,
        "indicators": indicators,
        "quarterly_results": quarterly,
        "contacts": [contact],
        "assessments": [{"quarter": assess_q, "score": assess_score}],
    }
    return "\n".join(out), truth


def _pp_body(
    rng: random.Random, no: int, d: date, fy: int, variants: list[str], metrics: list[dict]
) -> str:
    year = d.year + 543
    if rng.random() < 0.04:
        year -= 1  # sample 001 says "มีนาคม 2563" in a 2564 report: the heading date wins
        variants.append("body:wrong_year")
    month = f"{V.MONTHS_FULL[d.month - 1]} {year}"
    kind = rng.choices(("posts", "subitems", "plain"), (0.65, 0.1, 0.25))[0]
    if kind == "plain":
        return f"อยู่ระหว่างขั้นตอนสรุปผลการดำเนินงานประจำเดือน{month} {rng.choice(V.FILLER)}"
    n = rng.randint(3, 8)
    if kind == "subitems":
        variants.append("reach:subitems")
        items = reach_items(rng, n, no, d, "2.", variants, metrics)
        return (
            f"อยู่ระหว่างขั้นตอน... 1. {rng.choice(V.FILLER)} 2. ดำเนินงานเผยแพร่"
            f"ผ่านสื่อสังคมออนไลน์ในเดือน{month} ดังนี้ {items}"
        )
    declared = ""
    if rng.random() < 0.6:
        count = n if rng.random() < 0.9 else n + 2
        if count != n:
            variants.append("reach:count_mismatch")
        unit = "ครั้ง" if rng.random() < 0.8 else "เรื่อง"
        declared = f" จำนวน {count} {unit}"
        metrics.append(
            {
                "entry_no": no,
                "report_date": iso(d),
                "item_no": None,
                "metric": "posts",
                "value": count,
                "unit": unit,
            }
        )
    items = reach_items(rng, n, no, d, "", variants, metrics)
    return (
        f"มีการเผยแพร่อินโฟกราฟฟิกเพื่อสร้างภาพลักษณ์ของกรุงเทพมหานครผ่านสื่อสังคมออนไลน์"
        f"ไปในเดือน{month} ไปแล้ว{declared} ดังนี้ {items}"
    )


def _plan_steps(rng: random.Random, fy: int, out: list[str], code: str) -> list[dict]:
    n = rng.randint(2, 5)
    cuts = sorted(rng.sample(range(1, 20), n - 1))
    weights = [(b - a) * 5 for a, b in zip([0, *cuts], [*cuts, 20], strict=True)]
    start0 = date(fy - 544, 10, 1)
    steps = []
    out += ["แผนการดำเนินงานฯ", ""]
    for i, w in enumerate(weights, 1):
        s = start0 + timedelta(days=rng.randint(0, 200))
        e = s + timedelta(days=rng.randint(0, 150))
        t = rng.choice(("00:00:00", "00:00:00", "13:05:07"))
        out += [
            f"ขั้นตอน {i}",
            f":{rng.choice(V.FILLER)}",
            f":{w}%",
            f"เริ่มต้น :{s.isoformat()} {t}",
            f"สิ้นสุด :{e.isoformat()} {t}",
        ]
        steps.append(
            {"step_no": i, "weight_pct": float(w), "start_date": iso(s), "end_date": iso(e)}
        )
    out += [
        "",
        f"(ทดสอบ) แสดงขั้นตอนการดำเนินงานโครงการ : {code}",
        "",
        f"(คลิก) ขั้นตอนการปฏิบัติงานของโครงการ : {code}",
        "",
    ]
    return steps


def _quarter_table(
    rng: random.Random, code: str, unit: str, out: list[str], blank_rate: float
) -> list[dict]:
    out += ["ไตรมาสที่", "(1 - 4)", "*ผลงาน*", f"({unit})", "*ผลประเมินตัวชี้วัด*", "(* 2.1 / 2.2 *)"]
    rows, value = [], 0.0
    score_fmt = rng.choice(("{:g}", "{:.4f}"))
    for q in range(1, 5):
        value = min(100.0, value + rng.choice((5, 10, 15, 20, 25, 30, 35)))
        score = rng.choice((100.0, 100.0, 100.0, 0.0))
        blank = rng.random() < blank_rate
        e1, e2 = (100.0, 100.0) if score else (0.0, 0.0)
        out += [
            str(q),
            f"{value:.2f}",
            "" if blank else score_fmt.format(score),
            f"{e1:g} / {e2:g}",
        ]
        rows.append(
            {
                "code": code,
                "quarter": q,
                "result_pct": value,
                "score": None if blank else score,
                "eval_1": e1,
                "eval_2": e2,
            }
        )
    return rows


def _linked_kpi(rng: random.Random, acode: str, out: list[str]) -> tuple[list[dict], list[dict]]:
    code = indicator_code(rng, acode)
    name = kpi_name(rng)
    target, achieved = rng.choice((80, 90, 100)), rng.randint(40, 100)
    itype = rng.choice(("ตัวชี้วัดเชิงยุทธศาสตร์", "ตัวชี้วัดงานประจำ"))
    level = rng.choice(("output", "outcome"))
    lvl_th = "ผลผลิต" if level == "output" else "ผลลัพธ์"
    out += [
        "สนับสนุนตัวชี้วัดตามแผนฯ",
        "",
        f"รายละเอียดเกี่ยวกับตัวชี้วัด : {code}",
        "",
        f"ตัวชี้วัด : {name}",
        "",
        f"ค่าเป้าหมาย ร้อยละ : {target}",
        "",
        f"ผลงานที่ทำได้ ร้อยละ : {achieved}",
        "",
        f"ประเภทตัวชี้วัด : {itype}",
        f"ตัวชี้วัดระดับ{lvl_th} ({level})",
        "",
    ]
    quarterly = _quarter_table(rng, code, "ร้อยละ", out, blank_rate=0.8)
    ind = {
        "code": code,
        "name": name,
        "indicator_type": itype,
        "result_level": level,
        "target_value": float(target),
        "target_unit": "ร้อยละ",
        "achieved_value": float(achieved),
    }
    return [ind], quarterly


def _project_progress_headless(rng: random.Random, variants: list[str]) -> tuple[str, dict]:
    variants.append("headless")
    pct = rng.choice((15, 50, 80, 100))
    person, phone = rng.choice(V.PEOPLE), str(rng.randint(1000, 9999))
    q = rng.randint(1, 4)
    out = [
        f"ความคืบหน้าโครงการ ร้อยละ {pct}",
        f"{person} โทร. {phone}",
        "ดูโครงการแผนปีฯ : พิมพ์ข้อมูล",
        f"*** สยป. ประเมินโครงการ : ไตรมาสที่ {q}",
    ]
    out += rng.sample(V.PARAGRAPHS, 3)
    truth = {
        "code": None,
        "progress_pct": float(pct),
        "contacts": [{"name": person, "phone": phone}],
        "assessments": [{"quarter": q, "score": None}],
    }
    return "\n".join(out) + "\n", truth


# ----------------------------------------------------------------------------- kpi_detail


def gen_kpi_detail(rng: random.Random, variants: list[str]) -> tuple[str, dict]:
    if rng.random() < 0.04:
        return _kpi_detail_headless(rng, variants)
    fy = rng.randint(2560, 2569)
    _, acode = pick_agency(rng)
    code = indicator_code(rng, acode)
    name = kpi_name(rng)
    unit = "ร้อยละ" if rng.random() < 0.85 else rng.choice(("แห่ง", "ครั้ง", "ชุมชน"))
    target = float(rng.choice((30, 60, 80, 90, 100)) if unit == "ร้อยละ" else rng.randint(5, 40))
    achieved = float(rng.randint(int(target * 0.6), int(target * 1.2) + 1))
    num_style = rng.choice(("0", "0", "4"))
    itype = rng.choice(("ตัวชี้วัดเชิงยุทธศาสตร์", "ตัวชี้วัดงานประจำ"))
    level = rng.choice(("output", "outcome"))
    lvl_th = "ผลผลิต" if level == "output" else "ผลลัพธ์"
    aq, ascore = rng.randint(1, 4), rng.choice((100.0, 100.0, None))
    ascore_txt = f" {fmt_pct(ascore, num_style)}" if ascore is not None else ""
    out = [
        "รายละเอียดตัวชี้วัด",
        "",
        "Back Home",
        "",
        f"{name} : {code}",
        "",
        f"ค่าเป้าหมาย {unit} : {fmt_pct(target, num_style)}",
        "",
        f"ผลงานที่ทำได้ {unit} : {fmt_pct(achieved, num_style)}",
        "",
        f"ประเภทตัวชี้วัด : {itype}",
        f"(ตัวชี้วัดระดับ{lvl_th} ({level}))",
        "",
        "0",
        "",
        "รายละเอียดตัวชี้วัดฯ : พิมพ์ข้อมูล",
        "",
        f"*** สยป. ตรวจประเมินตัวชี้วัด : ไตรมาสที่ {aq}:{ascore_txt}",
        "",
        "ผลงานเทียบกับเป้าหมายรายไตรมาส",
        "",
    ]
    quarterly = _quarter_table(rng, code, unit, out, blank_rate=0.1)
    out.append("")
    entries, metrics, dated_any = _kpi_detail_reports(rng, fy, out, variants)
    out += [
        "** สรุปผลการดำเนินงาน **",
        "",
        "นิยาม หรือความหมายของตัวชี้วัด",
        "",
        " ".join(rng.sample(V.PARAGRAPHS, 2)),
        "",
        "วิธีการคำนวณ หรือ เกณฑ์การประเมิน",
        "",
        f"คำนวณจาก{rng.choice(V.KPI_PREFIXES)}{rng.choice(V.SUBJECTS)}",
        "",
        "วิธีการการเก็บข้อมูล/แหล่งข้อมูล",
        "",
        filler_items(rng, 5).replace(". ", ") "),
        "",
        "สนับสนุนยุทธศาสตร์กรุงเทพมหานครฯ",
        "",
    ]
    strat = rng.choice(V.STRATEGIES)
    s1, s2, s3, s4 = rng.randint(1, 7), rng.randint(1, 6), rng.randint(1, 5), rng.randint(1, 4)
    dig = th if rng.random() < 0.8 else str
    out += [
        f":ด้านที่ {dig(s1)} - {strat[0]} : {strat[1]}",
        f":{dig(f'{s1}.{s2}')} - {strat[2]}",
        f":{dig(f'{s1}.{s2}.{s3}')} {strat[3]}%",
        f":{dig(f'{s1}.{s2}.{s3}.{s4}')} {strat[4]}",
        "",
        "โครงการ/กิจกรรมที่สนับสนุนตัวชี้วัด",
        "",
        "ฐานข้อมูลประกอบตัวชี้วัดการพัฒนาเมือง",
    ]
    paths = [f"{s1}", f"{s1}.{s2}", f"{s1}.{s2}.{s3}", f"{s1}.{s2}.{s3}.{s4}"]
    truth = {
        "code": code,
        "title": name,
        "fiscal_year": fy if dated_any else None,
        "indicators": [
            {
                "code": code,
                "name": name,
                "indicator_type": itype,
                "result_level": level,
                "target_value": target,
                "target_unit": unit,
                "achieved_value": achieved,
            }
        ],
        "quarterly_results": quarterly,
        "report_entries": entries,
        "reach_metrics": metrics,
        "assessments": [{"quarter": aq, "score": ascore}],
        "strategy_links": [{"path": p} for p in paths],
    }
    if not dated_any:
        del truth["fiscal_year"]  # not stated anywhere: not a fact
    return "\n".join(out), truth


def _kd_activity(
    rng: random.Random, fy: int, item: str, no: int, d: date, metrics: list[dict]
) -> str:
    vals = {
        "reach": rng.randint(2_000, 40_000),
        "likes": rng.randint(20, 900),
        "shares": rng.randint(5, 300),
        "comments": rng.randint(3, 200),
    }
    for metric, unit in (
        ("reach", "คน"),
        ("likes", "คน"),
        ("shares", "ครั้ง"),
        ("comments", "ความคิดเห็น"),
    ):
        metrics.append(
            {
                "entry_no": no,
                "report_date": iso(d),
                "item_no": item,
                "metric": metric,
                "value": vals[metric],
                "unit": unit,
            }
        )
    return (
        f"{item}. จัดกิจกรรมให้ประชาชนร่วมแสดงความคิดเห็นทาง Facebook Fanpage กรุงเทพมหานคร "
        f"{body_date_phrase(rng, fy)} โดยมียอดการเข้าถึง {fmt_int(vals['reach'], rng)} คน "
        f"กดถูกใจ {fmt_int(vals['likes'], rng)} คน แชร์ {vals['shares']} ครั้ง "
        f"แสดงความคิดเห็น {vals['comments']} ความคิดเห็น"
    )


def _kd_dated_body(rng: random.Random, fy: int, no: int, d: date, metrics: list[dict]) -> str:
    kind = rng.choices(("totals", "activities", "plain"), (0.45, 0.25, 0.3))[0]
    if kind == "plain":
        return f"อยู่ระหว่างดำเนินการ {filler_items(rng, rng.randint(3, 6))}"
    posts, total = rng.randint(10, 120), rng.randint(50_000, 1_500_000)
    metrics.append(
        {
            "entry_no": no,
            "report_date": iso(d),
            "item_no": None,
            "metric": "posts",
            "value": posts,
            "unit": "ครั้ง",
        }
    )
    metrics.append(
        {
            "entry_no": no,
            "report_date": iso(d),
            "item_no": None,
            "metric": "reach_total",
            "value": total,
            "unit": "คน",
        }
    )
    text = (
        "ดำเนินการเผยแพร่สื่อรณรงค์ในรูปแบบต่าง ๆ เช่น Infographic และคลิปประชาสัมพันธ์ ฯลฯ "
        f"เผยแพร่ผ่านช่องทางออนไลน์ของหน่วยงาน จำนวน {posts} ครั้ง "
        f"มียอดผู้เข้าถึงรวมทั้งหมด {fmt_int(total, rng)} คน"
    )
    if kind == "totals":
        return text
    acts = " ".join(
        _kd_activity(rng, fy, str(i), no, d, metrics) for i in range(2, rng.randint(3, 4))
    )
    return f"ดำเนินการไปแล้ว ดังนี้ 1. {text} {acts}"


def _kpi_detail_reports(
    rng: random.Random, fy: int, out: list[str], variants: list[str]
) -> tuple[list[dict], list[dict], bool]:
    months = fy_months(fy)
    entries: list[dict] = []
    metrics: list[dict] = []
    same_line = rng.random() < 0.6
    ce = rng.random() < 0.08
    if ce:
        variants.append("date:dmy_ce")
    pad = rng.random() < 0.8
    dated_any = False
    undated_only = rng.random() < 0.15
    for q in range(1, 5):
        out += [f"รายงานผลฯ ไตรมาสที่ {q}", ""]
        mode = rng.choices(("dated", "undated", "empty"), (0.7, 0.25, 0.05))[0]
        if undated_only:
            mode = "undated"
        if mode == "empty":
            variants.append("empty_quarter")
            continue
        if mode == "undated":
            # A bare "รวมทั้งสิ้นจำนวน N ครั้ง" (sample 004, Q4) is left out: whether it
            # counts publications or activities is a judgement, not a fact.
            out += [" ".join(rng.sample(V.FILLER, rng.randint(1, 3))), ""]
            entries.append({"entry_no": len(entries) + 1, "quarter": q, "report_date": None})
            continue
        dated_any = True
        chosen = sorted(rng.sample(months[(q - 1) * 3 : q * 3], rng.randint(1, 3)))
        parts = []
        for y, m in chosen:
            d = month_day(rng, y, m)
            no = len(entries) + 1
            parts.append(
                f"{fmt_dmy(d, be=not ce, pad=pad)} : {_kd_dated_body(rng, fy, no, d, metrics)}"
            )
            entries.append({"entry_no": no, "quarter": q, "report_date": iso(d)})
        out += [" ".join(parts)] if same_line else parts
        out.append("")
    if not same_line:
        variants.append("entries:one_per_line")
    return entries, metrics, dated_any


def _kpi_detail_headless(rng: random.Random, variants: list[str]) -> tuple[str, dict]:
    variants.append("headless")
    target = float(rng.choice((15, 60, 70, 88.85)))
    achieved = round(target * rng.uniform(0.8, 1.3), 3)
    itype = "ตัวชี้วัดเชิงยุทธศาสตร์"
    q = rng.randint(1, 4)
    out = [
        f"ค่าเป้าหมาย ร้อยละ : {target:g}",
        f"ผลงานที่ทำได้ ร้อยละ : {achieved:g}",
        f"ประเภทตัวชี้วัด : {itype}",
        "(ตัวชี้วัดระดับผลผลิต (output))",
        "รายละเอียดตัวชี้วัดฯ : พิมพ์ข้อมูล",
        f"*** สยป. ตรวจประเมินตัวชี้วัด : ไตรมาสที่ {q}:",
    ]
    out += rng.sample(V.FILLER, 4)
    truth = {
        "code": None,
        "indicators": [
            {
                "code": None,
                "indicator_type": itype,
                "result_level": "output",
                "target_value": target,
                "target_unit": "ร้อยละ",
                "achieved_value": achieved,
            }
        ],
        "assessments": [{"quarter": q, "score": None}],
    }
    return "\n".join(out) + "\n", truth


# ----------------------------------------------------------------------------- kr_sheet


def gen_kr_sheet(rng: random.Random, variants: list[str]) -> tuple[str, dict]:
    fy = rng.randint(2565, 2569)
    thai = rng.random() < 0.85
    dig = th if thai else str
    if not thai:
        variants.append("digits:arabic")
    layout = rng.choice(("tabs", "paragraphs"))
    variants.append(f"kr:{layout}")
    has_code = rng.random() < 0.75
    code = str(rng.randint(1000, 9999)) if has_code else None
    subject = rng.choice(V.SUBJECTS)
    name = rng.choice(("ร้อยละความสำเร็จใน", "จำนวนผลงานจาก", "ระดับความสำเร็จของ")) + subject
    host, _ = pick_agency(rng)
    host = host.split(" ")[0]
    aspect, issue = rng.choice(V.KR_ASPECTS)
    unit = rng.choice(V.KR_UNITS)
    target = rng.randint(1, 30)
    person, position = rng.choice(V.PEOPLE), rng.choice(V.POSITIONS)
    phone = str(rng.randint(1000, 9999))
    stray = "๐" if rng.random() < 0.2 else ""
    code_txt = f"รหัส {dig(code)} ชื่อ KRs {name}" if code else f"รหัส ชื่อ KRs {name}"
    p = (lambda s: f"<p>{s}</p>") if layout == "paragraphs" else (lambda s: s)
    roles = " ".join(p(f"{dig(i)}. {t}") for i, t in enumerate(rng.sample(V.FILLER, 10), 1))
    out = [
        "",
        "",
        f"รายละเอียด KRs ตามเป้าหมายการพัฒนาของ{stray}สำนักงานเขต",
        f"และแผนปฏิบัติการราชการกรุงเทพมหานคร ประจำปี พ.ศ. {dig(fy)}",
        "",
        code_txt,
        "",
        f"หน่วยงานผู้รับผิดชอบหลัก (Host : H) {host}",
        "",
        f"ด้าน {aspect} ประเด็นการพัฒนา {issue}",
        "",
        "ลักษณะหน่วยงานที่รับผิดชอบ",
        "",
        "ดำเนินการหน่วยงานเดียว",
        "",
        "มีหน่วยงานสนับสนุน (R) ร่วมดำเนินการ",
        "",
        "หน่วยงาน (R) ระดับสำนัก/สำนักงาน",
        "",
        "หน่วยงาน (R) ระดับสำนักงานเขต",
        "",
        "ประเด็น\tรายละเอียด\t\t",
        f"ค่าเป้าหมายรวม ปีงบประมาณ พ.ศ. {dig(fy)}\tค่าเป้าหมาย : {dig(target)} หน่วยนับ : {unit}\t\t",
        "นิยาม\t" + " ".join(p(x) for x in rng.sample(V.PARAGRAPHS, 3)) + "\t\t",
        "วิธีคำนวณ/ วัดผลการดำเนินงาน/ สูตรคำนวณ\tตรวจสอบจากผลการดำเนินงานเทียบกับระดับความสำเร็จ\t\t",
        f"ค่าเป้าหมาย ของหน่วยงาน รับผิดชอบหลัก (H) หน่วยงานสนับสนุน (R) และบทบาท ภารกิจที่เกี่ยวข้อง\tหน่วยนับ : {unit}\t\t",
        "\tชื่อหน่วยงาน/ ส่วนราชการ\tค่าเป้าหมาย\tบทบาทภารกิจ",
        f"\tหน่วยงาน {host}\t{dig(target)} {unit}\t{roles}",
        "",
        "ประเด็น\tรายละเอียด\t\t",
        "\t\t\t" + " ".join(p(x) for x in rng.sample(V.FILLER, 4)),
        "\t*กรณีเป็น สำนักงานเขต ให้ระบุราย สำนักงานเขต\t\t",
        "เอกสารอ้างอิง เพิ่มเติม\t"
        + p('<input checked="checked" type="checkbox"/> มาตรฐานการดำเนินงาน')
        + " "
        + p('<input type="checkbox"/> ตัวอย่างการปฏิบัติงานที่ดี')
        + "\t\t",
        "ช่องทางการรายงาน ผลการดำเนินงาน\t"
        + p('<input checked="checked" type="checkbox"/> ผ่านระบบ BMA Policy Tracking')
        + "\t\t",
        f"การติดตามประเมินผล ความสำเร็จ (ตอบได้ มากกว่า {dig(1)} ข้อ)\t"
        + p('<input type="checkbox"/> รายงานผลโดยหน่วยงาน R หรือสำนักงานเขต')
        + "\t\t",
        "",
        "ประเด็น\tรายละเอียด",
        f"ผู้ประสานงานหลัก/ ส่วนราชการประมวลผล และจัดทำข้อมูล (ระดับส่วนกลาง)\tชื่อ {person} "
        f"ตำแหน่ง {position} หมายเลขโทรศัพท์ {dig(phone)} ส่วนราชการ กลุ่มงานแผนและประเมินผล "
        f"หน่วยงาน {host}",
        "",
        "ลงชื่อ .....",
        "",
        "(.....)",
        "",
        "ผู้แจ้งข้อมูล",
        "",
        f"เกณฑ์การให้คะแนน “{name}”",
        "",
        "ระดับความสำเร็จ\tเกณฑ์ร้อยละความสำเร็จ\tการดำเนินงาน\tคะแนนที่ได้รับ",
    ]
    levels = []
    for lvl in range(5, 0, -1):
        pct = lvl * 20
        out.append(f"{dig(lvl)}\t{dig(pct)}\t{V.LEVEL_STEPS[lvl - 1]}\t")
        levels.append({"level": lvl, "pct": float(pct)})
    truth = {
        "code": code,
        "fiscal_year": fy,
        "key_results": [
            {
                "code": code,
                "name": name,
                "fiscal_year": fy,
                "host_agency": host,
                "aspect": aspect,
                "issue": issue,
                "target_value": float(target),
                "target_unit": unit,
            }
        ],
        "success_levels": levels,
        "contacts": [{"name": person, "position": position, "phone": phone}],
    }
    return "\n".join(out), truth


# ----------------------------------------------------------------------------- truncation

# Captures cut after about 2 KB (samples/real): only facts wholly before the cut remain.
_KEEP_WHEN_CUT = {
    "kpi_detail": ("code", "title", "indicators", "assessments", "quarterly_results"),
    "project_progress": (
        "code",
        "title",
        "fiscal_year",
        "agency",
        "progress_pct",
        "contacts",
        "assessments",
    ),
}
_CUT_AFTER = {"kpi_detail": "รายงานผลฯ ไตรมาสที่ 1", "project_progress": "หลักการและเหตุผล"}


def truncate(
    kind: str, text: str, truth: dict, rng: random.Random, variants: list[str]
) -> tuple[str, dict]:
    """Cut ``text`` at about 2,000 bytes when everything kept is before the cut."""
    if kind not in _KEEP_WHEN_CUT or "headless" in variants:
        return text, truth
    cut = rng.randint(1990, 2010)
    data = text.encode("utf-8")
    head = data[:cut].decode("utf-8", errors="ignore")
    marker = text.find(_CUT_AFTER[kind])
    if marker < 0 or len(text[:marker].encode("utf-8")) + 40 > cut or len(data) <= cut:
        return text, truth
    variants.append("truncated")
    return head, {k: v for k, v in truth.items() if k in _KEEP_WHEN_CUT[kind]}


# ----------------------------------------------------------------------------- driver

GENERATORS = {
    "kpi_form": gen_kpi_form,
    "project_progress": gen_project_progress,
    "kr_sheet": gen_kr_sheet,
    "kpi_detail": gen_kpi_detail,
}


def generate_one(index: int, seed: int, kinds: tuple[str, ...] = KINDS) -> tuple[bytes, dict]:
    """The bytes of export ``index`` and its ground truth (deterministic in seed, index)."""
    rng = random.Random(f"rayngan-bench:{seed}:{index}")
    kind = kinds[index % len(kinds)] if rng.random() < 0.5 else rng.choice(kinds)
    variants: list[str] = []
    text, truth = GENERATORS[kind](rng, variants)
    if rng.random() < 0.04:
        text, truth = truncate(kind, text, truth, rng, variants)
    text = damage(text, rng, variants)
    if rng.random() < 0.05:
        text = text.replace("\n", "\r\n")
        variants.append("crlf")
    data = encode(text, rng, variants)
    truth = {"kind": kind, **truth, "variants": sorted(set(variants))}
    return data, truth


def encode(text: str, rng: random.Random, variants: list[str]) -> bytes:
    """UTF-8 mostly; legacy Windows-874 (TIS-620) and UTF-16 exports sometimes; BOMs."""
    roll = rng.random()
    if roll < 0.06:
        try:
            data = text.encode("cp874")  # PUA glyphs, zero-width: not in cp874, stays UTF-8
            variants.append("encoding:cp874")
            return data
        except UnicodeEncodeError:
            pass
    elif roll < 0.075:
        variants.append("encoding:utf-16")
        return text.encode("utf-16")  # with its BOM, as Windows Notepad writes it
    data = text.encode("utf-8")
    if rng.random() < 0.03:
        data = b"\xef\xbb\xbf" + data
        variants.append("bom")
    return data


def decode(data: bytes) -> str:
    """The text of a generated export (what a correct decoder must give back)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = data.decode("utf-16")
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = data.decode("cp874")
    return text.replace("\r\n", "\n")


def rel_path(index: int) -> str:
    return f"{index // SHARD:03d}/{index:06d}.txt"


def iter_corpus(
    count: int, seed: int, kinds: tuple[str, ...] = KINDS, start: int = 0
) -> Iterator[tuple[str, bytes, dict]]:
    for i in range(start, start + count):
        data, truth = generate_one(i, seed, kinds)
        yield rel_path(i), data, truth


def write_corpus(
    out: Path, count: int, seed: int, kinds: tuple[str, ...] = KINDS, start: int = 0
) -> dict:
    """Write ``count`` exports under ``out/docs`` and their truth under ``out/truth``."""
    docs, truth_dir = out / "docs", out / "truth"
    truth_dir.mkdir(parents=True, exist_ok=True)
    shard_files: dict[str, object] = {}
    n_bytes = 0
    try:
        for rel, data, truth in iter_corpus(count, seed, kinds, start):
            shard = rel.split("/")[0]
            path = docs / rel
            if shard not in shard_files:
                path.parent.mkdir(parents=True, exist_ok=True)
                for f in shard_files.values():
                    f.close()  # type: ignore[attr-defined]
                shard_files = {shard: open(truth_dir / f"{shard}.jsonl", "a", encoding="utf-8")}  # noqa: SIM115
            path.write_bytes(data)
            n_bytes += len(data)
            shard_files[shard].write(json.dumps({"file": rel, **truth}, ensure_ascii=False) + "\n")  # type: ignore[attr-defined]
    finally:
        for f in shard_files.values():
            f.close()  # type: ignore[attr-defined]
    return {"files": count, "bytes": n_bytes}


def load_truth(out: Path) -> dict[str, dict]:
    """``{relative file path: truth}`` for every file of a generated corpus."""
    found: dict[str, dict] = {}
    for path in sorted((out / "truth").glob("*.jsonl")):
        with open(path, encoding="utf-8") as f:
            for line in f:
                rec = json.loads(line)
                found[rec["file"]] = rec
    return found


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--count", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--start", type=int, default=0, help="index of the first file")
    ap.add_argument("--kinds", default=",".join(KINDS), help="comma-separated subset of kinds")
    args = ap.parse_args(argv)
    kinds = tuple(k for k in args.kinds.split(",") if k)
    bad = [k for k in kinds if k not in GENERATORS]
    if bad:
        ap.error(f"unknown kinds: {', '.join(bad)} (known: {', '.join(KINDS)})")
    if (args.out / "truth").exists() and args.start == 0 and any((args.out / "truth").iterdir()):
        ap.error(f"{args.out} already holds a corpus; remove it or pass --start")
    t0 = datetime.now()
    stats = write_corpus(args.out, args.count, args.seed, kinds, args.start)
    secs = (datetime.now() - t0).total_seconds()
    print(
        f"gen: {stats['files']} files, {stats['bytes'] / 1e6:.1f} MB "
        f"({stats['bytes'] / max(1, stats['files']) / 1000:.1f} KB/file) in {secs:.1f} s "
        f"-> {args.out}/docs, truth in {args.out}/truth",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
