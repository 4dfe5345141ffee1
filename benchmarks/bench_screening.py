"""Party screening, side by side in one run: dualuse-match-1 against nomenklatura's logic-v2 and a
rapidfuzz baseline (dev-only dependencies, never shipped).

Accuracy
  * F1 on the labelled pairs (`data/screening_dev/entity_bench_checks.yml`), each matcher at its
    own default threshold (logic-v2: 0.7, the yente default; rapidfuzz: 0.85).
  * Recall on perturbed listed names (typos, token order, initials, legal forms, homoglyphs,
    invisible characters, dropped or added middle names) at a false-alert rate of at most 0.5 %
    on made-up persons (Faker, 14 locales and scripts): the threshold is set per matcher from the
    made-up persons' best scores, then recall is counted at it; our default threshold is reported
    too.
  * Cross-script recall: the 81 Putin variants, the UN list's own Arabic-script names (indexed
    without them) and list names spelt in Cyrillic and Greek.
  Ours is measured through its real `screen` path. The baselines score the 50 best candidates
  of a recall-oriented search (our blocking keys, loosened), as yente retrieves 5 x 10 = 50
  candidates from Elasticsearch per /match query before scoring them.
Throughput: queries per second on one core against the UN list and the combined lists, for our
index (blocking + scoring), logic-v2 over yente's 50 candidates and, more generously, over only
the candidates our blocking keeps, and rapidfuzz over the whole list (its usual full scan in C).
Index build time and peak memory (RSS) are reported for our matcher.
"""

from __future__ import annotations

import gc
import hashlib
import random
import resource
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import yaml

from dualuse.errors import InputError
from dualuse.screening import ScreeningIndex, read_lists
from dualuse.screening.model import ListRecord, ListSnapshot, Query
from dualuse.screening.scoring import ALGORITHM, ALGORITHMS, DEFAULT_THRESHOLD, MATCH_2, score_names
from dualuse.screening.text import fold, prepare_name

ROOT = Path(__file__).resolve().parents[1]
LISTS = ROOT / "tests" / "fixtures" / "lists"
DEV = Path(__file__).resolve().parent / "data" / "screening_dev"
MAX_FAR = 0.005

Scorer = Callable[[str, str, str | None], float]


# --- list loading ----------------------------------------------------------------------------

def _files(path: Path) -> dict[str, bytes]:
    if path.is_file():
        return {path.name: path.read_bytes()}
    return {str(p.relative_to(path)): p.read_bytes()
            for p in sorted(path.rglob("*")) if p.is_file()}


def load_all() -> list[ListSnapshot]:
    return read_lists(_files(LISTS), skip_unrecognised=True)


# --- baselines -------------------------------------------------------------------------------

def logic_v2_scorer() -> Scorer | None:
    try:
        from followthemoney import model
        from nomenklatura.matching import get_algorithm
        from nomenklatura.matching.types import ScoringConfig
    except ImportError:
        return None
    algo = get_algorithm("logic-v2")
    assert algo is not None
    config = ScoringConfig.defaults()
    schemas = {"Person": "Person", "Organization": "Organization", "Vessel": "Vessel",
               "Aircraft": "Airplane", "LegalEntity": "LegalEntity", None: "LegalEntity"}
    counter = [0]

    def entity(name: str, schema: str | None):  # type: ignore[no-untyped-def]
        e = model.make_entity(schemas.get(schema, "LegalEntity"))
        counter[0] += 1
        e.id = f"e{counter[0]}"
        e.add("name", name)
        return e

    def score(left: str, right: str, schema: str | None) -> float:
        return float(algo.compare(entity(left, schema), entity(right, schema), config).score)

    return score


def rapidfuzz_scorer() -> Scorer:
    from rapidfuzz import fuzz

    def score(left: str, right: str, schema: str | None) -> float:
        return fuzz.token_sort_ratio(fold(left), fold(right)) / 100.0

    return score


def ours_scorer(left: str, right: str, schema: str | None) -> float:
    return score_names(left, right, schema)


