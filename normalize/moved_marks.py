"""Marks moved onto the next letter: text taken from web PDF viewers (pdf.js, page-flip
books) orders each glyph by its x, and a mark drawn at its base's right edge sorts after
the next letter, often with a made-up space: "ตวั ชีว้ ดั" for ตัวชี้วัด, "ขอ้ มลู" for ข้อมูล.

The text shows it cheaply: ั with no consonant after it (ั never ends a word), the sign
``repair_dict`` already uses to move ั back, or ั leading a word ("แตว่ ันที่").  A text with
such a site is read as damaged this way, and there, every run of marks on a letter after
a consonant may belong to that consonant, and a tone riding with ั may belong there alone
("แตวั่น": ่ is ต's, ั is ว's): the dictionary decides (fewer letters outside words,
then fewer words), trying a few neighbouring moves together, since one alone often reads
no better ("ชีว้ ดั" needs both to read ชี้วัด).  A vowel goes back before a tone its
consonant kept ("ต้งั" -> ตั้ง).  A space next to a moved mark is dropped where the words
around it read as fewer words joined; any other space of such a text, where the two sides
leave letters out of words apart and none together ("บ้า นสวน": the line rules put the
mark back and left the viewer's space).  Measured on the samples' lines damaged this way
(tests/normalize/test_moved_marks.py): 147 of 189 come back whole (140 before the tone
alone, the vowel before a kept tone and the cuts beside made-up spaces).  Other texts
are never changed, so clean Thai costs one regex scan."""

from __future__ import annotations

import re

from normalize.repair_dict import _add, _left_token, _right_token, cost

_VOWEL = "\u0e31\u0e34-\u0e37\u0e47"  # ั ิ ี ึ ื ็ (above); below vowels move the same way
_BELOW = "\u0e38-\u0e3a"
_TONE = "\u0e48-\u0e4c"  # ่ ้ ๊ ๋ ์
_MARKS = f"{_VOWEL}{_BELOW}{_TONE}"
# the sign: ั, maybe a tone, then no consonant, after two consonants (maybe a space between)
_C = "\u0e01-\u0e2e"
# (not before a Private Use Area tone or a space and a mark: other damage, mapped elsewhere)
_NOT_AFTER = f"{_C}\uf700-\uf8ff"
# (ั first, its consonants looked behind: a literal start lets the search skip ahead fast,
# 10x faster on clean Thai than a search starting at every consonant)
_SIGN = re.compile(
    f"\u0e31(?:(?<=[{_C}][{_C}]\u0e31)|(?<=[{_C}] [{_C}]\u0e31))"
    f"(?:[{_TONE}](?![{_NOT_AFTER}])|(?![{_TONE}{_NOT_AFTER}]|\\s[{_MARKS}]))"
)
# "แตว่ ันที่": ั leading a word after a toned consonant (a word never starts with a mark);
# looked for only where a space stands before ั (a second scan of every text would cost)
_SIGN_LEADING = re.compile(f"[{_C}][{_TONE}] \u0e31[{_C}]")
# Thai words (with digits and brackets a mark may have moved onto), single spaces between
_PHRASE = re.compile("[\u0e01-\u0e4e][\u0e01-\u0e5b0-9().:\\-]*(?: [\u0e01-\u0e5b0-9().:\\-]+)*")
_CLUSTER = re.compile(f"([^{_MARKS}])([{_MARKS}]*)")  # a base (or a space) and its marks
_NOT_A_BASE = frozenset(" \t")  # a mark never moves over a space onto a space
_MAX_PHRASE = 40  # longer phrases are cut into pieces of this many characters
_CONTEXT = 12  # letters on each side of a piece its readings are scored with
_MAX_JOINT = 4  # sites of a window whose moves are tried in every combination
_LONGER = 20  # how much longer a piece may run to end at a space no mark is beside
_BEFORE_MARKED = 5  # letters before a made-up space left to the next piece when cut there
_STEP = 2  # windows overlap: a move may need the next window's sites
_VOWELS, _TONES = (
    frozenset("\u0e31\u0e34\u0e35\u0e36\u0e37\u0e47\u0e38\u0e39\u0e3a"),
    frozenset("\u0e48\u0e49\u0e4a\u0e4b\u0e4c"),
)
_ALL_MARKS = _VOWELS | _TONES


