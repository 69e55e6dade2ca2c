"""Every accepted spelling of a month: Thai full, short, dotted and dotless abbreviations,
common misspellings and English names, and one factored regex matching any of them."""

from __future__ import annotations

import re
from typing import Literal

_FULL: dict[int, tuple[str, ...]] = {
    1: ("มกราคม", "มกราคาม"),
    2: ("กุมภาพันธ์", "กุมภาพันธ", "กุมภาพัน"),
    3: ("มีนาคม", "มีนาคาม"),
    4: ("เมษายน", "เมษยน"),
    5: ("พฤษภาคม", "พฤษภาคาม", "พฤศภาคม"),
    6: ("มิถุนายน", "มิถุนยน"),
    7: ("กรกฎาคม", "กรกฏาคม", "กรกฎาคาม"),
    8: ("สิงหาคม", "สิงหาคาม"),
    9: ("กันยายน", "กันยายร"),
    10: ("ตุลาคม", "ตุลาคาม"),
    11: ("พฤศจิกายน", "พฤษจิกายน", "พฤสจิกายน", "พฤศจิการยน"),
    12: ("ธันวาคม", "ธันวาคาม"),
}
_SHORT: dict[int, tuple[str, ...]] = {
    1: ("มกรา",),
    2: ("กุมภา",),
    3: ("มีนา",),
    4: ("เมษา",),
    5: ("พฤษภา", "พฤศภา"),
    6: ("มิถุนา", "มิถุ"),
    7: ("กรกฎา", "กรกฏา"),
    8: ("สิงหา",),
    9: ("กันยา",),
    10: ("ตุลา",),
    11: ("พฤศจิกา", "พฤษจิกา", "พฤศจิ", "พฤศ"),
    12: ("ธันวา",),
}
# Abbreviations as (before the dot, after the dot): ม.ค., มี.ค., เม.ย. ...
_ABBR: dict[int, tuple[str, str]] = {
    1: ("ม", "ค"),
    2: ("ก", "พ"),
    3: ("มี", "ค"),
    4: ("เม", "ย"),
    5: ("พ", "ค"),
    6: ("มิ", "ย"),
    7: ("ก", "ค"),
    8: ("ส", "ค"),
    9: ("ก", "ย"),
    10: ("ต", "ค"),
    11: ("พ", "ย"),
    12: ("ธ", "ค"),
}
_ENGLISH = (
    "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december",
)  # fmt: skip


MonthForm = Literal["full", "short", "abbr", "open_abbr", "english"]

# The names as written out (what a Thai-locale spreadsheet shows): มกราคม ..., ม.ค. ...
THAI_MONTH_NAMES: tuple[str, ...] = tuple(_FULL[m][0] for m in range(1, 13))
THAI_MONTH_ABBRS: tuple[str, ...] = tuple(f"{a}.{b}." for a, b in (_ABBR[m] for m in range(1, 13)))


def _month_forms() -> dict[str, tuple[int, MonthForm]]:
    """Every accepted spelling of a month, with the month and the kind of spelling."""
    forms: dict[str, tuple[int, MonthForm]] = {}
    for month, names in _SHORT.items():
        forms.update({name: (month, "short") for name in names})
    for month, names in _FULL.items():
        forms.update({name: (month, "full") for name in names})
    for month, (a, b) in _ABBR.items():
        for mid in (".", ". ", ""):
            forms[a + mid + b + "."] = (month, "abbr")
            forms[a + mid + b] = (month, "open_abbr")
    for month, name in enumerate(_ENGLISH, 1):
        for word in (name, name[:3], *(("sept",) if month == 9 else ())):
            for cased in (word, word.capitalize(), word.upper()):
                forms[cased] = (month, "english")
    return forms


def _trie_pattern(words: list[str]) -> str:
    """One regex matching any of ``words``, longest first, factored by common prefixes.

    A flat alternation of the month spellings scanned Thai text at about 8 MB/s; the
    factored form lets the engine reject most positions on the first character.
    """
    trie: dict[str, dict] = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict[str, dict]) -> str:
        alts = [re.escape(ch) + build(child) for ch, child in sorted(node.items()) if ch]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return f"(?:{body})?" if "" in node else body

    return build(trie)


MONTH_FORMS = _month_forms()
MONTH = re.compile(_trie_pattern(list(MONTH_FORMS)))
