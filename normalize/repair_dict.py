"""Repairs a dictionary decides: pythainlp's ``thai_words()`` tells which reading makes words.

- Lost ำ: consonant [+ tone] + space + า ("ส าเร็จ", "จ านวน") becomes ำ when that makes
  words, า when only that does (letter-spaced "ก า ร"); the space stays when neither wins.
- ำ split from its word ("จำ นวน" -> จำนวน) when the piece after the space is no word.
- Nikhahit read as a second tone mark ("น้้า" -> น้ำ).
- The TH SarabunIT๙ swap (า drawn as ำ: "สำนักงำน" -> สำนักงาน), only where swaps make a
  run of letters all words; tried on lines with two ำ or more and no า at all.
- ั moved after the next letter ("วนั ที่" -> วันที่, "จงั หวดั" -> จังหวัด): ั never ends a word.
- (Every other mark moved the same way, in a text a moved ั shows damaged: see
  ``normalize.moved_marks``.)

A reading wins on fewer letters left outside dictionary words, then on fewer words. The
word list is loaded once, on the first line that needs it; clean text never does.
"""

from __future__ import annotations

import importlib.util
import re
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

_CONSONANT = "\u0e01-\u0e2e"
_TONE = "\u0e48-\u0e4b"
_AA, _AM, _HAN = "\u0e32", "\u0e33", "\u0e31"
_TONES = frozenset("\u0e48\u0e49\u0e4a\u0e4b")
_MARKS = frozenset("\u0e31\u0e34\u0e35\u0e36\u0e37\u0e38\u0e39\u0e47\u0e48\u0e49\u0e4a\u0e4b\u0e4c")
_MAX_WORD = 24  # longer dictionary entries are compounds of shorter ones
_REACH = 30  # letters of context on each side of a site
_LOST_AM = re.compile(f" {_AA}")
_SPLIT_AM = re.compile(f"{_AM} (?=[\u0e01-\u0e2e\u0e40-\u0e44])")
# Thai letters and marks, without ๆ and ฯ (no dictionary word holds them alone).
_THAI_RUN = re.compile(
    f"[\u0e01-\u0e2e\u0e30-\u0e3a\u0e40-\u0e45\u0e47-\u0e4e]*{_AM}[\u0e01-\u0e2e\u0e30-\u0e3a\u0e40-\u0e45\u0e47-\u0e4e]*"
)
# Nikhahit misread as a second mai tho: "น้้า". (Other doubled tones are pdfplumber's
# duplicates: round one keeps one, "ค่่า" -> ค่า.)
_MAI_THO = "\u0e49"
_DOUBLE_TONE = re.compile(f"([{_CONSONANT}]){_MAI_THO}{_MAI_THO}{_AA}")
_DOUBLED_MARKS = re.compile(f"([{_TONE}])\\1+")
# ั (+ a tone) then no consonant: ั never ends a word, so it sits on the wrong letter. The
# pattern starts with ั itself so that ``re`` scans for it at memchr speed.
# (A lookbehind for the two consonants before it would cost that: they are checked in Python.)
_MOVED_HAN = re.compile(f"{_HAN}(?:([{_TONE}])(?![{_CONSONANT}])|(?![{_TONE}{_CONSONANT}]))")

Cost = tuple[int, int]  # (letters outside dictionary words, words)


@lru_cache(maxsize=1)
def dictionary_words() -> frozenset[str]:
    """pythainlp's Thai words without the multi-word entries: the dictionary every repair
    (and the OCR post-correction) decides by."""
    return frozenset(w for w in _thai_word_lines() if w and " " not in w)


def _thai_word_lines() -> list[str]:
    """The lines of pythainlp's word list, read as ``thai_words`` reads them (0.05 s):
    importing pythainlp costs each worker process that loads the list 0.15 s more."""
    spec = importlib.util.find_spec("pythainlp")
    for folder in (spec.submodule_search_locations or []) if spec else []:
        path = Path(folder) / "corpus" / "words_th.txt"
        if path.is_file():
            return path.read_bytes().decode("utf-8-sig").splitlines()
    from pythainlp.corpus import thai_words  # another layout: ask pythainlp

    return list(thai_words())