# --- labelled pairs --------------------------------------------------------------------------

def labelled_pairs() -> list[tuple[str, str, str | None, bool]]:
    checks = yaml.safe_load((DEV / "entity_bench_checks.yml").read_text("utf-8"))["checks"]

    def name(e: dict[str, str]) -> str:
        return e.get("name") or " ".join(
            e[k] for k in ("firstName", "middleName", "fatherName", "lastName") if e.get(k))

    schema = {"Company": "Organization"}
    return [(name(c["query"]), name(c["candidate"]), schema.get(c["schema"], c["schema"]),
             bool(c["match"])) for c in checks]


def f1(scorer: Scorer, pairs: Sequence[tuple[str, str, str | None, bool]], t: float) -> float:
    tp = fp = fn = 0
    for left, right, schema, label in pairs:
        hit = scorer(left, right, schema) >= t
        tp += hit and label
        fp += hit and not label
        fn += (not hit) and label
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


# --- perturbations ---------------------------------------------------------------------------

_HOMOGLYPHS = {"a": "а", "e": "е", "o": "о", "p": "р", "c": "с", "x": "х", "i": "і", "y": "у"}
_FORMS = ["LLC", "Ltd", "GmbH", "OOO", "JSC", "S.A.", "Limited", "Co. Ltd"]
_CYRILLIC = {"a": "а", "b": "б", "v": "в", "g": "г", "d": "д", "e": "е", "z": "з", "i": "и",
             "k": "к", "l": "л", "m": "м", "n": "н", "o": "о", "p": "п", "r": "р", "s": "с",
             "t": "т", "u": "у", "f": "ф", "h": "х", "c": "к", "y": "й", "j": "дж", "w": "в",
             "q": "к", "x": "кс"}
_CYR_DI = {"sh": "ш", "ch": "ч", "zh": "ж", "kh": "х", "ts": "ц", "ya": "я", "yu": "ю"}
_GREEK = {"a": "α", "b": "μπ", "v": "β", "g": "γ", "d": "ντ", "e": "ε", "z": "ζ", "i": "ι",
          "k": "κ", "l": "λ", "m": "μ", "n": "ν", "o": "ο", "p": "π", "r": "ρ", "s": "σ",
          "t": "τ", "u": "ου", "f": "φ", "h": "χ", "c": "κ", "y": "ι", "j": "τζ", "w": "ου",
          "q": "κ", "x": "ξ"}


def _typo(word: str, rng: random.Random) -> str:
    if len(word) < 5:
        return word
    i = rng.randrange(1, len(word) - 1)
    op = rng.choice("sdit")
    letters = "abcdefghijklmnopqrstuvwxyz"
    if op == "s":
        return word[:i] + rng.choice(letters) + word[i + 1:]
    if op == "d":
        return word[:i] + word[i + 1:]
    if op == "i":
        return word[:i] + rng.choice(letters) + word[i:]
    return word[:i - 1] + word[i] + word[i - 1] + word[i + 1:]


def perturb(name: str, schema: str, rng: random.Random) -> tuple[str, str]:
    words = name.replace(",", " ").split()
    kind = rng.choice(["typo", "typo2", "order", "initial", "legal_form", "homoglyph",
                       "invisible", "case", "drop_middle", "merge"])
    if kind == "typo":
        k = max(range(len(words)), key=lambda i: len(words[i]))
        words[k] = _typo(words[k], rng)
    elif kind == "typo2" and len(words) >= 2:
        for k in rng.sample(range(len(words)), 2):
            words[k] = _typo(words[k], rng)
    elif kind == "order" and len(words) >= 2:
        rng.shuffle(words)
    elif kind == "initial" and schema == "Person" and len(words) >= 3:
        words[1] = words[1][0] + "."
    elif kind == "legal_form" and schema != "Person":
        words.append(rng.choice(_FORMS))
    elif kind == "homoglyph":
        k = rng.randrange(len(words))
        words[k] = "".join(_HOMOGLYPHS.get(ch, ch) if rng.random() < 0.5 else ch for ch in words[k])
    elif kind == "invisible":
        k = max(range(len(words)), key=lambda i: len(words[i]))
        pos = rng.randrange(1, max(2, len(words[k])))
        words[k] = words[k][:pos] + rng.choice("\u200b\u200c\u00ad\u2060") + words[k][pos:]
    elif kind == "case":
        words = [w.lower() if rng.random() < 0.5 else w.title() for w in words]
    elif kind == "drop_middle" and len(words) >= 3:
        del words[1]
    elif kind == "merge" and len(words) >= 2:
        k = rng.randrange(len(words) - 1)
        words[k:k + 2] = [words[k] + words[k + 1]]
    else:
        kind = "case"
        words = [w.lower() for w in words]
    return " ".join(words), kind


