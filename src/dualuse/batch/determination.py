"""Batch determination: one row per order line, lines of one transaction decided together.

Input columns (CSV or Parquet): transaction_id, as_of, activity, member_state, destination,
control_code, and optionally origin, cyber_surveillance, informed_of, aware_of, circumstances
(lists `;`-separated, empty = none), cn_code (the 8-digit CN code: EU sanctions list goods by
it, and a line to a destination whose sanctions do is `undetermined` without it). Lines of one
transaction must be contiguous and agree on as_of, activity, member_state, destination and the
three lists.

Output, one row per line: transaction_id, outcome, legal_bases (`;`-separated),
general_authorisations (`EU001=available;EU003=conditional`: the UGEAs available or
conditional for the transaction), line_outcome.

The input is streamed (memory stays flat): a reader thread parses the CSV in small blocks
ahead of the decisions, lines are decided in chunks of about 256k, and a writer thread encodes
the output while the next chunk is decided (Arrow releases the GIL in both). Each chunk is
dictionary-encoded with Arrow kernels and mapped through the compiled lookup tables
(`determination_tables`) with NumPy: a transaction's facts are read from its first line when
the other lines repeat it, the distinct classes of lines are decided once by the engine's own
rules, and the transaction aggregates are segment reductions (one bitwise OR of one-hot
statuses) over the contiguous lines of each transaction.
"""

from __future__ import annotations

import contextlib
import csv
import gc
import queue
import threading
import time
import weakref
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, NoReturn

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from dualuse.batch import determination_cache
from dualuse.batch.determination_tables import (
    Compiled,
    normalise_code,
    normalise_words,
    outcome_name,
    render_ugeas,
    rules_circumstances,
)
from dualuse.engine.determination import aggregate_ugea
from dualuse.engine.result import OUTCOMES
from dualuse.engine.transaction import ACTIVITIES, CIRCUMSTANCES, END_USES, parse_cn_code
from dualuse.errors import DualuseError, InputError
from dualuse.law import Law, load_law

REQUIRED = ("transaction_id", "as_of", "activity", "member_state", "destination",
            "control_code")
OPTIONAL = ("origin", "cyber_surveillance", "informed_of", "aware_of", "circumstances",
            "cn_code")
LISTS = {"informed_of": END_USES, "aware_of": END_USES, "circumstances": CIRCUMSTANCES}
TX_COLUMNS = ("as_of", "activity", "member_state", "destination", "informed_of", "aware_of",
              "circumstances")
_TEXT = pa.dictionary(pa.int32(), pa.string())  # few distinct values: dictionary-encoded
OUTPUT_SCHEMA = pa.schema([
    ("transaction_id", pa.string()), ("outcome", _TEXT), ("legal_bases", _TEXT),
    ("general_authorisations", _TEXT), ("line_outcome", _TEXT),
])
CSV_SCHEMA = pa.schema([(f.name, pa.string()) for f in OUTPUT_SCHEMA])
_TRUE = {"true", "1", "yes", "y", "t"}
_FALSE = {"false", "0", "no", "n", "f", ""}
_N_UGEAS = 8
_RANK_BIT = 4 * _N_UGEAS  # where the line outcome's one-hot bit starts
_SEGMENTS = 4096  # a date's value: epoch * _SEGMENTS + segment of the sanctions goods law


@dataclass
class Summary:
    rows: int = 0
    transactions: int = 0
    outcomes: dict[str, int] = field(default_factory=lambda: dict.fromkeys(OUTCOMES, 0))
    classes: int = 0
    seconds: float = 0.0
    output: str = ""

    def render(self) -> str:
        counts = ", ".join(f"{k}: {v}" for k, v in self.outcomes.items() if v)
        return (f"{self.rows} order lines in {self.transactions} transactions decided "
                f"({self.classes} distinct classes of lines) in {self.seconds:.1f} s -> "
                f"{self.output}\ntransactions by outcome: {counts or 'none'}")


_COMPILED: weakref.WeakKeyDictionary[Law, Compiled] = weakref.WeakKeyDictionary()


def compiled_for(law: Law) -> Compiled:
    """The compiled tables of this law, built lazily and kept for the process (a service that
    decides many batches pays the compilation once)."""
    found = _COMPILED.get(law)
    if found is None:
        found = _COMPILED[law] = Compiled(law)
        determination_cache.load(found)
    return found


