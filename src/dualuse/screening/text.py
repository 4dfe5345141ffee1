"""Name normalisation: Unicode, scripts, case and accents, legal forms, honorifics, initials.

A name becomes a `PreparedName`: ASCII lower-case tokens (transliterated from any script), each
with a kind, a weight and a consonant skeleton, plus the legal forms the name carried. Both sides
of a comparison go through the same steps, so a list name in Arabic script and a query in Arabic
script meet in the same transliteration, and a Latin spelling meets an Arabic one through the
skeleton.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from anyascii import anyascii
from rapidfuzz import process
from rapidfuzz.distance import OSA

from dualuse.screening.phonetic import arabic_classes, arabic_latin, latin_classes
from dualuse.screening.vocabulary import (
    ABBREVIATIONS,
    EDGE_ONLY_FORMS,
    GENERIC_ORG_WORDS,
    GEO_WORDS,
    HONORIFICS,
    LEGAL_FORMS,
    MAX_FORM_WORDS,
    NUMBER_WORDS,
    PARTICLES,
)

# Token kinds.
NAME, PARTICLE, GENERIC, NUMBER, INITIAL = 0, 1, 2, 3, 4
KIND_NAMES = ("name", "particle", "generic", "number", "initial")
# Script families: how much a transliteration can be trusted letter by letter.
ALPHABET, ABJAD, EAST_ASIAN = 0, 1, 2

_WEIGHT = {PARTICLE: 0.25, GENERIC: 0.4, NUMBER: 1.0, INITIAL: 0.5}

# Characters that separate words: punctuation, symbols, separators, controls. Apostrophes and
# format characters (zero-width spaces, joiners, bidi marks, soft hyphens) are removed instead,
# so that "Qa'ida" stays one word and an invisible character cannot split one.
_DROP = dict.fromkeys(map(ord, "'’‘ʼʻ`´ʹʾʿ"), None)
_KANA_U = re.compile(r"([kstrzbfmh])u(?=[bcdfghkmprstz])|([kstrzbfmhp])u$")
_KANA_O = re.compile(r"([td])o$")
_LEET = str.maketrans("0134579", "oieastg")
_NON_ALNUM = re.compile(r"[^a-z0-9]+")
# Patronymic endings (East Slavic, Turkic): lists spell them out, queries often omit them.
_PATRONYMIC = re.compile(
    r"(ovich|evich|ovych|evych|ovna|evna|ivna|ichna|yevich|ogly|oglu|qizi|kyzy|owitsch|ewitsch"
    r"|owicz|ewicz|owitsj|ewitsj|ovics|evics|ovitch|evitch|ovitj|evitj)$"
)
_ORDINAL = re.compile(r"^\d+(st|nd|rd|th)$")


def _char_class(ch: str) -> int:
    o = ord(ch)
    if 0x0590 <= o <= 0x08FF or 0xFB1D <= o <= 0xFDFF or 0xFE70 <= o <= 0xFEFF:
        return ABJAD  # Hebrew, Arabic, Syriac, Thaana: vowels mostly unwritten
    if (
        0x3040 <= o <= 0x30FF
        or 0x3400 <= o <= 0x9FFF
        or 0xAC00 <= o <= 0xD7AF
        or 0x1100 <= o <= 0x11FF
        or 0x3130 <= o <= 0x318F
        or 0xF900 <= o <= 0xFAFF
        or 0xFF66 <= o <= 0xFF9F
        or o >= 0x20000
    ):
        return EAST_ASIAN  # Han, kana, Hangul: syllables, sounds mapped loosely
    if 0x0900 <= o <= 0x0DFF or 0x0E00 <= o <= 0x0FFF or 0x1000 <= o <= 0x109F or (
        0x1780 <= o <= 0x17FF
    ):
        return ABJAD  # Indic and South-East Asian abugidas: treated as loosely as abjads
    return ALPHABET


def _abjad_skeleton(token: str) -> str:
    """Arabic and Persian spellings: a leading waw is a consonant (v/w), a final h is mostly
    ta marbuta or a silent he (Samira, Sajida)."""
    if token[0] == "w":
        token = "v" + token[1:]
    if len(token) > 3 and token.endswith("h"):
        token = token[:-1]
    return skeleton(token)


_CONSONANT_MAP = str.maketrans("pfvcqgz", "bbbkkks")


@lru_cache(maxsize=200_000)
def vowel_gaps(token: str, abjad: bool) -> tuple[str, ...] | None:
    """The vowel letters after each consonant of the outline (aligned with `skeleton`), or
    None when they cannot be aligned. Abjads write long vowels (alef, waw, ya) and drop short
    ones: a written long vowel where the Latin spelling has none of its kind tells two names
    apart that share their consonants (Husayn / Ehsan)."""
    s = token
    if abjad:
        if s[0] == "w":
            s = "v" + s[1:]
        if len(s) > 3 and s.endswith("h"):
            s = s[:-1]
    for a, b in _DIGRAPHS:
        if a in s:
            s = s.replace(a, b)
    s = s.translate(_CONSONANT_MAP)
    gaps: list[str] = []
    last = ""
    for ch in s:
        if ch in "aeiouyw":
            if gaps:
                gaps[-1] += ch
        elif ch != last or not gaps:
            gaps.append("")
            last = ch
        elif gaps[-1]:
            gaps.append("")  # the same consonant again after a vowel is a new one
        if ch not in "aeiouyw":
            last = ch
    return tuple(gaps) if gaps else None


def _split_arabic_article(words: list[str]) -> list[str]:
    """'التكريتي' is al-Tikriti: the article written onto an Arabic word becomes its own word
    (the Latin spellings write it apart), and a lone article is spelt 'al'."""
    out: list[str] = []
    for w in words:
        if len(w) > 3 and w[0] == "\u0627" and w[1] == "\u0644":
            out += ["al", w[2:]]
        else:
            out.append(w)
    return out


def _split_words(text: str) -> list[str]:
    """NFKC, drop format characters and apostrophes, split on punctuation and spaces."""
    text = unicodedata.normalize("NFKC", text).translate(_DROP)
    out: list[str] = []
    buf: list[str] = []
    for ch in text:
        cat = unicodedata.category(ch)
        if cat == "Cf":
            continue
        if cat[0] in "PSZC":
            if buf:
                out.append("".join(buf))
                buf = []
        else:
            buf.append(ch)
    if buf:
        out.append("".join(buf))
    return out


# Modern Greek spells foreign sounds with letter pairs: ου = u, ντ = d, μπ = b, γκ = g.
_GREEK_PAIRS = (("ου", "u"), ("ντ", "d"), ("μπ", "b"), ("γκ", "g"), ("τζ", "dz"))


def _greek_digraphs(word: str) -> str:
    plain = "".join(ch for ch in unicodedata.normalize("NFD", word.lower())
                    if not unicodedata.combining(ch))
    for pair, latin in _GREEK_PAIRS:
        plain = plain.replace(pair, latin)
    return plain


@lru_cache(maxsize=200_000)
def _fold_word(word: str) -> tuple[str, int]:
    """One word to ASCII lower case, with the script family it came from."""
    family = ALPHABET
    for ch in word:
        if ch.isalpha():
            family = _char_class(ch)
            break
    if any("\u0370" <= ch <= "\u03ff" or "\u1f00" <= ch <= "\u1fff" for ch in word):
        word = _greek_digraphs(word)
    kana = any("\u3040" <= ch <= "\u30ff" for ch in word)
    folded = anyascii(word).lower().translate(_DROP)
    if kana:
        # Katakana writes a foreign consonant with a vowel it does not have: "baraku" for
        # Barack, "donarudo" for Donald. Drop the vowel a consonant cluster or the end forces.
        folded = _KANA_O.sub(r"\1", _KANA_U.sub(lambda m: m.group(1) or m.group(2), folded))
    folded = _NON_ALNUM.sub("", folded)
    if folded and not folded.isdigit() and not folded.isalpha() and not _ORDINAL.match(folded):
        folded = folded.translate(_LEET)  # homoglyph digits inside words: "Sech1n"
        folded = _NON_ALNUM.sub("", folded)
    return folded, family


@lru_cache(maxsize=200_000)
def _fold_word_v2(word: str) -> tuple[str, int]:
    """dualuse-match-2's folding: Arabic and Persian words spelt with their long vowels."""
    if any("\u0600" <= ch <= "\u06ff" for ch in word):
        latin = arabic_latin(word)
        if latin:
            return latin, ABJAD
    return _fold_word(word)


