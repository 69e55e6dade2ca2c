"""ำ lost without a trace: "สานักงาน", "ดาเนินการ", "ประจาปี" (text copied out of a Word or iText
PDF whose font drops nikhahit, with the space already squeezed out).

Nothing on a single line tells such a า from a real one, so the decision is made for the whole
text, and only for a text that shows the damage cheaply: plenty of Thai and no ำ at all (real
Thai prose has ำ every few lines), or one of the commonest words of government text in its
damaged form (สานัก, ดาเนิน, ประจาปี, ...: a page whose web header kept its ำ and whose body
lost them). There every า after a consonant (and tone) becomes ำ where that reading costs less
(fewer letters outside words, then fewer words: pythainlp lists สา, ดา, จา, so "สา|นัก|งาน" is
all words but three of them), and the text is changed only if at least ``_MIN_PROOF`` sites
are. Measured on the samples and real pages with every ำ taken out: no า turned into ำ wrongly;
on those texts with their ำ lines removed (clean text without ำ), no site read better as ำ.
"""

from __future__ import annotations

import re
from bisect import bisect
from itertools import islice

from normalize.repair_dict import Cost, cost

_AA, _AM = "\u0e32", "\u0e33"
_MIN_THAI = 200  # Thai letters a text needs before its lack of ำ means anything
_MIN_PROOF = 2  # sites that must read better with ำ before any is changed
_REACH = 24  # letters of context on each side of a site
_GIVE_UP = 500  # sites tried before a text with none better is taken as clean
_THAI_LETTER = re.compile("[\u0e01-\u0e4e]")
_THAI_RUN = re.compile("[\u0e01-\u0e3a\u0e40-\u0e4e]+")
_SITE = re.compile(f"(?<=[\u0e01-\u0e2e])[\u0e48-\u0e4b]?{_AA}")


# Common words of reports with ำ, as they read with it lost (none is a word or a part of one).
_DAMAGED = ("สานัก", "ดาเนิน", "กาหนด", "สาหรับ", "ประจาปี", "จานวน", "ตาแหน่ง", "สาคัญ", "สาเร็จ")


def looks_am_stripped(text: str) -> bool:
    """Cheap test: lots of Thai, not one ำ (so clean text never loads the dictionary)."""
    if _AM in text or len(text) < _MIN_THAI:
        return False
    letters = _THAI_LETTER.finditer(text)
    return sum(1 for _ in islice(letters, _MIN_THAI)) >= _MIN_THAI


def shows_lost_am(text: str) -> bool:
    """Cheap test: a common word with its ำ lost is in the text."""
    return _AA in text and any(word in text for word in _DAMAGED)


def restore_joined_am(text: str) -> str:
    """Put back the ำ a damaged text lost, where the dictionary shows it (see the module)."""
    give_up = _GIVE_UP
    if shows_lost_am(text):
        give_up = -1  # the damage is shown: try every site
    elif not looks_am_stripped(text):
        return text
    runs = [(m.start(), m.end()) for m in _THAI_RUN.finditer(text)]
    starts = [start for start, _ in runs]
    sites: list[tuple[int, tuple[int, int]]] = []
    restored: set[int] = set()
    for m in _SITE.finditer(text):
        if len(sites) == give_up and not restored:
            return text  # a long text with no ำ that reads better anywhere is just so
        at = m.end() - 1
        sites.append((at, runs[bisect(starts, at) - 1]))
        if _reads_better(text, restored, at, sites[-1][1]):
            restored.add(at)
    # Once more for the sites near a restored one: คาแนะนา reads better as คำแนะนำ only
    # when both are tried.
    for at, run in sites:
        if at not in restored and _near(restored, at) and _reads_better(text, restored, at, run):
            restored.add(at)
    if len(restored) < _MIN_PROOF:
        return text
    chars = list(text)
    for at in restored:
        chars[at] = _AM
    return "".join(chars)


def _reads_better(text: str, restored: set[int], at: int, run: tuple[int, int]) -> bool:
    """Whether ำ at ``at`` leaves fewer letters outside words, or as many in fewer words."""
    start, end = max(run[0], at - _REACH), min(run[1], at + 1 + _REACH)
    left = _with_am(text, restored, start, at)
    right = _with_am(text, restored, at + 1, end)
    as_am: Cost = cost(left + _AM + right)
    return as_am < cost(left + _AA + right)


def _near(restored: set[int], at: int) -> bool:
    return any(other in restored for other in range(at - _REACH, at + _REACH + 1))


def _with_am(text: str, restored: set[int], start: int, end: int) -> str:
    """``text[start:end]`` with the ำ restored so far (a window is 24 letters at most)."""
    if not any(at in restored for at in range(start, end)):
        return text[start:end]
    return "".join(_AM if at in restored else text[at] for at in range(start, end))