def shows_moved_marks(text: str) -> bool:
    """``text`` shows the sign of marks moved onto the next letter."""
    if "\u0e31" not in text:
        return False
    if _SIGN.search(text) is not None:
        return True
    return " \u0e31" in text and _SIGN_LEADING.search(text) is not None


def restore_moved_marks(text: str) -> str:
    """Move marks back where the dictionary reads the text better (see the module)."""
    return _PHRASE.sub(lambda m: _fix_phrase(m.group()), text)


def _fix_phrase(phrase: str) -> str:
    """A long phrase is read in pieces, each scored with the letters around it; the
    spaces next to moved marks are judged over the whole phrase."""
    units: list[list[str]] = []
    moved: list[int] = []
    pos = 0
    while pos < len(phrase):
        end = pos + _cut(phrase[pos:]) if len(phrase) - pos > _MAX_PHRASE else len(phrase)
        left = _letters(units)[-_CONTEXT:]
        right = phrase[end : end + _CONTEXT].replace(" ", "")
        piece, piece_moved = _fix_piece(phrase[pos:end], left, right)
        moved.extend(i + len(units) for i in piece_moved)
        units.extend(piece)
        pos = end
    return _join_spaces(units, moved)


Site = tuple[int, bool]  # a unit whose marks go back, and whether its tone goes alone
Sites = tuple[int, bool]  # a unit whose marks may go back, and whether its tone may alone


def _fix_piece(phrase: str, left: str, right: str) -> tuple[list[list[str]], list[int]]:
    """The piece's units with the moves that read best, and the units moved from."""
    units = [[m[1], m[2]] for m in _CLUSTER.finditer(phrase)]
    sites = _movable(units)
    if not sites:
        return units, []
    now = cost(left + _letters(units) + right)
    moved: list[int] = []
    # moves decide together ("ชีว้ ดั": ้ alone reads no better, with ั it reads ชี้วัด):
    # every choice over a window of a few units, window by window
    for start in range(0, len(sites), _STEP):
        window = sites[start : start + _MAX_JOINT]
        best, best_cost, chosen = units, now, []
        for subset in _choices(window):
            trial = _apply(units, subset)
            if trial is None:
                continue
            got = cost(left + _letters(trial) + right)
            if got < best_cost:
                best, best_cost, chosen = trial, got, subset
        if best_cost < now:  # fewer letters outside words, then fewer words
            units, now = best, best_cost
            moved.extend(i for i, _ in chosen)
    return units, moved


def _apply(units: list[list[str]], subset: list[Site]) -> list[list[str]] | None:
    trial: list[list[str]] | None = units
    for i, tone_only in subset:
        trial = _move(trial, i, tone_only) if trial is not None else None
    return trial


def _choices(window: list[Sites]) -> list[list[Site]]:
    """Every way to move some of the window's units, each its marks or its tone alone."""
    out: list[list[Site]] = [[]]
    for unit, tone_too in window:
        ways: list[Site] = [(unit, False), (unit, True)] if tone_too else [(unit, False)]
        out = [[*done, way] for done in out for way in ways] + out
    return [c for c in out if c]