def fold(text: str) -> str:
    """Case-, accent- and script-folded text: 'Ḥusayn Öztürk' -> 'husayn ozturk'."""
    return " ".join(w for w, _ in (_fold_word(x) for x in _split_words(text)) if w)


_DIGRAPHS = (
    ("tsch", "s"), ("sch", "s"), ("tch", "s"), ("sh", "s"), ("ch", "s"), ("zh", "s"),
    ("ph", "b"), ("th", "t"), ("dh", "d"), ("kh", "k"), ("gh", "k"), ("ck", "k"), ("dj", "j"),
    ("ts", "s"), ("tz", "s"), ("cz", "s"), ("x", "ks"),
)
_SKELETON_MAP = str.maketrans("pfvcqgzw", "bbbkkks ", "")
_VOWELS = re.compile(r"[aeiouy ]+")
_DOUBLES = re.compile(r"(.)\1+")


@lru_cache(maxsize=200_000)
def skeleton(token: str) -> str:
    """The consonant outline of a token, merging letters transliterations confuse.

    'mohammed', 'muhammad' and Arabic 'mhmd' all give 'mhmd'; 'vladimir' and Arabic 'fldymyr'
    both give 'bldmr'."""
    s = token
    for a, b in _DIGRAPHS:
        if a in s:
            s = s.replace(a, b)
    s = s.translate(_SKELETON_MAP)
    s = _VOWELS.sub("", s)
    return _DOUBLES.sub(r"\1", s)


