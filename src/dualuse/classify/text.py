"""Normalising and tokenising product descriptions and Annex I text the same way.

A light suffix stemmer (not Porter: it must keep technical words such as "gas" or "lens" intact)
makes "cameras"/"camera" and "detectors"/"detecting" meet; stop words are the function words of
English and of the list's own boilerplate ("specially designed ... as follows").
"""

from __future__ import annotations

import itertools
import re
from functools import lru_cache

from anyascii import anyascii

_WORD = re.compile(r"[a-z0-9]+(?:[-'][a-z0-9]+)*")

# Function words, plus list boilerplate that appears in most provisions and tells nothing about
# the item ("specially designed components therefor, as follows").
STOP_WORDS = frozenset(
    """
    a an and or the of for to in on at by with without from as is are be been being it its
    this that these those which who whom whose than then there their them they we you your
    our my me i he she his her not no nor but if so such any all both each either other
    others following follows therefor thereof therein specially designed modified having
    any including include includes e g i e etc has have had can could may might will would
    shall should must do does did into onto over under per via also only very more most
    less than up out about above below between within one two three specified entry note
    notes component components
    """.split()  # noqa: SIM905
)

_KEEP = frozenset(
    """
    gas lens glass mass class pass bias plus process press status chassis radius virus
    apparatus analysis synthesis basis axis thesis physics optics ballistics electronics
    avionics acoustics dynamics robotics hydraulics pneumatics series species always
    thickness stainless harness wireless less cross boss loss moss alias atlas canvas
    sonar lidar
    """.split()  # noqa: SIM905
)


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """Reduce an English word to a light stem (plurals, -ing, -ed, -er(s), -ion)."""
    w = word
    if w in _KEEP or len(w) <= 3 or w.isdigit():
        return w
    if w.endswith("ies") and len(w) > 4:
        return w[:-3] + "y"
    if w.endswith("sses"):
        return w[:-2]
    if w.endswith(("tion", "sion", "xion")) and not w.endswith("ation") and len(w) >= 8:
        return w[:-3]  # interception -> intercept, detection -> detect, compression -> compress
    if w.endswith(("tions", "sions")) and not w.endswith("ations") and len(w) >= 9:
        return w[:-4]
    if w.endswith(("ors", "ers")) and len(w) > 5:
        return w[:-1]  # detectors -> detector; "-or"/"-er" stay (reactor is not reaction)
    for suffix in ("ations", "ation", "ings", "ing", "ed", "es", "s"):
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            if suffix == "s" and (w.endswith(("ss", "us", "is"))):
                return w
            if suffix == "es" and not w.endswith(("ches", "shes", "xes", "zes", "sses")):
                return w[:-1]
            base = w[: -len(suffix)]
            if suffix in ("ing", "ings", "ed") and len(base) >= 3 and base[-1] == base[-2]:
                base = base[:-1]
            return base
    return w


def normalise(text: str) -> str:
    """Lower-case ASCII text with quotes and punctuation reduced to spaces."""
    text = anyascii(text).lower()
    text = text.replace("'", " ").replace('"', " ")
    return text


def words(text: str) -> list[str]:
    """Word tokens of `text` (lower-case ASCII), hyphenated words also split into parts."""
    out: list[str] = []
    for match in _WORD.finditer(normalise(text)):
        token = match.group(0)
        if "-" in token:
            parts = [p for p in token.split("-") if p]
            out.extend(parts)
            out.append("".join(parts))
        else:
            out.append(token)
    return out


def terms(text: str) -> list[str]:
    """Stemmed content terms of `text`, in order (stop words removed)."""
    return [stem(w) for w in words(text) if w not in STOP_WORDS and not _is_noise(w)]


def _is_noise(word: str) -> bool:
    # Single letters and roman-numeral-like list markers carry no meaning; numbers are kept
    # only when they look like a property ("18", "515") of 2+ digits.
    if len(word) == 1:
        return True
    return bool(word.isdigit() and len(word) > 6)


def with_bigrams(stems: list[str]) -> list[str]:
    """The stems plus adjacent-pair tokens ("focal_plane"), which reward phrase matches."""
    return stems + [f"{a}_{b}" for a, b in itertools.pairwise(stems)]