def to_script(name: str, table: dict[str, str], digraphs: dict[str, str]) -> str:
    out = []
    text = fold(name)
    i = 0
    while i < len(text):
        pair = text[i:i + 2]
        if pair in digraphs:
            out.append(digraphs[pair])
            i += 2
            continue
        out.append(table.get(text[i], text[i]))
        i += 1
    return "".join(out)


def made_up_persons(n: int, seed: int = 7) -> list[str]:
    from faker import Faker

    locales = ["en_US", "en_GB", "de_DE", "fr_FR", "es_ES", "it_IT", "nl_NL", "pl_PL", "tr_TR",
               "ru_RU", "ar_AA", "fa_IR", "zh_CN", "ko_KR"]
    fake = Faker(locales)
    Faker.seed(seed)
    out = []
    for k in range(n):
        f = fake[locales[k % len(locales)]]
        out.append(f"{f.first_name()} {f.last_name()}")
    return out


# --- screening with a shared candidate search ------------------------------------------------

YENTE_CANDIDATES = 50  # yente's /match scores limit x YENTE_MATCH_CANDIDATES = 5 x 10


def best_scores(index: ScreeningIndex, scorer: Scorer | None, queries: Sequence[str],
                schema: str | None = None, candidates: ScreeningIndex | None = None
                ) -> list[dict[tuple[str, str], float]]:
    """Per query, the best score per (list, list_id). Ours: the real `screen` path. Baselines:
    the 50 best candidates of a recall-oriented search (our blocking keys, loosened), as yente
    would retrieve from Elasticsearch and then score."""
    out = []
    for q in queries:
        scores: dict[tuple[str, str], float] = {}
        if scorer is None:
            try:
                for m in index.screen(Query(name=q, schema=schema), limit=50):
                    scores[(m.list, m.list_id)] = m.score
            except InputError:
                pass
            out.append(scores)
            continue
        prepared = prepare_name(q, schema)
        ix = candidates or index
        if prepared.tokens:
            for name_no in ix._candidates(prepared, min_cover=0.2, relative=0.0,
                                          limit=YENTE_CANDIDATES):
                list_name, record = ix._records[ix._owner[name_no]]
                key = (list_name, record.list_id)
                s = scorer(q, ix._names[name_no].original, schema)
                scores[key] = max(scores.get(key, 0.0), s)
        out.append(scores)
    return out


def threshold_at_far(neg: list[dict[tuple[str, str], float]], max_far: float = MAX_FAR) -> float:
    """The lowest threshold at which at most `max_far` of the made-up persons alert."""
    tops = sorted((max(s.values()) if s else 0.0) for s in neg)
    allowed = int(len(tops) * max_far)
    t = (tops[len(tops) - allowed - 1] + 1e-9) if tops else 0.0
    return max(t, 1e-9)


def recall_at_far(pos: list[tuple[dict[tuple[str, str], float], tuple[str, str]]],
                  neg: list[dict[tuple[str, str], float]], max_far: float = MAX_FAR
                  ) -> tuple[float, float, float]:
    """(threshold giving a false-alert rate <= max_far on `neg`, recall at it, far at it)."""
    tops = sorted((max(s.values()) if s else 0.0) for s in neg)
    allowed = int(len(tops) * max_far)
    t = (tops[len(tops) - allowed - 1] + 1e-9) if tops else 0.0
    t = max(t, 1e-9)
    hits = sum(1 for s, key in pos if s.get(key, 0.0) >= t)
    far = sum(1 for x in tops if x >= t) / max(1, len(tops))
    return t, hits / max(1, len(pos)), far