def _cut(phrase: str) -> int:
    """Where to cut a long phrase: its last space before _MAX_PHRASE, else (Thai runs on
    without spaces) before a consonant there; the dictionary reads each piece alone.  A
    space a viewer made up next to a moved mark is read with both its sides ("ตามอธั
    ยาศยั"): the cut falls at the next space with no mark beside it, a little further, or
    when there is none, a few letters before the made-up space."""
    spaces = [k for k in range(_MAX_PHRASE // 2, _MAX_PHRASE + _LONGER) if phrase[k : k + 1] == " "]
    clean = [k for k in spaces if not _marked(phrase, k - 1) and not _marked(phrase, k + 2)]
    within = [k for k in clean if k < _MAX_PHRASE] or clean[:1]
    if within:
        return within[-1]
    # only made-up spaces: cut a few letters before the first, inside the run of Thai
    cut = min(_MAX_PHRASE, spaces[0] - _BEFORE_MARKED) if spaces else _MAX_PHRASE
    while cut > 1 and not (_is_consonant(phrase[cut]) and _is_consonant(phrase[cut - 1])):
        cut -= 1  # between two bare consonants: no mark can move over the cut
    return cut if cut > 1 else _MAX_PHRASE


def _marked(phrase: str, k: int) -> bool:
    return 0 <= k < len(phrase) and phrase[k] in _ALL_MARKS


def _letters(units: list[list[str]]) -> str:
    return "".join(base + marks for base, marks in units if base != " ")


def _owner(units: list[list[str]], i: int) -> int | None:
    """The base before unit ``i`` (over one space) that its marks may belong to."""
    j = i - 1
    if j >= 0 and units[j][0] == " ":
        j -= 1
    if j < 0 or not _is_consonant(units[j][0]) or units[i][0] in _NOT_A_BASE:
        return None  # (the marks may sit on a consonant, า, a digit, a bracket: "วา่", "ที๕่")
    return j


def _movable(units: list[list[str]]) -> list[Sites]:
    """Each unit whose marks may go back to its owner, and whether its tone may go alone:
    one with ั and a tone ("แตวั่น": ่ is ต's, ั is ว's own; the line rules joined them)."""
    return [
        (i, bool(_TONES.intersection(marks) and "\u0e31" in marks))
        for i, (_, marks) in enumerate(units)
        if marks and _owner(units, i) is not None
    ]


def _move(units: list[list[str]], i: int, tone_only: bool = False) -> list[list[str]] | None:
    """``units`` with the marks of unit ``i`` (or its tone alone) on its owner; None when
    the owner cannot take them (one vowel mark and one tone per consonant at most).  A
    vowel goes before the tone the owner kept ("ต้งั" -> ตั้ง)."""
    j = _owner(units, i)
    marks = "".join(c for c in units[i][1] if c in _TONES) if tone_only else units[i][1]
    if j is None or not marks:
        return None
    have = units[j][1]
    if (_TONES.intersection(have) and _TONES.intersection(marks)) or (
        _VOWELS.intersection(have) and _VOWELS.intersection(marks)
    ):
        return None
    out = [list(unit) for unit in units]
    out[j][1] = "".join(sorted(have + marks, key=lambda c: c in _TONES))
    out[i][1] = "".join(c for c in units[i][1] if c not in marks)
    return out


def _join_spaces(units: list[list[str]], moved: list[int]) -> str:
    """The phrase, with a space next to a moved mark dropped where the words on both
    sides read as fewer words together (the viewer made it up); any other space, where
    they leave fewer letters out of words together ("บ้า นสวน": the line rules put the
    mark back and left the viewer's space)."""
    text = "".join(base + marks for base, marks in units)
    beside = {k for i in moved for k in (i - 1, i + 1)}
    spaces = [k for k, (base, _) in enumerate(units) if base == " "]
    offsets = []
    pos = 0
    for k, (base, marks) in enumerate(units):
        if k in spaces:
            offsets.append(pos)
        pos += len(base) + len(marks)
    for k, at in reversed(list(zip(spaces, offsets, strict=True))):
        left, right = _left_token(text, at), _right_token(text, at + 1)
        if left and right and _joins(left, right, k in beside, text, at):
            text = text[:at] + text[at + 1 :]
    return text


def _joins(left: str, right: str, beside: bool, text: str, at: int) -> bool:
    """Whether the space at ``at`` between ``left`` and ``right`` was made up: beside a
    moved mark, where they read as fewer words together; elsewhere, where together they
    leave no letter out of words and apart some, both of two letters or more ("ณ", "ๆ"
    stand alone) and neither part of an abbreviation."""
    joined, apart = cost(left + right), _add(cost(left), cost(right))
    if beside:
        return joined < apart
    if min(len(left), len(right)) < 2 or right[0] == "ๆ":
        return False
    return joined[0] == 0 < apart[0] and _whole(text, at - len(left), at + 1 + len(right))


def _whole(text: str, start: int, end: int) -> bool:
    """text[start:end] is not part of an abbreviation ("งบประมาณ พ.ศ."): no dot or other
    sign right before or after it (a long run of Thai is cut by the reach, and is whole)."""
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    return all(ch == " " or "\u0e01" <= ch <= "\u0e4e" for ch in (before, after))


def _is_consonant(ch: str) -> bool:
    return "\u0e01" <= ch <= "\u0e2e"