def preload_dictionary() -> None:
    """Load the dictionary and its index now (a fork server, whose workers then share it)."""
    _am_splits()


@lru_cache(maxsize=1)
def _am_splits() -> dict[str, frozenset[str]]:
    """For each word with ำ inside it, what follows the ำ -> the parts up to it (จำ|นวน)."""
    out: dict[str, set[str]] = {}
    for word in dictionary_words():
        at = word.find(_AM)
        while 0 <= at < len(word) - 1:
            out.setdefault(word[at + 1 :], set()).add(word[: at + 1])
            at = word.find(_AM, at + 1)
    return {k: frozenset(v) for k, v in out.items()}


@lru_cache(maxsize=4096)
def cost(text: str) -> Cost:
    """Fewest letters left out of dictionary words, then fewest words, over ``text``."""
    words = dictionary_words()
    best: list[Cost] = [(0, 0)]
    for i in range(1, len(text) + 1):
        u, n = best[i - 1]
        cur = (u + 1, n + 1)
        for j in range(max(0, i - _MAX_WORD), i - 1):
            if text[j:i] in words:
                u, n = best[j]
                if (u, n + 1) < cur:
                    cur = (u, n + 1)
        best.append(cur)
    return best[-1]


def _is_thai(ch: str) -> bool:
    return "\u0e01" <= ch <= "\u0e4e"


def _is_consonant(ch: str) -> bool:
    return "\u0e01" <= ch <= "\u0e2e"


def _left_token(text: str, end: int) -> str:
    start = end
    while start > 0 and end - start < _REACH and _is_thai(text[start - 1]):
        start -= 1
    return text[start:end]


def _right_token(text: str, start: int) -> str:
    end = start
    while end < len(text) and end - start < _REACH and _is_thai(text[end]):
        end += 1
    return text[start:end]


def _sub(pattern: re.Pattern[str], text: str, fix: Callable[[str, re.Match[str]], str]) -> str:
    """``pattern.sub`` where ``fix`` also sees the text already rewritten before the match."""
    parts: list[str] = []
    last = 0
    for m in pattern.finditer(text):
        parts.append(text[last : m.start()])
        done = "".join(parts[-3:])  # enough of the rewritten text for a left context
        parts.append(fix(done, m))
        last = m.end()
    return "".join(parts) + text[last:] if parts else text


def _lost_am_fix(done: str, m: re.Match[str]) -> str:
    text, at = m.string, m.start()
    left = _left_token(done, len(done))
    if not left or not _is_thai(left[-1]):
        return m.group()
    right = _right_token(text, at + 1)
    end = at + 1 + len(right)
    # Letter-spaced text ("ก า ร", "ส าคั ญ"): a token that is only า or ends with a mark
    # is cut short; score it with the next token too.
    if (right == _AA or right[-1] in _MARKS) and text[end : end + 1] == " ":
        right += _right_token(text, end + 1)
    as_aa = cost(left + right)
    if re.search(f"[{_CONSONANT}][{_TONE}]?\\Z", left) is None:
        return _AA  # ำ cannot follow a vowel: the space is an artifact (round one's rule)
    as_am = cost(left + _AM + right[1:])
    if as_am < as_aa:
        return _AM
    if as_aa < as_am:
        return _AA
    if left[-1] in _TONES:  # a tie after a tone: ว่า, ถ้า, ค่า are far commoner than ถ้ำ, ค่ำ
        return _AM if left.endswith("น\u0e49") else _AA  # ... but น้ำ than น้า (aunt)
    return m.group()


def _split_am_fix(done: str, m: re.Match[str]) -> str:
    left = _left_token(done + _AM, len(done) + 1)
    right = _right_token(m.string, m.end())
    splits, words = _am_splits(), dictionary_words()
    for k in range(min(len(right), _MAX_WORD), 0, -1):
        part = right[:k]
        lefts = splits.get(part)
        if lefts and part not in words and any(left.endswith(p) for p in lefts):
            return _AM
    return m.group()