@lru_cache(maxsize=200_000)
def european_skeleton(token: str) -> str:
    """The outline with w as the consonant it is in German, Polish or Dutch spellings
    (Wladimirowitsch), where `skeleton` reads w as the vowel of Arabic spellings (Huwaysh)."""
    return skeleton(token.replace("w", "v"))


@lru_cache(maxsize=200_000)
def loose_skeleton(token: str) -> str:
    """A looser outline for East Asian transliterations (no l/r, voicing or final -u)."""
    return _DOUBLES.sub(r"\1", skeleton(token).translate(str.maketrans("ldgj", "rtks")))


_ROMAN = {"i": "1", "ii": "2", "iii": "3", "iv": "4", "v": "5", "vi": "6", "vii": "7",
          "viii": "8", "ix": "9", "x": "10"}


def _token_kind(tok: str, organisation: bool) -> int:
    if tok.isdigit():
        return NUMBER
    if len(tok) == 1:
        return INITIAL
    if tok in PARTICLES:
        return PARTICLE
    if organisation and tok in GEO_WORDS:
        return PARTICLE
    if organisation and tok in GENERIC_ORG_WORDS:
        return GENERIC
    return NAME


def token_weight(tok: str, kind: int) -> float:
    """How much a token says about identity: long name words most, particles least."""
    if kind != NAME:
        return _WEIGHT[kind]
    return 0.55 + 0.08 * min(len(tok), 9) if len(tok) > 2 else 0.5


_WORDS_IN_PERSON_NAMES = frozenset({"company", "companies", "foundation", "fund", "association",
                                    "partnership", "corporation", "corp", "co", "as", "ad",
                                    "ab", "ou", "pt", "ip", "sl", "cv", "eg", "dd", "ev", "kk"})
_LONG_FORMS = [k[0] for k in LEGAL_FORMS if len(k) == 1 and len(k[0]) >= 9]


@lru_cache(maxsize=50_000)
def _misspelt_form(word: str) -> str | None:
    """'Aktiengeselschaft' is still an Aktiengesellschaft: long legal-form words within two
    edits."""
    hit = process.extractOne(word, _LONG_FORMS, scorer=OSA.distance, score_cutoff=2)
    return LEGAL_FORMS[(hit[0],)] if hit else None


