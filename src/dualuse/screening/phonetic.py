"""Sound classes for `dualuse-match-2`: one name written in different scripts and spellings.

A token becomes a sequence of sound classes: consonants grouped as transliterations confuse them
(v/w, kh/h/ch, j/dzh/dj/zh, c/k/q, ph/f, th/t, sh/sch/sz/ch, ks/x ...) and a vowel slot `V`.
Arabic and Persian letters are mapped to the same classes directly (not through a Latin
transliteration that loses letters): their long vowels (alif, waw, ya) become vowel slots that
waw and ya may also fill as the consonants w and y, and the short vowels they leave unwritten
cost nothing. Two tokens are then aligned by a small weighted edit distance over the classes:
the same class costs 0, a related class (d/z/t, s/sh, k/g/kh, h/kh) 0.5, a vowel against a
different vowel little, a missing vowel nothing when one side is written in an abjad.

Han characters become pinyin syllables (anyascii), and Wade-Giles spellings of syllables are
read as pinyin (Mao Tse-tung, Mao Zedong); East Slavic and other nicknames resolve through the
reviewed table in `data/screening/nicknames.json`.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from importlib import resources

# -- Latin spellings to sound classes --------------------------------------------------------
# Longest first. Each maps to a class letter: consonant classes are upper case, V is a vowel.
_LATIN = [
    ("tsch", "C"), ("dsch", "J"), ("dzh", "J"), ("dzs", "J"), ("sch", "S"), ("tch", "C"),
    ("kh", "X"), ("gh", "G"), ("sh", "S"), ("sz", "S"), ("zh", "J"), ("ch", "C"), ("cz", "C"),
    ("dj", "J"), ("dz", "J"), ("ph", "F"), ("th", "T"), ("dh", "D"), ("ts", "Z"), ("tz", "Z"),
    ("ck", "K"), ("qu", "K"), ("gy", "D"), ("ty", "T"), ("ou", "U"), ("oe", "U"), ("oo", "U"),
    ("b", "B"), ("p", "B"), ("f", "F"), ("v", "W"), ("w", "W"), ("m", "M"), ("n", "N"),
    ("t", "T"), ("d", "D"), ("s", "S"), ("z", "Z"), ("c", "K"), ("k", "K"), ("q", "K"),
    ("g", "G"), ("x", "KS"), ("j", "J"), ("y", "I"), ("h", "H"), ("l", "L"), ("r", "R"),
    ("a", "A"), ("e", "E"), ("i", "I"), ("o", "O"), ("u", "U"),
]
_LATIN_RE = re.compile("|".join(re.escape(k) for k, _ in _LATIN))
_LATIN_MAP = dict(_LATIN)
_VOWELS = frozenset("AEIOU")
# c before e/i is s in the Romance spellings lists use (Belgacem, Vicente).
_SOFT_C = re.compile(r"c(?=[eiy])")

# -- Arabic and Persian letters --------------------------------------------------------------
_ARABIC = {
    "ا": "V", "أ": "V", "إ": "V", "آ": "V", "ى": "V", "ٱ": "V", "ء": "", "ئ": "", "ؤ": "W",
    "ب": "B", "پ": "B", "ت": "T", "ث": "T", "ج": "J", "چ": "C", "ح": "H", "خ": "X", "د": "D",
    "ذ": "D", "ر": "R", "ز": "Z", "ژ": "J", "س": "S", "ش": "S", "ص": "S", "ض": "D", "ط": "T",
    "ظ": "Z", "ع": "", "غ": "G", "ف": "F", "ڤ": "F", "ق": "K", "ك": "K", "ک": "K", "گ": "G",
    "ل": "L", "م": "M", "ن": "N", "ه": "H", "ة": "", "و": "W", "ي": "Y", "ی": "Y", "ے": "Y",
    "ٹ": "T", "ڈ": "D", "ڑ": "R", "ں": "N", "ھ": "H",
}
# A Latin spelling of Arabic and Persian letters for dualuse-match-2's tokens: unlike a plain
# transliteration it keeps the long vowels, so that حامد (Hamid) and أحمد (Ahmad) stay apart.
_ARABIC_LATIN = {
    "ا": "a", "أ": "a", "إ": "i", "آ": "a", "ى": "a", "ٱ": "a", "ء": "", "ئ": "", "ؤ": "u",
    "ع": "", "ب": "b", "پ": "p", "ت": "t", "ط": "t", "ث": "th", "ج": "j", "چ": "ch", "ح": "h",
    "ه": "h", "ھ": "h", "خ": "kh", "د": "d", "ض": "d", "ڈ": "d", "ذ": "dh", "ظ": "z", "ر": "r",
    "ڑ": "r", "ز": "z", "ژ": "zh", "س": "s", "ص": "s", "ش": "sh", "غ": "gh", "ف": "f", "ڤ": "v",
    "ق": "q", "ك": "k", "ک": "k", "گ": "g", "ل": "l", "م": "m", "ن": "n", "ں": "n", "ة": "a",
    "ٹ": "t", "ے": "e",
}


@lru_cache(maxsize=100_000)
def arabic_latin(word: str) -> str:
    """'حامد' -> 'hamid'-like 'hamd', 'علي' -> 'ali'-like 'li': letters as Latin spellings
    write them, waw and ya as w/y at the start and u/i inside."""
    out = []
    for n, ch in enumerate(word):
        if ch in "وو":
            out.append("w" if n == 0 else "u")
        elif ch in "يی":
            out.append("y" if n == 0 else "i")
        else:
            out.append(_ARABIC_LATIN.get(ch, ""))
    return "".join(out)

# Classes transliterations confuse: cost 0.5 instead of 1.
_NEAR = {frozenset(p) for p in ("DZ", "DT", "TZ", "SZ", "SC", "CJ", "SJ", "ZJ", "KG", "KX",
                                "GX", "FB", "FW", "WU", "JI", "WO", "CX")}
# Closer still: Cyrillic х and Greek χ are kh, the lists' h (Khaji / Haji, Mokhammad / Mohammad).
_CLOSE = {frozenset("HX")}


@lru_cache(maxsize=200_000)
def latin_classes(token: str) -> str:
    """'wladimirowitsch' -> 'WLADIMIROWIC' (classes; vowels keep their letter, upper case)."""
    t = _SOFT_C.sub("s", token)
    out = []
    for m in _LATIN_RE.finditer(t):
        out.append(_LATIN_MAP[m.group(0)])
    s = "".join(out)
    return re.sub(r"([B-DF-HJ-NP-TV-Z])\1+", r"\1", s)  # doubled consonants once


@lru_cache(maxsize=100_000)
def arabic_classes(word: str) -> str:
    """An Arabic-script word as classes; the article is left to the caller."""
    out = []
    for n, ch in enumerate(word):
        cls = _ARABIC.get(ch)
        if cls is None:
            continue  # harakat, tatweel, punctuation
        if cls in ("W", "Y") and n > 0:
            cls = "w" if cls == "W" else "y"  # medial/final waw or ya: a vowel or a consonant
        out.append(cls)
    return "".join(out)


def _cost(a: str, b: str, abjad: bool) -> float:
    if a == b:
        return 0.0
    av, bv = a in _VOWELS or a in "Vwy", b in _VOWELS or b in "Vwy"
    if av and bv:
        return 0.0 if abjad or "V" in (a, b) else 0.3
    # waw and ya in an abjad word stand for u/o/w and i/e/y.
    if (a == "w" and b in ("W", "F", "U", "O")) or (b == "w" and a in ("W", "F", "U", "O")):
        return 0.0
    if (a == "y" and b in ("Y", "I", "E", "J")) or (b == "y" and a in ("Y", "I", "E", "J")):
        return 0.0
    pair = frozenset((a, b))
    if pair in _CLOSE:
        return 0.25
    if pair in _NEAR:
        return 0.5
    return 1.0


def _gap(x: str, abjad: bool) -> float:
    if x == "V":
        return 0.5  # an abjad writes its long vowels: one needs a vowel on the other side
    if x in _VOWELS or x in "wy":
        return 0.0 if abjad else 0.4
    if x == "H" and not abjad:
        return 0.5  # a silent or dropped h in a Latin spelling (Mohammed / Muhamad)
    return 1.0


@lru_cache(maxsize=200_000)
def class_distance(a: str, b: str, abjad: bool) -> tuple[float, int]:
    """(weighted edit distance, consonants of the longer side) between two class strings."""
    n, m = len(a), len(b)
    prev = [0.0] * (m + 1)
    for j in range(1, m + 1):
        prev[j] = prev[j - 1] + _gap(b[j - 1], abjad)
    for i in range(1, n + 1):
        cur = [prev[0] + _gap(a[i - 1], abjad)] + [0.0] * m
        for j in range(1, m + 1):
            cur[j] = min(prev[j - 1] + _cost(a[i - 1], b[j - 1], abjad),
                         prev[j] + _gap(a[i - 1], abjad),
                         cur[j - 1] + _gap(b[j - 1], abjad))
        prev = cur
    consonants = max(sum(1 for x in a if x not in _VOWELS and x not in "Vwy"),
                     sum(1 for x in b if x not in _VOWELS and x not in "Vwy"))
    return prev[m], consonants


@lru_cache(maxsize=200_000)
def consonant_key(classes: str) -> str:
    """A coarse key for blocking: consonant classes with related ones merged."""
    merged = classes.translate(_COARSE)
    merged = "".join(x for x in merged if x not in _VOWELS and x not in "Vwy")
    return re.sub(r"(.)\1+", r"\1", merged)


_COARSE = str.maketrans({"D": "T", "Z": "S", "C": "S", "J": "S", "G": "K", "X": "K", "F": "B",
                         "W": "", "Y": "", "H": ""})


# -- Chinese: Wade-Giles read as pinyin ------------------------------------------------------
_WG = [  # initial and final spellings of Wade-Giles with their pinyin
    ("ch'", "q"), ("ts'", "c"), ("tz'", "c"), ("k'", "k"), ("p'", "p"), ("t'", "t"),
    ("hs", "x"), ("tz", "z"), ("ts", "z"), ("ch", "zh"), ("j", "r"), ("k", "g"), ("p", "b"),
    ("t", "d"),
]
_WG_FINALS = [("ieh", "ie"), ("ien", "ian"), ("ung", "ong"), ("ih", "i"), ("uo", "uo"),
              ("ü", "u"), ("o", "o")]


@lru_cache(maxsize=50_000)
def wade_giles_to_pinyin(syllable: str) -> str:
    """A Wade-Giles syllable read as pinyin (aspiration marks often dropped in lists, so an
    unmarked ch/k/p/t/ts is read as the unaspirated zh/g/b/d/z)."""
    s = syllable.lower()
    for wg, py in _WG:
        if s.startswith(wg):
            s = py + s[len(wg):]
            break
    for wg, py in _WG_FINALS:
        if s.endswith(wg) and len(s) > len(wg):
            s = s[: -len(wg)] + py
            break
    if s.startswith("zh") and s[2:3] == "i" and syllable.lower().startswith("ch"):
        s = "j" + s[2:]  # chi, chien: ji, jian
    if s.startswith("z") and s[1:2] == "u" and syllable.lower().startswith("ts"):
        pass
    return s.replace("'", "")


# -- nicknames ---------------------------------------------------------------------------------
@lru_cache(maxsize=1)
def _nicknames() -> dict[str, frozenset[str]]:
    """nickname or name -> the full names it stands for (itself included for a full name)."""
    raw = json.loads((resources.files("dualuse.data") / "screening" / "nicknames.json")
                     .read_text(encoding="utf-8"))
    out: dict[str, set[str]] = {}
    for full, nicks in raw["names"].items():
        out.setdefault(full, set()).add(full)
        for n in nicks:
            out.setdefault(n, set()).add(full)
    return {k: frozenset(v) for k, v in out.items()}


def full_names(token: str) -> frozenset[str]:
    """The full given names a token may be short for (empty when it is none)."""
    return _nicknames().get(token, frozenset())


def nicknames_table_version() -> str:
    raw = json.loads((resources.files("dualuse.data") / "screening" / "nicknames.json")
                     .read_text(encoding="utf-8"))
    return ";".join(f"{s['name']} {s.get('version', '')}".strip() for s in raw["sources"])