class Determiner:
    """Decides record batches with Arrow kernels and NumPy over the compiled tables; keeps the
    value dictionaries and the transaction carried over from one batch to the next."""

    def __init__(self, law: Law | None = None) -> None:
        self.compiled = compiled_for(law or load_law())
        # The law and its compiled tables live as long as the process: keep them out of the
        # cyclic collector's passes, which a batch's many small allocations trigger often
        # (objects stay freed by reference counting).
        gc.freeze()
        self.summary = Summary()
        self._carry: pa.Table | None = None
        self._offset = 0  # data rows consumed before the current table (for error messages)
        self._raw: dict[str, dict[Any, int]] = {}
        self._norm: dict[str, dict[Any, int]] = {}
        self.values: dict[str, list[Any]] = {}
        self._code_cls: dict[int, int] = {}
        self._dest_cls: dict[int, int] = {}
        self._cn_rows: dict[int, int] = {}  # (regime, state, CN code id) packed -> class
        self._dest_exact: dict[int, int] = {}
        self._sig: dict[int, int] = {}
        self._stage_a: dict[tuple[int, ...], int] = {}
        self._rules_circ: dict[str, int] = {}
        self._luts: list[np.ndarray] = [np.full(0, -1, dtype=np.int64) for _ in range(_N_UGEAS)]

    # ------------------------------------------------------------------ streaming
    def feed(self, batch: pa.RecordBatch | pa.Table, final: bool = False) -> pa.Table | None:
        table = batch if isinstance(batch, pa.Table) else pa.Table.from_batches([batch])
        table = self._columns(table)
        if self._carry is not None:
            table = pa.concat_tables([self._carry, table])
            self._carry = None
        if table.num_rows == 0:
            return None
        starts = None
        if not final:
            starts = self._starts(table)
            keep = int(starts[-1])
            if keep == 0:
                self._carry = table
                return None
            self._carry = table.slice(keep)
            table = table.slice(0, keep)
            starts = starts[:-1]  # the last transaction waits for its remaining lines
        with self.compiled.lock:
            out = self._decide(table, starts)
        self._offset += table.num_rows
        return out

    def finish(self) -> pa.Table | None:
        if self._carry is None:
            return None
        table, self._carry = self._carry, None
        with self.compiled.lock:
            out = self._decide(table)
        self._offset += table.num_rows
        return out

    # ------------------------------------------------------------------ columns
    def _columns(self, table: pa.Table) -> pa.Table:
        missing = [c for c in REQUIRED if c not in table.column_names]
        if missing:
            raise InputError(f"missing column(s) {', '.join(missing)}; expected "
                             f"{', '.join(REQUIRED + OPTIONAL)}", field="columns")
        cols = []
        for c in REQUIRED + OPTIONAL:
            if c in table.column_names:
                col = table.column(c)
                cols.append(col if col.type == pa.string() else pc.cast(col, pa.string()))
            else:
                cols.append(pa.nulls(table.num_rows, pa.string()))
        return pa.table(cols, names=list(REQUIRED + OPTIONAL))

    def _fail(self, at: np.ndarray, column: str, exc: DualuseError,
              lines: np.ndarray | None = None) -> NoReturn:
        """Bad input at the first position flagged in `at`: a line of the chunk, or with
        `lines` (the line of each position) a transaction."""
        where = np.flatnonzero(at)
        first = int(where[0]) if len(where) else 0
        row = self._offset + (int(lines[first]) if lines is not None else first) + 1
        raise InputError(f"row {row}: {exc.message}", field=column) from exc

    def _tx_column(self, table: pa.Table, column: str, kind: str, fn: Any,
                   starts: np.ndarray, same_tx: np.ndarray, whole: dict[str, np.ndarray],
                   tx: dict[str, np.ndarray]) -> None:
        """Ids of a transaction-level column per transaction, read from first lines when
        every line repeats its first line's text (else read whole, kept in `whole`)."""
        col = table.column(column).combine_chunks()
        if len(col) > 1:
            prev, cur = col.slice(0, len(col) - 1), col.slice(1)
            repeats = pc.or_kleene(pc.equal(cur, prev),
                                   pc.and_(cur.is_null(), prev.is_null())).fill_null(False)
            differs = same_tx[1:] & ~repeats.to_numpy(zero_copy_only=False)
        else:
            differs = np.zeros(0, dtype=bool)
        if differs.any():
            ids = whole[column] = self._encode(col, column, kind, fn)
            tx[column] = ids[starts]
        else:
            tx[column] = self._encode(col.take(_arrow_ints(starts)), column, kind, fn, starts)

    def _encode(self, array: pa.Array, column: str, kind: str, fn: Any,
                lines: np.ndarray | None = None) -> np.ndarray:
        """Ids of the normalised values of a column: `fn` runs once per distinct raw value
        (across batches) and may raise an InputError, reported with the first row at fault
        (`lines`: the line of each position, when `array` holds only some lines)."""
        raw_ids = self._raw.setdefault(kind, {})
        norm_ids = self._norm.setdefault(kind, {})
        values = self.values.setdefault(kind, [])
        if isinstance(array, pa.ChunkedArray):
            array = array.combine_chunks()
        enc = pc.dictionary_encode(array)
        dictionary = enc.dictionary.to_pylist()
        raws = [*dictionary, None] if enc.null_count else dictionary
        indices = np.asarray(enc.indices.fill_null(len(dictionary)).to_numpy(
            zero_copy_only=False), dtype=np.int64)
        lut = np.full(len(dictionary) + 1, -1, dtype=np.int64)
        for j, raw in enumerate(raws):
            found = raw_ids.get(raw)
            if found is None:
                try:
                    norm = fn(raw.strip() or None if isinstance(raw, str) else raw)
                except DualuseError as exc:
                    self._fail(indices == j, column, exc, lines)
                found = norm_ids.get(norm)
                if found is None:
                    found = norm_ids[norm] = len(values)
                    values.append(norm)
                raw_ids[raw] = found
            lut[j] = found
        out: np.ndarray = lut[indices]
        return out

    @staticmethod
    def _starts(table: pa.Table) -> np.ndarray:
        ids = table.column("transaction_id").combine_chunks()
        if ids.null_count:
            raise InputError("row 1: is required", field="transaction_id")
        change = pc.not_equal(ids.slice(1), ids.slice(0, len(ids) - 1))
        return np.flatnonzero(np.concatenate([[True], change.to_numpy(zero_copy_only=False)]))

    # ------------------------------------------------------------------ decision
    def _decide(self, table: pa.Table, starts: np.ndarray | None = None) -> pa.Table:
        comp = self.compiled
        n = table.num_rows
        tid = table.column("transaction_id").combine_chunks()
        if tid.null_count:
            self._fail(tid.is_null().to_numpy(zero_copy_only=False), "transaction_id",
                       InputError("is required"))

        def required(fn: Any) -> Any:
            def check(value: str | None) -> Any:
                if value is None:
                    raise InputError("is required")
                return fn(value)
            return check

        def epoch_of(value: str) -> int:
            """The epoch of the day, with the segment of the sanctions goods law it falls in."""
            try:
                day = date.fromisoformat(value)
            except ValueError:
                raise InputError(f"must be a date YYYY-MM-DD, got {value!r}") from None
            return comp.epoch(day, "as_of") * _SEGMENTS + comp.law.sanctions_goods.segment(day)

        def activity(value: str) -> str:
            if value not in ACTIVITIES:
                raise InputError(f"unknown value {value!r}; expected one of: "
                                 f"{', '.join(ACTIVITIES)}")
            return value

        def cyber(value: str | None) -> bool:
            v = (value or "").lower()
            if v in _TRUE:
                return True
            if v in _FALSE:
                return False
            raise InputError(f"must be true or false, got {value!r}")

        def country(value: str) -> str:
            if len(value) != 2:
                raise InputError(f"must be an ISO 3166-1 alpha-2 code, got {value!r}")
            return value.upper()

        if starts is None:
            starts = self._starts(table)
        lengths = np.diff(np.append(starts, n))
        # Facts of the transaction are read from its first line (about a fifth of the lines)
        # where every other line repeats that line's text; a column where some line differs
        # is read whole and its lines compared once normalised, as the rule requires.
        same_tx = np.ones(n, dtype=bool)
        same_tx[starts] = False
        whole: dict[str, np.ndarray] = {}
        tx: dict[str, np.ndarray] = {}
        tx_fns = {"as_of": ("date", required(epoch_of)),
                  "activity": ("activity", required(activity)),
                  "member_state": ("country", required(country)),
                  "destination": ("country", required(country)),
                  **{name: (name, lambda v, vocab=vocab, name=name:
                            normalise_words(v, vocab, name)) for name, vocab in LISTS.items()}}
        for name in ("as_of", "activity", "member_state", "destination"):
            self._tx_column(table, name, *tx_fns[name], starts, same_tx, whole, tx)
        code = self._encode(table.column("control_code"), "control_code", "code",
                            normalise_code)
        cyb = self._encode(table.column("cyber_surveillance"), "cyber_surveillance", "bool",
                           cyber)
        for name in LISTS:
            self._tx_column(table, name, *tx_fns[name], starts, same_tx, whole, tx)
        # Where the items are: read by the rules of brokering (Art. 2(7)) and transit (2(11)).
        self._tx_column(table, "origin", "country", lambda v: v and country(v), starts,
                        same_tx, whole, tx)
        # Lines of one transaction agree on its facts; a transfer goes to another state.
        dates = np.asarray(self.values["date"], dtype=np.int64)
        date_epochs = dates // _SEGMENTS
        for name, col in whole.items():
            if name == "as_of":
                col = date_epochs[col]
            bad = same_tx & (col != np.roll(col, 1))
            if bad.any():
                t = tid[int(np.flatnonzero(bad)[0])].as_py()
                self._fail(bad, name, InputError(
                    f"the lines of transaction {t!r} disagree on {name}"))
        epochs = date_epochs[tx["as_of"]]
        segments = dates[tx["as_of"]] % _SEGMENTS
        act, ms, dest = tx["activity"], tx["member_state"], tx["destination"]
        countries = self.values["country"]
        activities = self.values["activity"]
        transfer = np.asarray([a == "transfer" for a in activities])[act]
        same = transfer & (ms == dest)
        if same.any():
            self._fail(same, "destination", InputError(
                "a transfer goes to another member state, not the exporter's own"), starts)
        # Code, country and signature classes per (epoch, value), kept across batches.
        # The epochs of every date seen so far (a few thousand at most), not of each line.
        present = sorted({d // _SEGMENTS for d in self.values["date"]})
        lut = np.zeros(present[-1] + 1, dtype=np.int64)
        lut[present] = [comp.code_epoch(e) for e in present]
        code_epochs = np.repeat(lut[epochs], lengths)
        code_cls = self._classes(code_epochs, code, self._code_cls, "control_code",
                                 lambda ce, v: comp.classify_code(comp.code_epoch_rep[ce],
                                                                  self.values["code"][v]))
        dest_cls = self._classes(epochs, dest, self._dest_cls, "destination",
                                 lambda e, v: comp.classify_country(e, countries[v],
                                                                    "destination"), starts)
        self._classes(epochs, ms, self._dest_cls, "member_state",
                      lambda e, v: comp.classify_country(e, countries[v], "member_state"),
                      starts)
        sig = self._classes(epochs, ms, self._sig, "member_state",
                            lambda e, v: comp.signature(e, countries[v]), starts)
        # CN codes: the class of their facts for the line's destination (one class where the
        # destination is under no sanctions listing goods: the code decides no outcome there).
        regime = np.repeat(np.asarray(comp.country_regime, dtype=np.int64)[dest_cls], lengths)
        cn_col = table.column("cn_code")
        if cn_col.null_count == n:
            cn = np.zeros(n, dtype=np.int64)
            cn_values: list[str | None] = [None]
        else:
            cn = self._encode(cn_col, "cn_code", "cn", lambda v: parse_cn_code(v, "cn_code"))
            cn_values = self.values["cn"]
        # Lines to a destination under a regime (a few in most files) get their class from the
        # state of the goods law there (per regime and segment: a handful of pairs) and the code.
        cn_cls = np.full(n, comp.cn_class(0, 0, None), dtype=np.int64)
        at = np.flatnonzero(regime > 0)
        if len(at):
            reg = regime[at]
            tx_regime = np.asarray(comp.country_regime, dtype=np.int64)[dest_cls]
            pairs, pair_of = _unique_rows([tx_regime, np.where(tx_regime > 0, segments, 0)])
            state = np.repeat(np.asarray([comp.goods_state(r, g) for r, g in pairs.tolist()],
                                         dtype=np.int64)[pair_of], lengths)[at]
            packed, row_of = _factorize((reg * 1024 + state) * (1 << 32) + cn[at])
            known = self._cn_rows
            out = np.empty(len(packed), dtype=np.int64)
            for k, p in enumerate(packed.tolist()):
                found = known.get(p)
                if found is None:
                    found = known[p] = comp.cn_class(p >> 42, p >> 32 & 1023,
                                                     cn_values[p & 0xFFFFFFFF])
                out[k] = found
            cn_cls[at] = out[row_of]
        code_rcls = np.asarray(comp.code_rules, dtype=np.int64)[code_cls]
        dest_rcls = np.asarray(comp.country_rules, dtype=np.int64)[dest_cls]
        # Stage 1: the article rules, once per distinct class of lines. Facts the rules do not
        # read are left out of the key: cyber-surveillance beyond non-listed exports (Art 5),
        # circumstances other than the Art 8(3) exemptions. The transaction's part of the key
        # is found per transaction, the line's (code, cyber-surveillance) per line.
        listed = np.asarray([comp.code_rep[r].listed for r in range(len(comp.code_rep))],
                            dtype=bool)[code_rcls]
        export = np.asarray([a == "export" for a in activities], dtype=bool)[act]
        cyber_read = np.where(np.repeat(export, lengths) & ~listed, cyb, 0)
        circ_values = self.values["circumstances"]
        rules_circ = np.asarray([self._rules_circ.setdefault(rules_circumstances(c), len(
            self._rules_circ)) for c in circ_values], dtype=np.int64)[tx["circumstances"]]
        circ_names = {v: k for k, v in self._rules_circ.items()}
        reads_origin = np.isin(act, [activities.index(a) for a in activities
                                     if a in ("brokering", "transit")])
        origin_read = np.where(reads_origin, tx["origin"] + 1, 0)  # 0: not read (ids >= 0)
        if reads_origin.any():
            # Where the items are is read against the destination itself (Art. 2(7): "to
            # another third country"): those lines keep their own country, not its class.
            exact = self._classes(epochs, dest, self._dest_exact, "destination",
                                  lambda e, v: comp.classify_country_exact(e, countries[v]),
                                  starts)
            dest_rcls = np.where(reads_origin, exact, dest_rcls)
        tx_keys, tx_key = _unique_rows([sig, act, ms, dest_rcls, tx["informed_of"],
                                        tx["aware_of"], rules_circ, origin_read])
        keys, inverse = _unique_rows([np.repeat(tx_key, lengths), code_rcls, cyber_read, cn_cls])
        a_of_key = np.empty(len(keys), dtype=np.int64)
        tx_rows = tx_keys.tolist()
        for k, (t_, c_, y_, n_) in enumerate(keys.tolist()):
            s_, a_, m_, d_, i_, w_, r_, o_ = tx_rows[t_]
            row = (s_, a_, m_, c_, d_, y_, i_, w_, r_, o_, n_)
            found = self._stage_a.get(row)
            if found is None:
                try:
                    found = comp.decide_rules(
                        s_, activities[a_], countries[m_], c_, d_, bool(self.values["bool"][y_]),
                        self.values["informed_of"][i_], self.values["aware_of"][w_],
                        circ_names[r_], countries[o_ - 1] if o_ else None, n_)
                except DualuseError as exc:
                    self._fail(inverse == k, exc.field or "destination", exc)
                self._stage_a[row] = found
            a_of_key[k] = found
        a_id = a_of_key[inverse]
        dest_cls = np.repeat(dest_cls, lengths)
        proj = np.asarray([a.ugea_proj for a in comp.stage_a], dtype=np.int64)[a_id]
        pair = proj * 1_000_000 + np.repeat(tx["circumstances"], lengths)
        uniq, back = _factorize(pair)
        first = np.zeros(len(uniq), dtype=np.int64)
        first[back[::-1]] = np.arange(len(back))[::-1]  # a line of each pair
        b_of = np.asarray([comp.ugea_class(int(p // 1_000_000), int(a_id[first[k]]),
                                           circ_values[int(p % 1_000_000)])
                           for k, p in enumerate(uniq.tolist())], dtype=np.int64)
        b_id = b_of[back]
        n_b = len(comp.b_rep)
        rank = np.asarray([a.rank for a in comp.stage_a], dtype=np.int64)[a_id]
        mask = np.asarray([a.mask for a in comp.stage_a], dtype=np.int64)[a_id]
        # Stage 2: each UGEA, once per (class, destination coverage, item coverage), looked up
        # once per distinct (UGEA class, destination class, code class) of the chunk.
        n_dc, n_cc = len(comp.country_cov), len(comp.code_cov)
        combos, combo_inv = _factorize((b_id * n_dc + dest_cls) * n_cc + code_cls)
        k_b = combos // (n_dc * n_cc)
        code_cov = np.asarray(comp.code_cov, dtype=np.int64)[combos % n_cc]
        dest_cov = np.asarray(comp.country_cov, dtype=np.int64)[combos // n_cc % n_dc]
        # One-hot statuses: bit 4u+s is UGEA u with status s, bit 32+r the line outcome r, so
        # that one bitwise OR per transaction gives each maximum (the engine's aggregation).
        bits = np.zeros(len(combos), dtype=np.int64)
        for u in range(_N_UGEAS):
            lut = self._luts[u]
            if len(lut) < n_b * 6:
                lut = self._luts[u] = np.concatenate(
                    [lut, np.full(n_b * 6 - len(lut), -1, dtype=np.int64)])
            combo = (k_b * 2 + dest_cov[:, u]) * 3 + code_cov[:, u]
            # (a set, not np.unique: its first call imports numpy.ma, costly in a new process)
            for c in sorted(set(combo[lut[combo] < 0].tolist())):
                lut[c] = comp.decide_ugea(u, c // 6, c // 3 % 2, c % 3)
            bits |= np.left_shift(np.int64(1), 4 * u + lut[combo])
        line_bits = bits[combo_inv] | np.left_shift(np.int64(1), _RANK_BIT + rank)
        self.summary.classes = len(comp.stage_a)
        # Transactions: contiguous lines, reduced per segment and spread back.
        tx_mask = np.bitwise_or.reduceat(mask, starts)
        tx_bits, tx_inv = _factorize(np.bitwise_or.reduceat(line_bits, starts))
        bits_rank = np.empty(len(tx_bits), dtype=np.int64)
        bits_pack = np.empty(len(tx_bits), dtype=np.int64)
        for k, v in enumerate(tx_bits.tolist()):
            bits_rank[k] = (v >> _RANK_BIT).bit_length() - 1
            pack = 0
            for u in range(_N_UGEAS):
                m = (v >> (4 * u) & 15).bit_length() - 1
                pack += (3 if m == 0 else m) * 4**u  # all not_needed -> not_available
            bits_pack[k] = pack
        tx_rank = bits_rank[tx_inv]
        outcome_names = pa.array([outcome_name(i) for i in range(len(OUTCOMES))])
        masks, mask_inv = _factorize(tx_mask)
        packs, pack_inv = _factorize(bits_pack[tx_inv])
        self.summary.rows += n
        self.summary.transactions += len(starts)
        for r, count in enumerate(np.bincount(tx_rank, minlength=len(OUTCOMES)).tolist()):
            self.summary.outcomes[outcome_name(r)] += count
        return pa.table([
            tid,
            _dictionary(np.repeat(tx_rank, lengths), outcome_names),
            _dictionary(np.repeat(mask_inv, lengths),
                        pa.array([comp.render_bases(int(m)) for m in masks])),
            _dictionary(np.repeat(pack_inv, lengths),
                        pa.array([render_ugeas(int(p)) for p in packs])),
            _dictionary(rank, outcome_names),
        ], schema=OUTPUT_SCHEMA)

    def _classes(self, epochs: np.ndarray, ids: np.ndarray, cache: dict[int, int],
                 column: str, classify: Any, lines: np.ndarray | None = None) -> np.ndarray:
        """Class of (epoch, value) per line, via the distinct pairs (cached across batches)."""
        pair = epochs * 1_000_000 + ids
        uniq, inverse = _factorize(pair)
        out = np.empty(len(uniq), dtype=np.int64)
        for k, p in enumerate(uniq.tolist()):
            found = cache.get(p)
            if found is None:
                try:
                    found = cache[p] = int(classify(p // 1_000_000, p % 1_000_000))
                except DualuseError as exc:
                    self._fail(inverse == k, column, exc, lines)
            out[k] = found
        spread: np.ndarray = out[inverse]
        return spread


def _dictionary(indices: np.ndarray, values: pa.Array) -> pa.DictionaryArray:
    return pa.DictionaryArray.from_arrays(_arrow_ints(indices).cast(pa.int32()), values)


def _arrow_ints(values: np.ndarray) -> pa.Array:
    """An Arrow int64 array on the NumPy buffer. (pa.array(ndarray) checks for masked arrays,
    and importing numpy.ma costs a new process more than a whole chunk's encoding.)"""
    flat = np.ascontiguousarray(values, dtype=np.int64)
    return pa.Array.from_buffers(pa.int64(), len(flat), [None, pa.py_buffer(flat)])


def _factorize(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Distinct values (in order of first appearance) and each value's index among them:
    Arrow's hash-based dictionary encoding, faster than sorting."""
    enc = _arrow_ints(values).dictionary_encode()
    uniq = np.asarray(enc.dictionary.to_numpy(zero_copy_only=False), dtype=np.int64)
    inverse = np.asarray(enc.indices.to_numpy(zero_copy_only=False), dtype=np.int64)
    return uniq, inverse


def _unique_rows(parts: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Distinct rows of small non-negative int columns (mixed-radix packed when it fits)."""
    radices = [int(p.max()) + 1 if len(p) else 1 for p in parts]
    if float(np.prod([float(r) for r in radices])) < 2.0**62:
        packed = np.zeros(len(parts[0]), dtype=np.int64)
        for p, r in zip(parts, radices, strict=True):
            packed = packed * r + p
        uniq, inverse = _factorize(packed)
        rows = np.empty((len(uniq), len(parts)), dtype=np.int64)
        rest = uniq.copy()
        for i in range(len(parts) - 1, -1, -1):
            rows[:, i] = rest % radices[i]
            rest //= radices[i]
        return rows, inverse
    rows, inverse = np.unique(np.stack(parts, axis=1), axis=0, return_inverse=True)
    return rows, inverse.reshape(-1)


def determine_table(table: pa.Table, law: Law | None = None) -> pa.Table:
    """Decide a whole in-memory table of order lines (the differential test's entry point)."""
    d = Determiner(law)
    out = d.feed(table, final=True)
    return out if out is not None else OUTPUT_SCHEMA.empty_table()


# ---------------------------------------------------------------------- files
_READ_BLOCK = 1 << 20  # CSV parse blocks: small blocks keep Arrow's read-ahead threads busy
_DECIDE_ROWS = 262_144  # lines decided together: amortises the per-chunk NumPy passes


def _batches(path: Path) -> tuple[Iterator[pa.RecordBatch], int]:
    if not path.exists():
        raise InputError(f"no such file: {path}", field="--batch")
    try:
        return _open(path)
    except pa.ArrowInvalid as exc:  # not CSV or Parquet that Arrow can read
        raise InputError(f"{path.name}: {exc}", field="--batch") from exc


def _open(path: Path) -> tuple[Iterator[pa.RecordBatch], int]:
    suffix = path.suffix.lower()
    if suffix == ".parquet":
        pf = pq.ParquetFile(path)
        return pf.iter_batches(batch_size=_DECIDE_ROWS), pf.metadata.num_rows
    if suffix == ".csv":
        with path.open(encoding="utf-8", newline="") as f:
            names = next(csv.reader([f.readline()]), [])
        reader = pacsv.open_csv(
            path,
            read_options=pacsv.ReadOptions(block_size=_READ_BLOCK),
            convert_options=pacsv.ConvertOptions(
                column_types=dict.fromkeys(names, pa.string()),
                strings_can_be_null=True, quoted_strings_can_be_null=False),
        )
        return iter(reader), path.stat().st_size
    raise InputError(f"{path.name}: expected a .csv or .parquet file", field="--batch")


def _read_ahead(batches: Iterator[pa.RecordBatch], source: Path, depth: int = 24
                ) -> Iterator[pa.RecordBatch]:
    """Reads on a thread of its own (Arrow's parser releases the GIL), a bounded number of
    batches ahead, so that parsing overlaps deciding; errors surface in the caller, a file
    Arrow cannot parse as bad input naming it."""
    ahead: queue.Queue[tuple[pa.RecordBatch | None, BaseException | None]] = queue.Queue(depth)
    stop = threading.Event()

    def pump() -> None:
        try:
            for batch in batches:
                if stop.is_set():
                    return
                ahead.put((batch, None))
            ahead.put((None, None))
        except BaseException as exc:  # re-raised on the caller's thread
            ahead.put((None, exc))

    thread = threading.Thread(target=pump, name="dualuse-batch-reader", daemon=True)
    thread.start()
    try:
        while True:
            batch, error = ahead.get()
            if isinstance(error, pa.ArrowInvalid):
                raise InputError(f"{source.name}: {error}", field="--batch") from error
            if error is not None:
                raise error
            if batch is None:
                return
            yield batch
    finally:
        stop.set()
        while thread.is_alive():  # unblock the reader if it waits on a full queue
            with contextlib.suppress(queue.Empty):
                ahead.get(timeout=0.05)
        thread.join()


def _grouped(batches: Iterator[pa.RecordBatch]) -> Iterator[tuple[pa.Table, int]]:
    """Reader batches gathered into tables of about `_DECIDE_ROWS` lines, with their bytes."""
    group: list[pa.RecordBatch] = []
    rows = nbytes = 0
    for batch in batches:
        group.append(batch)
        rows += batch.num_rows
        nbytes += batch.nbytes
        if rows >= _DECIDE_ROWS:
            yield pa.Table.from_batches(group), nbytes
            group, rows, nbytes = [], 0, 0
    if group:
        yield pa.Table.from_batches(group), nbytes


class _Writer:
    """Writes decided tables on a thread of its own: Arrow's encoders release the GIL, so
    encoding and compressing one chunk overlaps deciding the next. Parquet columns of few
    distinct values are written dictionary-encoded (Arrow's default)."""

    def __init__(self, path: Path) -> None:
        suffix = path.suffix.lower()
        if suffix not in (".parquet", ".csv"):
            raise InputError(f"{path.name}: expected a .parquet or .csv file", field="--output")
        self.path = path
        self.tmp = path.with_name(path.name + ".partial")
        self._pq = pq.ParquetWriter(self.tmp, OUTPUT_SCHEMA) if suffix == ".parquet" else None
        self._csv = None if self._pq else pacsv.CSVWriter(self.tmp, CSV_SCHEMA)
        self._queue: queue.Queue[pa.Table | None] = queue.Queue(maxsize=2)  # memory stays flat
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._drain, name="dualuse-batch-writer",
                                         daemon=True)
        self._thread.start()

    def _drain(self) -> None:
        while (table := self._queue.get()) is not None:
            if self._error is not None:
                continue  # keep draining so the producer never blocks
            try:
                if self._pq is not None:
                    self._pq.write_table(table)
                elif self._csv is not None:
                    self._csv.write_table(table.cast(CSV_SCHEMA))
            except BaseException as exc:  # re-raised on the caller's thread
                self._error = exc

    def write(self, table: pa.Table | None) -> None:
        if self._error is not None:
            raise self._error
        if table is not None and table.num_rows:
            self._queue.put(table)

    def close(self, ok: bool) -> None:
        self._queue.put(None)
        self._thread.join()
        if self._pq is not None:
            self._pq.close()
        if self._csv is not None:
            self._csv.close()
        if ok and self._error is None:
            self.tmp.replace(self.path)  # nothing is changed unless the whole batch succeeded
        else:
            self.tmp.unlink(missing_ok=True)
        if ok and self._error is not None:
            raise self._error


@contextlib.contextmanager
def _without_cyclic_collection() -> Iterator[None]:
    """A batch builds its tables (catalogues, code facts, sanctions tables of each date) while it
    runs, and each of the collector's full passes walks them all again: off for the run, the
    objects it frees by reference counting are freed as before, and any cycles are collected
    once the run is over (the peak memory does not change measurably)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def run_batch(source: Path, output: Path, *, progress: bool = False,
              law: Law | None = None) -> Summary:
    """Stream `source` through the engine into `output`; the output appears only on success."""
    with _without_cyclic_collection():
        return _run_batch(source, output, progress=progress, law=law)


def _run_batch(source: Path, output: Path, *, progress: bool, law: Law | None) -> Summary:
    start = time.perf_counter()
    batches, total = _batches(source)
    determiner = Determiner(law)
    writer = _Writer(output)
    ok = False
    try:
        if progress:
            from rich.console import Console
            from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

            is_csv = source.suffix.lower() == ".csv"
            with Progress(TextColumn("deciding order lines"), BarColumn(),
                          TextColumn("{task.percentage:>3.0f}%"), TimeRemainingColumn(),
                          console=Console(stderr=True), transient=True) as bar:
                task = bar.add_task("batch", total=total)
                for table, nbytes in _grouped(_read_ahead(batches, source)):
                    writer.write(determiner.feed(table))
                    bar.update(task, advance=nbytes if is_csv else table.num_rows)
                bar.update(task, completed=total)
        else:
            for table, _ in _grouped(_read_ahead(batches, source)):
                writer.write(determiner.feed(table))
        writer.write(determiner.finish())
        ok = True
    finally:
        writer.close(ok)
    determination_cache.save(determiner.compiled)
    summary = determiner.summary
    summary.seconds = time.perf_counter() - start
    summary.output = str(output)
    return summary


__all__ = ["Determiner", "Summary", "aggregate_ugea", "determine_table", "run_batch"]