def _strip_legal_forms(
    words: list[str], person: bool, foreign: set[str]
) -> tuple[list[str], list[str]]:
    """Remove legal-form words, returning (remaining words, legal-form categories)."""
    found: list[str] = []
    out: list[str] = []
    i = 0
    n = len(words)
    while i < n:
        hit = 0
        for size in range(min(MAX_FORM_WORDS, n - i), 0, -1):
            key = tuple(words[i : i + size])
            if foreign.intersection(key):
                continue  # a transliterated Khmer or Arabic word is a name, whatever it spells
            cat = LEGAL_FORMS.get(key)
            if cat is None and size == 1 and len(key[0]) >= 9:
                cat = _misspelt_form(key[0])
            if cat is None:
                continue
            at_edge = i == 0 or i + size == n
            if ((size == 1 and key[0] in EDGE_ONLY_FORMS) or person) and not at_edge:
                continue
            if person and size == 1 and key[0] in _WORDS_IN_PERSON_NAMES:
                continue
            if person and i == 0:
                continue  # a person's first word is a name, not a legal form
            hit = size
            found.append(cat)
            break
        if hit:
            i += hit
        else:
            out.append(words[i])
            i += 1
    if not out:  # a name that is nothing but legal-form words ("Trust Company") keeps them
        return words, []
    return out, found


def _merge_numbers(words: list[str]) -> list[str]:
    """'forty four' -> '44', 'first' -> '1'."""
    out: list[str] = []
    pending: int | None = None
    for w in words:
        value = NUMBER_WORDS.get(w)
        if value is not None:
            if pending is None:
                pending = value
            else:
                pending = pending * 100 if value == 100 else pending + value
            continue
        if pending is not None:
            out.append(str(pending))
            pending = None
        out.append(w)
    if pending is not None:
        out.append(str(pending))
    return out


def _join_dotted_initials(raw_words: list[str], folded: list[str]) -> list[str]:
    """'A.B.C.' -> 'abc': a run of one-letter words written with dots is an acronym."""
    out: list[str] = []
    run: list[str] = []
    for w in folded:
        if len(w) == 1 and w.isalpha():
            run.append(w)
            continue
        if len(run) >= 3:
            out.append("".join(run))
        else:
            out.extend(run)
        run = []
        out.append(w)
    if len(run) >= 3:
        out.append("".join(run))
    else:
        out.extend(run)
    return out


_SLASH = re.compile(r"(?<=\w{3})\s*/\s*(?=\w{3})")


def alternatives(name: str) -> list[str]:
    """A name field holding several names joined by '/' ("Al-Qa'ida/Islamic Army"): the whole
    and each part. Short parts ("A/S", "S/A") are legal forms, not names, and stay joined."""
    parts = [p for p in _SLASH.split(name) if p.strip()]
    return [name, *parts] if len(parts) > 1 else [name]


@dataclass(frozen=True, slots=True)
class PreparedName:
    """A name ready to compare: tokens with kinds, weights, skeletons and script family."""

    original: str
    tokens: tuple[str, ...]
    kinds: tuple[int, ...]
    weights: tuple[float, ...]
    skeletons: tuple[str, ...]
    families: tuple[int, ...]
    legal_forms: frozenset[str]
    compact: str  # all words joined, legal forms included: catches "SiemensAG"
    person: bool = False
    organisation: bool = False  # said to be an organisation, vessel or aircraft
    patronymic: tuple[bool, ...] = ()
    # dualuse-match-2 only: the sound classes of each token (phonetic.py), read from the
    # original script where it was Arabic or Persian, and the pinyin syllables of Han words.
    classes: tuple[str, ...] = ()
    syllables: tuple[tuple[str, ...], ...] = ()

    @property
    def total_weight(self) -> float:
        return sum(self.weights)


# dualuse-match-2: Arabic words that are particles as their Latin spellings are (bin, abu, ould,
# bint, abd), and the letters the article assimilates to (as-Saadi, ar-Rahman: "sun letters").
_ABJAD_PARTICLES = frozenset({"bn", "bw", "abw", "wld", "bnt", "bd"})
_SUN_LETTERS = frozenset("تثدذرزسشصضطظلن")