def recall(pos: list[tuple[dict[tuple[str, str], float], tuple[str, str]]], t: float) -> float:
    return sum(1 for s, key in pos if s.get(key, 0.0) >= t) / max(1, len(pos))


def far(neg: list[dict[tuple[str, str], float]], t: float) -> float:
    return sum(1 for s in neg if s and max(s.values()) >= t) / max(1, len(neg))


# --- throughput ------------------------------------------------------------------------------

def timed(fn: Callable[[str], object], queries: Sequence[str], budget: float,
          offset: int = 0) -> tuple[int, float]:
    """(queries run, seconds) running `fn` over `queries` (from `offset`, cycling) for about
    `budget` seconds."""
    start = time.perf_counter()
    n = 0
    while True:
        fn(queries[(offset + n) % len(queries)])
        n += 1
        if n % 10 == 0 and time.perf_counter() - start > budget:
            return n, time.perf_counter() - start


# --- held-out splits -------------------------------------------------------------------------

def half(key: str) -> str:
    """A fixed split by record: 'tune' (looked at while building dualuse-match-2) or 'report'
    (never looked at one by one; only these figures are reported as held out)."""
    return "tune" if int(hashlib.sha256(key.encode()).hexdigest(), 16) % 2 == 0 else "report"


def alias_pairs(snapshots: Sequence[ListSnapshot], split: str, rng: random.Random,
                limit: int) -> list[tuple[str, str, str | None, bool]]:
    """Labelled pairs from the lists themselves: a record's names as its publisher spells them
    (transliterations, other scripts, word orders: match) and, for each, the most alike name of
    another record of the same list (no match). Aliases that share nothing (nicknames of a
    group, code names) are left out: no name matcher should claim them."""
    from rapidfuzz import fuzz, process

    out: list[tuple[str, str, str | None, bool]] = []
    for snap in snapshots:
        if snap.list_name not in ("un_sc", "ofac_sdn", "ofac_cons", "uk_ofsi"):
            continue
        names = [(fold(n), n, r) for r in snap.records for n in r.names if fold(n)]
        folded = [f for f, _, _ in names]
        recs = [r for r in snap.records if len(r.names) > 1 and half(r.list_id) == split]
        rng.shuffle(recs)
        for r in recs[: limit // 4]:
            a, b = r.names[0], r.names[1]
            fa, fb = fold(a), fold(b)
            if not fa or not fb or fa == fb:
                continue
            scripts = any(ord(ch) > 0x24F for ch in a + b)
            if not scripts and fuzz.token_set_ratio(fa, fb) < 50:
                continue
            schema = "Person" if r.schema == "Person" else "Organization"
            out.append((a, b, schema, True))
            for hit in process.extract(fa, folded, scorer=fuzz.token_sort_ratio, limit=5):
                other = names[hit[2]][2]
                if other.list_id != r.list_id:
                    out.append((a, names[hit[2]][1], schema, False))
                    break
    return out


def best_f1(scores: Sequence[float], labels: Sequence[bool]) -> tuple[float, float]:
    """(best F1 over all thresholds, the threshold giving it)."""
    order = sorted(range(len(scores)), key=lambda i: -scores[i])
    pos = sum(labels)
    tp = fp = 0
    best = (0.0, 1.0)
    for i in order:
        if labels[i]:
            tp += 1
        else:
            fp += 1
        f = 2 * tp / (tp + fp + pos) if pos else 0.0
        if f > best[0]:
            best = (f, scores[i])
    return best


def run(quick: bool) -> None:
    rng = random.Random(20261128)
    n_pert, n_fake, budget = (300, 1000, 2.0) if quick else (1500, 4000, 6.0)
    t0 = time.perf_counter()
    snapshots = load_all()
    parse_s = time.perf_counter() - t0
    un = [s for s in snapshots if s.list_name == "un_sc"]
    gc.collect()
    builds: dict[str, float] = {}
    indexes: dict[str, ScreeningIndex] = {}
    un_indexes: dict[str, ScreeningIndex] = {}
    for algo in ALGORITHMS:
        t0 = time.perf_counter()
        indexes[algo] = ScreeningIndex(snapshots, algorithm=algo)
        builds[algo] = time.perf_counter() - t0
        un_indexes[algo] = ScreeningIndex(un, algorithm=algo)
    index = indexes[ALGORITHM]
    print(f"lists: {len(snapshots)}, records {index.record_count}, names {index.name_count}; "
          f"parse {parse_s:.1f}s, index build "
          + ", ".join(f"{a} {b:.1f}s" for a, b in builds.items()))

    lv2 = logic_v2_scorer()
    matchers: list[tuple[str, Scorer | None]] = [(a, None) for a in ALGORITHMS]
    if lv2 is not None:
        matchers.append(("logic-v2", lv2))
    else:
        print("nomenklatura not installed: logic-v2 column skipped")
    matchers.append(("rapidfuzz token_sort", rapidfuzz_scorer()))
    defaults = {ALGORITHM: DEFAULT_THRESHOLD, MATCH_2: DEFAULT_THRESHOLD, "logic-v2": 0.7,
                "rapidfuzz token_sort": 0.85}

    # Queries. Perturbed list names from every list, and from the UN list on its own.
    records = [(s.list_name, r) for s in snapshots for r in s.records]
    perturbed = []
    for list_name, rec in rng.sample(records, n_pert):
        name = rng.choice(rec.names)
        if fold(name):
            perturbed.append((perturb(name, rec.schema, rng)[0], (list_name, rec.list_id)))
    un_records = [r for s in un for r in s.records]
    un_exact = [(n, ("un_sc", r.list_id)) for r in un_records for n in r.names
                if half(r.list_id) == "report" and fold(n)]
    un_pert = [(perturb(rng.choice(r.names), r.schema, rng)[0], ("un_sc", r.list_id))
               for r in un_records if half(r.list_id) == "report" and fold(r.names[0])]
    fakes = made_up_persons(n_fake)

    # Cross-script: the UN list's own Arabic-script names against its Latin names (index
    # without them), the Putin variants, list names spelt in Cyrillic and Greek.
    un_latin = [ListSnapshot("un_sc", s.format, s.content_sha256, tuple(
        ListRecord(r.list_id, r.schema, tuple(n for n in r.names if n.isascii() or
                                              not any(ord(ch) > 0x5FF for ch in n)),
                   r.birth_dates, r.countries, r.identifiers, r.programmes)
        for r in s.records)) for s in un]
    latin_indexes = {a: ScreeningIndex(un_latin, algorithm=a) for a in ALGORITHMS}
    putin = [x.strip() for x in (DEV / "putin_name_variants.txt").read_text("utf-8").splitlines()
             if x.strip()]
    putin_keys = {(s.list_name, r.list_id) for s in snapshots for r in s.records
                  if any(fold(n) in ("putin vladimir vladimirovich", "vladimir putin",
                                     "putin vladimir") for n in r.names)}
    persons = [(s.list_name, r) for s in snapshots for r in s.records if r.schema == "Person"]
    cross: dict[str, dict[str, list[tuple[str, tuple[str, str]]]]] = {
        h: {"arabic": [], "putin": [], "cyrillic_greek": []} for h in ("tune", "report")}
    for s in un:
        for r in s.records:
            for n in r.names:
                if any(0x600 <= ord(ch) <= 0x6FF for ch in n):
                    cross[half(r.list_id)]["arabic"].append((n, ("un_sc", r.list_id)))
    for q in putin:
        cross[half(q)]["putin"].append((q, ("", "")))
    for list_name, rec in rng.sample(persons, min(len(persons), n_pert // 3)):
        table, di = (_CYRILLIC, _CYR_DI) if rng.random() < 0.7 else (_GREEK, {})
        cross[half(rec.list_id)]["cyrillic_greek"].append(
            (to_script(rec.names[0], table, di), (list_name, rec.list_id)))

    dev_pairs = labelled_pairs()
    held_pairs = alias_pairs(snapshots, "report", random.Random(5), 2000 if not quick else 400)

    rows = []
    for label, scorer in matchers:
        own = label in ALGORITHMS
        ix = indexes[label] if own else index
        uix = un_indexes[label] if own else un_indexes[ALGORITHM]
        lix = latin_indexes[label] if own else latin_indexes[ALGORITHM]

        def pair_score(a: str, b: str, schema: str | None, lab: str = label,
                       fn: Scorer | None = scorer) -> float:
            if fn is None:
                return score_names(a, b, schema, lab)
            return fn(a, b, schema)

        row: dict[str, object] = {"matcher": label}
        row["dev F1@dflt"] = f1(pair_score, dev_pairs, defaults[label])
        sc = [pair_score(a, b, sch) for a, b, sch, _ in held_pairs]
        row["held F1 best"], _t = best_f1(sc, [y for *_, y in held_pairs])
        row["held F1@dflt"] = f1(pair_score, held_pairs, defaults[label])
        neg = best_scores(ix, scorer, fakes, "Person")
        pos = list(zip(best_scores(ix, scorer, [q for q, _ in perturbed]),
                       [k for _, k in perturbed], strict=True))
        t05, row["pert rec@.5%"], _f = recall_at_far(pos, neg)
        un_neg = best_scores(uix, scorer, fakes, "Person", candidates=un_indexes[ALGORITHM])
        t01 = threshold_at_far(un_neg, 0.001)
        un_pos = list(zip(best_scores(uix, scorer, [q for q, _ in un_exact],
                                      candidates=un_indexes[ALGORITHM]),
                          [k for _, k in un_exact], strict=True))
        row["UN rec@.1%"] = recall(un_pos, t01)
        un_ppos = list(zip(best_scores(uix, scorer, [q for q, _ in un_pert],
                                       candidates=un_indexes[ALGORITHM]),
                           [k for _, k in un_pert], strict=True))
        row["UNpert rec@.1%"] = recall(un_ppos, t01)
        row["FAR@dflt"] = far(neg, defaults[label])
        for h in ("report", "tune"):
            cpos = []
            for kind, items in cross[h].items():
                qix = lix if kind == "arabic" else ix
                got = best_scores(qix, scorer, [q for q, _ in items],
                                  candidates=latin_indexes[ALGORITHM] if kind == "arabic"
                                  else index)
                for sdict, (_, key) in zip(got, items, strict=True):
                    if kind == "putin":
                        key = max(putin_keys, key=lambda k, sd=sdict: sd.get(k, 0.0))
                    cpos.append((sdict, key))
            row[f"xs {h}@.5%"] = recall(cpos, t05)
        rows.append(row)

    # Throughput on one core, in interleaved rounds so that other load weighs on all alike.
    mix = [q for q, _ in perturbed[:200]] + fakes[:200]
    rng.shuffle(mix)
    un_mix = [n for r in un_indexes[ALGORITHM]._records[:150] for n in r[1].names[:1]] + \
        fakes[:150]
    runs: dict[tuple[str, str], tuple[Callable[[str], object], list[str], float]] = {}
    for algo in ALGORITHMS:
        runs[(algo, "UN q/s")] = (un_indexes[algo].screen, un_mix, 1.0)
        runs[(algo, "combined q/s")] = (indexes[algo].screen, mix, 1.0)
    if lv2 is not None:

        def lv2_on(ix: ScreeningIndex, q: str) -> None:
            prepared = prepare_name(q, v2=ix.algorithm == MATCH_2)
            if prepared.tokens:
                for name_no in ix._candidates(prepared):
                    lv2(q, ix._names[name_no].original, None)  # type: ignore[misc]

        runs[("logic-v2 (yente: 50 cand.)", "UN q/s")] = (
            lambda q: best_scores(un_indexes[ALGORITHM], lv2, [q]), un_mix, 1.0)
        runs[("logic-v2 (yente: 50 cand.)", "combined q/s")] = (
            lambda q: best_scores(index, lv2, [q]), mix, 1.0)
        for algo in ALGORITHMS:
            runs[(f"logic-v2 ({algo} cand.)", "UN q/s")] = (
                lambda q, a=algo: lv2_on(un_indexes[a], q), un_mix, 1.0)
            runs[(f"logic-v2 ({algo} cand.)", "combined q/s")] = (
                lambda q, a=algo: lv2_on(indexes[a], q), mix, 1.0)
    from rapidfuzz import fuzz, process
    un_names = [fold(n.original) for n in un_indexes[ALGORITHM]._names]
    all_names = [fold(n.original) for n in index._names]
    runs[("rapidfuzz token_sort", "UN q/s")] = (
        lambda q: process.extract(fold(q), un_names, scorer=fuzz.token_sort_ratio, limit=10,
                                  score_cutoff=85), un_mix, 0.5)
    runs[("rapidfuzz token_sort", "combined q/s")] = (
        lambda q: process.extract(fold(q), all_names, scorer=fuzz.token_sort_ratio, limit=10,
                                  score_cutoff=85), mix, 0.5)
    rounds = 4
    done: dict[tuple[str, str], list[float]] = {k: [0.0, 0.0] for k in runs}
    for _ in range(rounds):
        for key, (fn, queries, share) in runs.items():
            n, secs = timed(fn, queries, budget * share / rounds, offset=int(done[key][0]))
            done[key][0] += n
            done[key][1] += secs
    thr: dict[str, dict[str, float]] = {}
    for (label, col), (n, secs) in done.items():
        thr.setdefault(label, {})[col] = n / secs
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    n_cross = {h: {k: len(v) for k, v in c.items()} for h, c in cross.items()}
    print(f"\nlabelled pairs: {len(dev_pairs)} dev (nomenklatura's checks), {len(held_pairs)} "
          f"held out from the lists' own aliases ({sum(y for *_, y in held_pairs)} match); "
          f"perturbed list names {len(perturbed)}; UN names as listed {len(un_exact)}, "
          f"perturbed {len(un_pert)}; made-up persons {len(fakes)}; cross-script {n_cross}")
    cols = ["dev F1@dflt", "held F1 best", "held F1@dflt", "pert rec@.5%", "UN rec@.1%",
            "UNpert rec@.1%", "FAR@dflt", "xs report@.5%", "xs tune@.5%"]
    print(f"{'matcher':<22}" + "".join(f"{c:>15}" for c in cols))
    for row in rows:
        print(f"{row['matcher']!s:<22}" + "".join(f"{row[c]:>15.3f}" for c in cols))  # type: ignore[str-format]
    print("(held = the report half of the alias pairs; xs = cross-script recall at the threshold "
          "giving <= 0.5 % false alerts on the made-up persons; UN rec@.1%: the UN list's names, "
          "as listed, found at <= 0.1 % false alerts)")
    print(f"\n{'matcher':<34}{'UN q/s':>10}{'combined q/s':>14}"
          + "".join(f"{'x ' + a[-7:]:>16}" for a in ALGORITHMS))
    for label, t in thr.items():
        ratios = "".join(
            f"{thr[a]['UN q/s'] / t['UN q/s']:>7.1f}x/"
            f"{thr[a]['combined q/s'] / t['combined q/s']:<6.1f}x" for a in ALGORITHMS)
        print(f"{label:<34}{t['UN q/s']:>10.0f}{t['combined q/s']:>14.0f}  {ratios}")
    print("(ratios: our throughput / the matcher's, UN / combined. logic-v2 (yente): the 50 "
          "candidates yente scores per /match query; logic-v2 (X cand.): exactly the candidates "
          "X's blocking keeps, the same ones X scores; rapidfuzz scans the whole list)")
    print(f"peak RSS of this process {peak_mb:.0f} MB (all matchers loaded)")