def _double_tone_fix(done: str, m: re.Match[str]) -> str:
    left = _left_token(done, len(done))
    right = _DOUBLED_MARKS.sub(r"\1", _right_token(m.string, m.end()))  # score it repaired
    consonant = m[1]
    as_am = cost(left + consonant + _MAI_THO + _AM + right)
    as_aa = cost(left + consonant + _MAI_THO + _AA + right)
    if as_am == as_aa:  # as for a lost ำ after a tone: น้ำ, else า (ว่า, ถ้า, ค่า)
        return consonant + _MAI_THO + (_AM if consonant == "\u0e19" else _AA)
    return consonant + _MAI_THO + (_AM if as_am < as_aa else _AA)


def _moved_han_fix(done: str, text: str, start: int, end: int) -> str:
    """``text[start:end]`` is two consonants, ั and maybe a tone: ั may belong to the first."""
    left = _left_token(done, len(done))
    right = _right_token(text, end)
    found = text[start:end]
    moved = found[0] + found[2:] + found[1]
    if cost(left + moved + right) >= cost(left + found + right):
        return found
    if text[end : end + 1] == " ":  # letter-spaced "หนั ง": the space, not the mark, is wrong
        after = _right_token(text, end + 1)
        if cost(left + found + after) <= cost(left + moved + after):
            return found
    return moved


def _join_after_moved(text: str, starts: list[int]) -> str:
    """Drop the space after a word whose ั was moved when the two make fewer words."""
    out, last = [], 0
    for end in starts:
        if text[end : end + 1] != " " or end + 1 >= len(text) or not _is_thai(text[end + 1]):
            continue
        left, right = _left_token(text, end), _right_token(text, end + 1)
        if cost(left + right) < _add(cost(left), cost(right)):
            out.append(text[last:end])
            last = end + 1
    return "".join(out) + text[last:] if out else text


def _add(a: Cost, b: Cost) -> Cost:
    return a[0] + b[0], a[1] + b[1]


def _moved_han(text: str) -> str:
    parts: list[str] = []
    ends: list[int] = []
    last = 0
    for m in _MOVED_HAN.finditer(text):
        start = m.start() - 2
        if start < last or not (_is_consonant(text[start]) and _is_consonant(text[start + 1])):
            continue
        parts.append(text[last:start])
        fixed = _moved_han_fix("".join(parts[-3:]), text, start, m.end())
        parts.append(fixed)
        last = m.end()
        if fixed != text[start : m.end()]:
            ends.append(sum(map(len, parts)))
    if not parts:
        return text
    return _join_after_moved("".join(parts) + text[last:], ends)


def _swap_run(m: re.Match[str]) -> str:
    """SarabunIT๙: ำ of a run of Thai letters become า one by one while that leaves fewer
    letters out of words; kept only when the run ends up all words."""
    run = m.group()
    best = cost(run)
    if best[0] == 0:
        return run
    at = run.find(_AM)
    while at >= 0:
        trial = run[:at] + _AA + run[at + 1 :]
        if cost(trial)[0] < best[0]:
            run, best = trial, cost(trial)
        at = run.find(_AM, at + 1)
    return run if best[0] == 0 else m.group()


def _swap_line(line: str) -> str:
    return _THAI_RUN.sub(_swap_run, line)


def _sarabun_swap(text: str) -> str:
    lines = text.split("\n")
    changed = False
    for i, line in enumerate(lines):
        if _AA not in line and line.count(_AM) >= 2:  # a swapped line has no า left
            fixed = _swap_line(line)
            changed |= fixed != line
            lines[i] = fixed
    return "\n".join(lines) if changed else text


def repair_lost_am(text: str) -> str:
    """Consonant + space + า: ำ, า or the space kept (before the generic mark rules)."""
    if " " + _AA in text:
        text = _sub(_LOST_AM, text, _lost_am_fix)
    if _has_doubled_tone(text):
        text = _sub(_DOUBLE_TONE, text, _double_tone_fix)
    return text


def _has_doubled_tone(text: str) -> bool:
    return _MAI_THO + _MAI_THO + _AA in text


def repair_by_dictionary(text: str) -> str:
    """ำ split from its word, the SarabunIT๙ swap and a moved ั (after the mark rules)."""
    if _AM + " " in text:
        text = _sub(_SPLIT_AM, text, _split_am_fix)
    if _AM in text:
        text = _sarabun_swap(text)
    if _HAN in text:
        text = _moved_han(text)
    return text