def prepare_name(name: str, schema: str | None = None, *, v2: bool = False) -> PreparedName:
    """Normalise one name. `schema` steers legal-form handling (persons keep more words);
    `v2` adds what dualuse-match-2 reads (match-1 names are prepared exactly as before)."""
    person = schema == "Person"
    organisation = schema in ("Organization", "LegalEntity", "Vessel", "Aircraft", None)
    raw = _split_arabic_article(_split_words(name))
    folded_pairs = [(_fold_word_v2 if v2 else _fold_word)(w) for w in raw]
    raw_by_word = {f: w for (f, _), w in zip(folded_pairs, raw, strict=True) if f}
    families_by_word: dict[str, int] = {}
    words: list[str] = []
    for w, fam in folded_pairs:
        if w:
            words.append(w)
            families_by_word[w] = fam
    words = _join_dotted_initials(raw, words)
    lead = 0
    while (lead < len(words) - 1 and words[lead] in HONORIFICS
           and families_by_word.get(words[lead], ALPHABET) == ALPHABET):
        lead += 1  # titles come first: "Mr", "Sheikh", "President" (Prince the surname stays)
    words = words[lead:]
    compact = "".join(words)
    foreign = {w for w, fam in families_by_word.items() if fam != ALPHABET}
    words, forms = _strip_legal_forms(words, person, foreign)
    words = _merge_numbers(words)
    if organisation and not person:
        words = [ABBREVIATIONS.get(w, w) for w in words]
    if len(words) > 1 and (len(words[-1]) > 1 or schema in ("Organization", "Vessel",
                                                             "Aircraft")):
        # "Victory II", "Fund I": a Roman numeral ending a name is a number (a lone I, V or X
        # only in an organisation's or vessel's name; in a person's it may be an initial).
        words[-1] = _ROMAN.get(words[-1], words[-1])
    tokens: list[str] = []
    seen: set[str] = set()
    for w in words:
        if w in seen and not (v2 and w in PARTICLES):
            continue  # "Sergey Sergey Shoigu": a repeated word adds nothing
        seen.add(w)
        tokens.append(w)
    kinds = [_token_kind(t, organisation and not person) for t in tokens]
    if v2:
        kinds = [PARTICLE if families_by_word.get(t) == ABJAD and t in _ABJAD_PARTICLES else k
                 for t, k in zip(tokens, kinds, strict=True)]
    if all(k in (PARTICLE, GENERIC) for k in kinds):
        kinds = [NAME] * len(tokens)  # "The Trust": its only words are its name
    return PreparedName(
        original=name,
        tokens=tuple(tokens),
        kinds=tuple(kinds),
        weights=tuple(token_weight(t, k) for t, k in zip(tokens, kinds, strict=True)),
        skeletons=tuple(_abjad_skeleton(t) if families_by_word.get(t) == ABJAD else skeleton(t)
                        for t in tokens),
        families=tuple(families_by_word.get(t, ALPHABET) for t in tokens),
        legal_forms=frozenset(forms),
        compact=compact,
        person=person,
        organisation=schema in ("Organization", "Vessel", "Aircraft"),
        patronymic=tuple(bool(_PATRONYMIC.search(t)) and len(t) >= 7 for t in tokens),
        classes=_all_classes(tokens, raw_by_word, families_by_word) if v2 else (),
        syllables=tuple(_syllables(raw_by_word.get(t, t))
                        if families_by_word.get(t) == EAST_ASIAN else () for t in tokens),
    )


def _all_classes(tokens: list[str], raw_by_word: dict[str, str],
                 families_by_word: dict[str, int]) -> tuple[str, ...]:
    out = [_classes(t, raw_by_word.get(t, t), families_by_word.get(t, ALPHABET)) for t in tokens]
    for n, t in enumerate(tokens[:-1]):
        nxt = raw_by_word.get(tokens[n + 1], "")
        if t == "al" and families_by_word.get(tokens[n + 1]) == ABJAD and nxt[:1] in _SUN_LETTERS:
            out[n] = "V"  # al-Saadi is spelt as-Saadi, Essaadi
    return tuple(out)


def _classes(token: str, raw: str, family: int) -> str:
    if family == ABJAD and any("\u0600" <= ch <= "\u06ff" for ch in raw):
        return arabic_classes(raw)
    return latin_classes(token)


_CAPITALS = re.compile(r"[A-Z][a-z]*")


@lru_cache(maxsize=50_000)
def _syllables(raw: str) -> tuple[str, ...]:
    """Han characters as pinyin syllables (anyascii writes each capitalised: 'MaoZeDong')."""
    if not any("\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff" for ch in raw):
        return ()
    return tuple(m.group(0).lower() for m in _CAPITALS.finditer(anyascii(raw)))
