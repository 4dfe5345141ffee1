"""Name comparison, the heart of `dualuse-match-1`: align tokens, then weigh what is left over.

Two prepared names are aligned token by token (exact, small typos, consonant skeletons across
scripts, initials, split or merged words, acronyms). The score is the matched weight over the
matched weight plus what is missing: a list name with extra names (a patronymic, a middle name)
costs little, a query with words the list name lacks costs more, and words left over on *both*
sides (a different first name, a different number) cost the most, because that is a conflict,
not an omission.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from rapidfuzz.distance import OSA

from dualuse.screening.phonetic import (
    class_distance,
    consonant_key,
    full_names,
    wade_giles_to_pinyin,
)
from dualuse.screening.text import (
    ABJAD,
    ALPHABET,
    EAST_ASIAN,
    GENERIC,
    INITIAL,
    NAME,
    NUMBER,
    PARTICLE,
    PreparedName,
    european_skeleton,
    loose_skeleton,
    token_weight,
    vowel_gaps,
)

MATCHED = 0.6  # a token pair below this similarity is not an alignment
STRONG = 0.8  # at least one real word (not an initial) must match this well

# What a token left over costs, by side and by whether the other side also has leftovers.
EXTRA_QUERY = 0.6
EXTRA_LIST = 0.5
EXTRA_LIST_MORE = 0.65
CONFLICT = 1.0
MINOR_WORD = 0.5  # particles and generic organisation words
_DOUBLES = re.compile(r"(.)\1+")


@lru_cache(maxsize=100_000)
def _dedouble(token: str) -> str:
    return _DOUBLES.sub(r"\1", token)


_LOOSEN = str.maketrans("ldgj", "rtks")


def _loosen(outline: str) -> str:
    return _DOUBLES.sub(r"\1", outline.translate(_LOOSEN))


_LONG_VOWEL_KIN = {"y": "iey", "w": "uow", "a": "aeo"}


def _long_vowels_agree(abjad: str, latin: str) -> bool:
    """Each long vowel an abjad spelling writes after a consonant has a vowel of its kind
    after the same consonant in the Latin spelling."""
    ga, gl = vowel_gaps(abjad, True), vowel_gaps(latin, False)
    if ga is None or gl is None or len(ga) != len(gl):
        return True  # cannot align: no evidence either way
    for va, vl in zip(ga, gl, strict=True):
        for letter in va:
            kin = _LONG_VOWEL_KIN.get(letter)
            if kin and not any(ch in kin for ch in vl):
                return False
    return True


def _credit(s: float, how: str) -> float:
    """Credit for an aligned pair: spelling differences within one script cost more than their
    similarity suggests (two real names often differ by one letter), while transliteration
    differences across scripts are expected and cost less."""
    return s if how in ("skeleton", "transliteration", "acronym", "joined_outline", "sound",
                        "nickname", "wade_giles") else s * s


_CACHE: dict[tuple[str, str, int, int], tuple[float, str]] = {}
_CACHE_MAX = 400_000


def token_similarity(
    a: str, b: str, fam_a: int, fam_b: int, skel_a: str, skel_b: str
) -> tuple[float, str]:
    """Similarity of two folded tokens in [0, 1] and how it was found (memoised: the same
    common names meet again and again)."""
    if a == b:
        return 1.0, "exact"
    key = (a, b, fam_a, fam_b)
    hit = _CACHE.get(key)
    if hit is None:
        if len(_CACHE) >= _CACHE_MAX:
            _CACHE.clear()
        hit = _CACHE[key] = _token_similarity(a, b, fam_a, fam_b, skel_a, skel_b)
    return hit


_CACHE2: dict[tuple[str, str, int, int, bool], tuple[float, str]] = {}


def token_similarity_v2(q: PreparedName, i: int, c: PreparedName, j: int) -> tuple[float, str]:
    """`dualuse-match-2`: match-1's similarity, or better through sound classes (v/w, kh/h,
    dzh/j, Arabic letters read directly), nicknames and short forms, and Wade-Giles."""
    a, b = q.tokens[i], c.tokens[j]
    fam_a, fam_b = q.families[i], c.families[j]
    s, how = token_similarity(a, b, fam_a, fam_b, q.skeletons[i], c.skeletons[j])
    if s >= 0.9:
        return s, how
    names = q.kinds[i] == NAME and c.kinds[j] == NAME
    key = (a, b, fam_a, fam_b, names)
    hit = _CACHE2.get(key)
    if hit is None:
        if len(_CACHE2) >= _CACHE_MAX:
            _CACHE2.clear()
        hit = _CACHE2[key] = _similarity_v2(a, b, fam_a, fam_b, q.classes[i], c.classes[j],
                                            names)
    return hit if hit[0] > s else (s, how)


def _similarity_v2(a: str, b: str, fam_a: int, fam_b: int, cls_a: str, cls_b: str,
                   names: bool) -> tuple[float, str]:
    if a.isdigit() or b.isdigit():
        return 0.0, ""
    if names:
        fa, fb = full_names(a), full_names(b)
        if (a in fb or b in fa) and a != b:
            # Bill / William, Sasha / Aleksandr; a short form of several names (Sam: Samuel,
            # Samantha) says less.
            short = (fa if b in fa else fb) - {a, b}
            return (0.86 if len(short) <= 1 else 0.82 if len(short) <= 3 else 0.76), "nickname"
        if fa & fb:
            return 0.75, "nickname"  # Bill / Billy: two short forms of one name
    if EAST_ASIAN in (fam_a, fam_b):
        return 0.0, ""
    if (fam_a == ALPHABET and fam_b == ALPHABET and max(len(a), len(b)) <= 6
            and (wade_giles_to_pinyin(a) == b or wade_giles_to_pinyin(b) == a)):
        return 0.85, "wade_giles"  # Chou / Zhou, Tse / Ze
    ka, kb = consonant_key(cls_a), consonant_key(cls_b)
    if not ka or not kb or OSA.distance(ka, kb, score_cutoff=1) > 1:
        return 0.0, ""
    abjad = ABJAD in (fam_a, fam_b)
    d, cons = class_distance(cls_a, cls_b, abjad)
    if cons == 1 and d == 0 and abjad and len(cls_a) >= 2 and len(cls_b) >= 2:
        return 0.7, "sound"  # Ali / علي, Omar / عمر: one consonant, the vowels agree
    if cons < 2:
        return 0.0, ""
    sim = 1.0 - d / cons
    if cons == 2:
        # Two consonants meet many names; an abjad, which leaves vowels out, more still.
        if d == 0:
            return (0.72 if abjad else 0.8), "sound"
        return ((0.7, "sound") if d <= 0.25 and not abjad else (0.0, ""))
    if sim >= 0.95:
        return (0.92 if cons >= 4 or not abjad else 0.84), "sound"
    if sim >= 0.8:
        return (0.8 if not abjad or cons >= 4 else 0.74), "sound"
    if sim >= 0.7 and cons >= 4:
        return 0.72, "sound"
    return 0.0, ""


def _token_similarity(
    a: str, b: str, fam_a: int, fam_b: int, skel_a: str, skel_b: str
) -> tuple[float, str]:
    if a.isdigit() or b.isdigit():
        return 0.0, "number"
    longest = max(len(a), len(b))
    if longest <= 5 and EAST_ASIAN in (fam_a, fam_b):
        return 0.0, ""  # one-syllable names (Zhang, Zheng, Jian, Juan) differ by a letter
    if longest >= 5:
        d = OSA.distance(a, b, score_cutoff=2)
        if d == 1:
            return (0.8 if longest == 5 else 0.9), "typo"
        if d == 2 and longest >= 9:
            # Two letters apart in a long word: a transliteration variant if the consonants
            # agree (Volodimir / Volodymyr), else a double typo.
            return (0.85, "transliteration") if skel_a == skel_b else (0.75, "typo")
    if _dedouble(a) == _dedouble(b):
        return 0.9, "doubled_letter"
    if longest == 4 and skel_a == skel_b and OSA.distance(a, b, score_cutoff=1) <= 1:
        return 0.85, "spelling_variant"  # Erik / Eric: one letter, the same sound
    cross = fam_a != ALPHABET or fam_b != ALPHABET
    if cross and fam_a != fam_b:
        if EAST_ASIAN in (fam_a, fam_b):
            # Syllabic transliterations (pinyin, Revised Romanisation, kana) share consonants
            # with far too many names: only a long loose outline counts, and weakly.
            la, lb = loose_skeleton(a), loose_skeleton(b)
            if la == lb and len(la) >= 4:
                return 0.75, "loose_skeleton"
            return 0.0, ""
        # An abjad drops vowels: the consonant outline is the evidence, and the longer it is
        # the more it says.
        if skel_a == skel_b and len(skel_a) >= 2:
            if fam_a == ABJAD or fam_b == ABJAD:
                abjad, latin = (a, b) if fam_a == ABJAD else (b, a)
                if not _long_vowels_agree(abjad, latin):
                    return 0.7, "skeleton"  # same consonants, other vowels: Husayn / Ehsan
            return (0.92 if len(skel_a) >= 4 else 0.86 if len(skel_a) == 3 else 0.7), "skeleton"
        if min(len(skel_a), len(skel_b)) >= 5 and OSA.distance(skel_a, skel_b, score_cutoff=1) <= 1:
            return 0.75, "skeleton"
        la, lb = _loosen(skel_a), _loosen(skel_b)
        if la == lb and len(la) >= 3:
            return 0.75, "skeleton"  # d/t, g/k, l/r heard differently: Kathim / Kazim
        return 0.0, ""
    if ("w" in a or "w" in b) and len(skel_a) >= 4:
        skel_a, skel_b = european_skeleton(a), european_skeleton(b)
    if skel_a == skel_b and len(skel_a) >= 5:
        # Five consonants in the same order (Wladimirowitsch / Vladimirovich): a
        # transliteration of one name, not another name.
        return 0.85, "transliteration"
    if skel_a == skel_b and len(skel_a) >= 3:
        return 0.6, "spelling_variant"  # Mohammed / Muhammad: a spelling variant, weak on its own
    return 0.0, ""


@dataclass(slots=True)
class NameComparison:
    score: float
    method: str
    pairs: list[tuple[int, int, float, str]]
    query_left: list[int]
    list_left: list[int]

    def explain(self, q: PreparedName, c: PreparedName) -> dict[str, Any]:
        return {
            "score": round(self.score, 4),
            "method": self.method,
            "pairs": [
                [q.tokens[i] if i >= 0 else "", c.tokens[j] if j >= 0 else "", round(s, 3), how]
                for i, j, s, how in self.pairs
            ],
            "query_unmatched": [q.tokens[i] for i in self.query_left],
            "list_unmatched": [c.tokens[j] for j in self.list_left],
            "query_legal_forms": sorted(q.legal_forms),
            "list_legal_forms": sorted(c.legal_forms),
        }


def _join_match(
    single: PreparedName, i: int, multi: PreparedName, free: list[int], v2: bool = False
) -> tuple[list[int], float, str] | None:
    """Does token i of `single` equal two or three adjacent free tokens of `multi` joined?"""
    target = single.tokens[i]
    free_set = set(free)
    if v2 and ((single.syllables and single.syllables[i]) or single.families[i] == ABJAD
               or any(multi.families[k] == ABJAD for k in free_set)
               or (len(target) <= 12 and all(len(multi.tokens[k]) <= 6 for k in free_set))):
        found = _join_match_v2(single, i, multi, free_set)
        if found is not None:
            return found
    if single.families[i] == EAST_ASIAN:
        # A Korean or Chinese name written whole ("김정은", gimjeongeun) against its romanised
        # parts (Kim Jong Un): the loose consonant outlines of the whole and the parts joined.
        outline = loose_skeleton(target)
        for start in free:
            run = [k for k in range(start, min(start + 3, len(multi.tokens))) if k in free_set]
            for end in range(2, len(run) + 1):
                joined_outline = loose_skeleton("".join(multi.tokens[k] for k in run[:end]))
                if len(outline) >= 4 and joined_outline == outline:
                    return run[:end], 0.8, "joined_outline"
        return None
    for start in free:
        joined = multi.tokens[start]
        run = [start]
        for nxt in range(start + 1, min(start + 3, len(multi.tokens))):
            if nxt not in free_set:
                break
            joined += multi.tokens[nxt]
            run.append(nxt)
            if len(joined) > len(target) + 2:
                break
            if joined == target:
                return run, 0.95, "joined"
            if len(target) >= 6 and OSA.distance(joined, target, score_cutoff=1) <= 1:
                return run, 0.8, "joined"
    return None


def _join_match_v2(single: PreparedName, i: int, multi: PreparedName, free_set: set[int]
                   ) -> tuple[list[int], float, str] | None:
    """Joined words read by sound (Arabic 'عبد الله' / Abdallah, Nur al-Din / Noureddine) and
    Chinese syllables (毛泽东 / Mao Tse-tung, Mao Zedong)."""
    syllables = single.syllables[i] if single.syllables else ()
    abjad = single.families[i] == ABJAD or any(multi.families[k] == ABJAD for k in free_set)
    target_key = consonant_key(single.classes[i]) if single.classes else ""
    for start in sorted(free_set):
        run = [start]
        for nxt in range(start + 1, min(start + 4, len(multi.tokens))):
            if nxt not in free_set:
                break
            run.append(nxt)
            if syllables:
                pinyin = "".join(wade_giles_to_pinyin(multi.tokens[k]) for k in run)
                if pinyin == "".join(syllables) and len(pinyin) >= 4:
                    return list(run), 0.9, "wade_giles"
                continue
            if single.families[i] == EAST_ASIAN:
                continue
            if (single.families[i] == ALPHABET and len(target_tokens := [multi.tokens[k]
                                                                          for k in run]) >= 2
                    and all(len(t) <= 6 for t in target_tokens)
                    and "".join(wade_giles_to_pinyin(t) for t in target_tokens)
                    == single.tokens[i]):
                return list(run), 0.88, "wade_giles"  # Tse-tung / Zedong
            if not abjad:
                continue
            joined = "".join(multi.classes[k] for k in run)
            key = consonant_key(joined)
            if len(key) < 2 or OSA.distance(key, target_key, score_cutoff=1) > 1:
                continue  # a cheap outline test before the alignment
            d, cons = class_distance(single.classes[i], joined, abjad)
            if (cons >= 4 and d <= 0.5) or (cons >= 3 and d == 0):
                return list(run), 0.88, "sound"
    return None


def _acronym_match(
    single: PreparedName, i: int, multi: PreparedName, free: list[int]
) -> list[int] | None:
    """Is token i of `single` the initials of two or more adjacent free tokens of `multi`?"""
    target = single.tokens[i]
    if not 2 <= len(target) <= 6:
        return None
    free_set = set(free)
    for start in free:
        end = start + len(target)
        if end > len(multi.tokens) or any(k not in free_set for k in range(start, end)):
            continue
        if all(multi.tokens[start + k][0] == target[k] for k in range(len(target))):
            return list(range(start, end))
    return None


def _digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())


def _abjad_joins(q: PreparedName, c: PreparedName, q_used: list[bool], c_used: list[bool],
                 pairs: list[tuple[int, int, float, str]]) -> None:
    """dualuse-match-2, before the word-by-word alignment: a word one side writes whole that the
    other writes as two or three (Noureddine / نور الدين, Abdallah / عبد الله)."""
    for side in (0, 1):
        one, other = (q, c) if side == 0 else (c, q)
        one_used, other_used = (q_used, c_used) if side == 0 else (c_used, q_used)
        for i in range(len(one.tokens)):
            if one_used[i] or one.kinds[i] != NAME:
                continue
            free = {k for k in range(len(other.tokens)) if not other_used[k]}
            if len(free) < 2:
                return
            found = _join_match_v2(one, i, other, free)
            if found is None:
                continue
            run, sim, how = found
            one_used[i] = True
            for k in run:
                other_used[k] = True
                pairs.append((i, k, sim, how) if side == 0 else (k, i, sim, how))


def compare_names(q: PreparedName, c: PreparedName, v2: bool = False) -> NameComparison:
    """Align the tokens of a query name and a list name and score the alignment (`v2`: the
    token similarities of dualuse-match-2; match-1 is unchanged without it)."""
    nq, nc = len(q.tokens), len(c.tokens)
    if q.tokens == c.tokens:
        return NameComparison(1.0, "identical", [(i, i, 1.0, "exact") for i in range(nq)], [], [])
    q_used = [False] * nq
    c_used = [False] * nc
    pairs: list[tuple[int, int, float, str]] = []
    # Exact words first (the greedy alignment would take them first anyway), then the rest.
    c_pos = {t: j for j, t in enumerate(c.tokens)}
    for i, t in enumerate(q.tokens):
        j = c_pos.get(t)
        if j is not None and q.kinds[i] != INITIAL and c.kinds[j] != INITIAL:
            if v2 and q.kinds[i] == PARTICLE and ABJAD in q.families + c.families:
                continue  # an Arabic article may belong to a word the other side writes whole
            q_used[i] = c_used[j] = True
            pairs.append((i, j, 1.0, "exact"))
    if v2 and (ABJAD in q.families or ABJAD in c.families):
        _abjad_joins(q, c, q_used, c_used, pairs)
    candidates: list[tuple[float, int, int, str]] = []
    for i in range(nq):
        if q_used[i] or q.kinds[i] == INITIAL:
            continue
        for j in range(nc):
            if c_used[j] or c.kinds[j] == INITIAL:
                continue
            if v2:
                s, how = token_similarity_v2(q, i, c, j)
            else:
                s, how = token_similarity(
                    q.tokens[i], c.tokens[j], q.families[i], c.families[j],
                    q.skeletons[i], c.skeletons[j],
                )
            if s >= MATCHED:
                candidates.append((s, i, j, how))
    candidates.sort(key=lambda t: -t[0])
    for s, i, j, how in candidates:
        if not q_used[i] and not c_used[j]:
            q_used[i] = c_used[j] = True
            pairs.append((i, j, s, how))
    # Split and merged words, acronyms, initials: only among what is still unaligned.
    leftovers = (nq - sum(q_used) >= 1 and nc - sum(c_used) >= 2) or (
        nc - sum(c_used) >= 1 and nq - sum(q_used) >= 2)
    for side in (0, 1) if leftovers else ():
        one, other = (q, c) if side == 0 else (c, q)
        one_used, other_used = (q_used, c_used) if side == 0 else (c_used, q_used)
        free = [k for k in range(len(other.tokens)) if not other_used[k]]
        for i in range(len(one.tokens)):
            if len(free) < 2:
                break
            if one_used[i] or one.kinds[i] == INITIAL:
                continue
            size = len(one.tokens[i])
            run: list[int] | None = None
            how = "joined"
            if size >= 5 or (v2 and ((one.syllables and one.syllables[i])
                                     or one.families[i] == ABJAD)):
                joined = _join_match(one, i, other, free, v2)
                if joined is not None:
                    run, s, how = joined
            if run is None and size <= min(6, len(free)):
                run, s, how = _acronym_match(one, i, other, free), 0.85, "acronym"
            if run:
                one_used[i] = True
                for k in run:
                    other_used[k] = True
                    pairs.append((i, k, s, how) if side == 0 else (k, i, s, how))
                free = [k for k in free if not other_used[k]]
    for i in range(nq):
        if not q_used[i] and q.kinds[i] == INITIAL:
            for j in range(nc):
                if not c_used[j] and c.tokens[j][0] == q.tokens[i] and c.kinds[j] != NUMBER:
                    q_used[i] = c_used[j] = True
                    pairs.append((i, j, 0.9, "initial"))
                    break
    c_weak = False  # a list word met only by the query's initial
    q_weak = False  # a query word met only by the list's initial
    for i, j, _, how in pairs:
        if how == "initial":
            c_weak = c_weak or c.kinds[j] != INITIAL
            q_weak = q_weak or q.kinds[i] != INITIAL
    for j in range(nc):
        if not c_used[j] and c.kinds[j] == INITIAL:
            for i in range(nq):
                if not q_used[i] and q.tokens[i][0] == c.tokens[j] and q.kinds[i] != NUMBER:
                    q_used[i] = c_used[j] = True
                    pairs.append((i, j, 0.9, "initial"))
                    q_weak = True
                    break

    matched = loss = 0.0
    strong = False
    seen_q: set[int] = set()
    seen_c: set[int] = set()
    for i, j, s, how in pairs:
        # A token aligned to several (joined words, acronyms) counts once on each side.
        wq = q.weights[i] if i not in seen_q else 0.0
        wc = c.weights[j] if j not in seen_c else 0.0
        seen_q.add(i)
        seen_c.add(j)
        w = (wq + wc) / 2
        credit = _credit(s, how)
        matched += credit * w
        loss += (1.0 - credit) * w
        if s >= STRONG and how != "initial" and q.kinds[i] in (NAME, NUMBER):
            strong = True
    q_left = [i for i in range(nq) if not q_used[i]]
    c_left = [j for j in range(nc) if not c_used[j]]
    # A conflict needs real words left over on both sides, in scripts whose transliteration is
    # trustworthy: an Arabic or Chinese word that found no partner may just be spelt far apart.
    q_major = [i for i in q_left if q.kinds[i] not in (PARTICLE, GENERIC)
               and q.families[i] == ALPHABET]
    c_major = [j for j in c_left if c.kinds[j] not in (PARTICLE, GENERIC)
               and c.families[j] == ALPHABET]
    conflict = (bool(q_major) or q_weak) and (bool(c_major) or c_weak)
    extra = 0.0
    for i in q_left:
        k = q.kinds[i]
        if k == GENERIC:
            # A word the query adds to an organisation's name ("Systems", "Trust") often names
            # another company of the group: it costs as a name word would.
            extra += EXTRA_QUERY * token_weight(q.tokens[i], NAME)
            continue
        if k == PARTICLE:
            f = MINOR_WORD
        elif q.families[i] != ALPHABET:
            f = EXTRA_QUERY  # a word from another script that found no spelling to meet
        else:
            f = CONFLICT if conflict or k == NUMBER else EXTRA_QUERY
        extra += f * q.weights[i]
    # A Chinese, Japanese or Korean name written in its own script is written whole: a list
    # name with a further syllable is another name.
    whole = bool(q.families) and all(f == EAST_ASIAN for f in q.families)
    extras = 0
    for j in c_left:
        k = c.kinds[j]
        if k in (PARTICLE, GENERIC):
            f = MINOR_WORD
        elif c.families[j] != ALPHABET or c.patronymic[j]:
            f = EXTRA_LIST * 0.5  # an untransliterable word, or a patronymic the query omits
        elif conflict or k == NUMBER or whole:
            f = CONFLICT
        else:
            # One middle name the query leaves out is common; each further one less so.
            f = EXTRA_LIST if extras == 0 else EXTRA_LIST_MORE
            extras += 1
        extra += f * c.weights[j]
    total = matched + loss + extra
    score = matched / total if total > 0 else 0.0
    if not strong and q.tokens != c.tokens:
        score = min(score, 0.5)
    if any(q.kinds[i] == NUMBER for i in q_left) or any(c.kinds[j] == NUMBER for j in c_left):
        score = min(score, 0.65)  # "Fund I" and "Fund II", "Victory" and "Victory 3" differ
    if (q.person or c.person) and not (q.organisation or c.organisation):
        # A query giving several names of which one is shared is a namesake, not a match.
        full = {j for _, j, s, _ in pairs if s >= STRONG and c.kinds[j] not in (PARTICLE, GENERIC)}
        major = (NAME, NUMBER)
        if len(full) < 2 and sum(1 for k in q.kinds if k in major) >= 2:
            score = min(score, 0.65)
    method = "tokens"
    numbers_left = any(q.kinds[i] == NUMBER for i in q_left) or any(
        c.kinds[j] == NUMBER for j in c_left)
    merged = nq != nc or min(nq, nc) == 1
    if merged and not numbers_left and len(q.compact) >= 8 and len(c.compact) >= 8:
        longest = max(len(q.compact), len(c.compact))
        allowed = 0 if longest < 12 else (1 if longest < 18 else 2)
        d = OSA.distance(q.compact, c.compact, score_cutoff=allowed)
        if d <= allowed and _digits(q.compact) == _digits(c.compact) and 0.95 - 0.04 * d > score:
            score, method = 0.95 - 0.04 * d, "compact"
    return NameComparison(score, method, sorted(pairs), q_left, c_left)
