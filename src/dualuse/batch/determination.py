"""Batch determination: one row per order line, lines of one transaction decided together.

Input columns (CSV or Parquet): transaction_id, as_of, activity, member_state, destination,
control_code, and optionally origin, cyber_surveillance, informed_of, aware_of, circumstances
(lists `;`-separated, empty = none). Lines of one transaction must be contiguous and agree on
as_of, activity, member_state, destination and the three lists.

Output, one row per line: transaction_id, outcome, legal_bases (`;`-separated),
general_authorisations (`EU001=available;EU003=conditional`: the UGEAs available or
conditional for the transaction), line_outcome.

The input is streamed in record batches (memory stays flat); each batch is mapped onto the
compiled lookup tables (`determination_tables`) with Polars joins, the distinct classes of
lines are decided by the engine's rules, and the transaction aggregates are window expressions.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import polars as pl
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from dualuse.batch.determination_tables import (
    Compiled,
    normalise_code,
    normalise_words,
    outcome_name,
    render_ugeas,
)
from dualuse.engine.determination import aggregate_ugea
from dualuse.engine.result import OUTCOMES
from dualuse.engine.transaction import ACTIVITIES, CIRCUMSTANCES, END_USES
from dualuse.errors import DualuseError, InputError
from dualuse.law import Law, load_law

REQUIRED = ("transaction_id", "as_of", "activity", "member_state", "destination",
            "control_code")
OPTIONAL = ("origin", "cyber_surveillance", "informed_of", "aware_of", "circumstances")
LISTS = {"informed_of": END_USES, "aware_of": END_USES, "circumstances": CIRCUMSTANCES}
TX_COLUMNS = ("as_of", "activity", "member_state", "destination", "informed_of", "aware_of",
              "circumstances")
OUTPUT_SCHEMA = pa.schema([
    ("transaction_id", pa.string()), ("outcome", pa.string()), ("legal_bases", pa.string()),
    ("general_authorisations", pa.string()), ("line_outcome", pa.string()),
])
_TRUE = {"true", "1", "yes", "y", "t"}
_FALSE = {"false", "0", "no", "n", "f", ""}
_N_UGEAS = 8


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


class Determiner:
    """Decides record batches; keeps the compiled tables and the transaction carried over
    from one batch to the next."""

    def __init__(self, law: Law | None = None) -> None:
        self.compiled = Compiled(law or load_law())
        self.summary = Summary()
        self._carry: pl.DataFrame | None = None
        self._offset = 0  # data rows consumed before the current frame (for error messages)
        self._maps: dict[str, dict[Any, Any]] = {k: {} for k in ("date", "code", *LISTS)}

    # ------------------------------------------------------------------ streaming
    def feed(self, batch: pa.RecordBatch | pa.Table, final: bool = False) -> pa.Table | None:
        df = pl.from_arrow(batch)
        assert isinstance(df, pl.DataFrame)
        df = self._columns(df)
        if self._carry is not None:
            df = pl.concat([self._carry, df], how="vertical_relaxed")
            self._carry = None
        if df.height == 0:
            return None
        if not final:
            last = df["transaction_id"][-1]
            tail = df.select((pl.col("transaction_id") == last).alias("t"))["t"]
            keep = int(tail.arg_true()[0]) if tail.any() else df.height
            if keep == 0:
                self._carry = df
                return None
            self._carry = df.slice(keep)
            df = df.slice(0, keep)
        out = self._decide(df)
        self._offset += df.height
        return out

    def finish(self) -> pa.Table | None:
        if self._carry is None:
            return None
        df, self._carry = self._carry, None
        out = self._decide(df)
        self._offset += df.height
        return out

    # ------------------------------------------------------------------ columns
    def _columns(self, df: pl.DataFrame) -> pl.DataFrame:
        missing = [c for c in REQUIRED if c not in df.columns]
        if missing:
            raise InputError(f"missing column(s) {', '.join(missing)}; expected "
                             f"{', '.join(REQUIRED + OPTIONAL)}", field="columns")
        exprs = []
        for c in REQUIRED + OPTIONAL:
            if c not in df.columns:
                exprs.append(pl.lit(None, dtype=pl.String).alias(c))
            else:
                exprs.append(pl.col(c).cast(pl.String).str.strip_chars().alias(c))
        return df.select(exprs)

    def _fail(self, df: pl.DataFrame, mask: pl.Expr, column: str, exc: DualuseError) -> None:
        rows = df.with_row_index("_r").filter(mask)["_r"]
        row = self._offset + (int(rows[0]) + 1 if len(rows) else 1)
        raise InputError(f"row {row}: {exc.message}", field=column) from exc

    def _map(self, df: pl.DataFrame, column: str, kind: str, fn: Any) -> pl.Series:
        """Apply `fn` to the distinct values of a column (cached across batches)."""
        cache = self._maps.setdefault(kind, {})
        for value in df[column].unique().to_list():
            if value not in cache:
                try:
                    cache[value] = fn(value)
                except DualuseError as exc:
                    self._fail(df, pl.col(column).eq_missing(pl.lit(value)), column, exc)
        return df[column].replace_strict(cache, default=None)

    # ------------------------------------------------------------------ decision
    def _decide(self, df: pl.DataFrame) -> pa.Table:
        comp = self.compiled
        for c in ("transaction_id", "as_of", "activity", "member_state", "destination"):
            if df[c].null_count():
                self._fail(df, pl.col(c).is_null(), c, InputError("is required"))
        df = df.with_columns(pl.col("cyber_surveillance", *LISTS).fill_null(""))

        def epoch_of(value: str | None) -> int:
            if value is None:
                raise InputError("is required")
            try:
                day = date.fromisoformat(value)
            except ValueError:
                raise InputError(f"must be a date YYYY-MM-DD, got {value!r}") from None
            return comp.epoch(day, "as_of")

        def activity(value: str | None) -> str:
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

        def country(value: str | None) -> str:
            if value is None or len(value) != 2:
                raise InputError(f"must be an ISO 3166-1 alpha-2 code, got {value!r}")
            return value.upper()

        cols = {
            "epoch": self._map(df, "as_of", "date", epoch_of),
            "activity": self._map(df, "activity", "activity", activity),
            "member_state": self._map(df, "member_state", "country", country),
            "destination": self._map(df, "destination", "country", country),
            "code": self._map(df, "control_code", "code", normalise_code),
            "cyber": self._map(df, "cyber_surveillance", "bool", cyber),
        }
        for name, vocab in LISTS.items():
            cols[name] = self._map(df, name, name,
                                   lambda v, vocab=vocab, name=name: normalise_words(
                                       v, vocab, name))
        if df["origin"].null_count() < df.height:
            self._map(df, "origin", "country", country)
        work = pl.DataFrame(cols).with_columns(df["transaction_id"])
        same = (pl.col("activity") == "transfer") & (pl.col("member_state") == pl.col(
            "destination"))
        if work.select(same.any()).item():
            self._fail(work, same, "destination", InputError(
                "a transfer goes to another member state, not the exporter's own"))
        self._consistent(df, work)
        # Classes of codes and countries per epoch, then the distinct classes of lines.
        pairs = work.select("epoch", "code").unique()
        code_cls = []
        for e, c in pairs.iter_rows():
            try:
                code_cls.append(comp.classify_code(e, c))
            except DualuseError as exc:
                self._fail(work, (pl.col("epoch") == e) & pl.col("code").eq_missing(c),
                           "control_code", exc)
        pairs = pairs.with_columns(pl.Series("code_cls", code_cls, dtype=pl.Int64))
        dests = work.select("epoch", "member_state", "destination").unique()
        dest_cls = []
        for e, ms, d in dests.iter_rows():
            try:
                comp.classify_country(e, ms, "member_state")
                dest_cls.append(comp.classify_country(e, d, "destination"))
            except DualuseError as exc:
                self._fail(work, (pl.col("epoch") == e) & (pl.col("destination") == d),
                           exc.field or "destination", exc)
        dests = dests.with_columns(pl.Series("dest_cls", dest_cls, dtype=pl.Int64))
        work = work.join(pairs, on=["epoch", "code"], how="left", nulls_equal=True).join(
            dests, on=["epoch", "member_state", "destination"], how="left")
        key = ["epoch", "activity", "member_state", "code_cls", "dest_cls", "cyber",
               "informed_of", "aware_of", "circumstances"]
        classes = work.select(key).unique()
        decided = []
        for row in classes.iter_rows():
            try:
                decided.append(comp.decide(*row))
            except DualuseError as exc:
                cond = pl.all_horizontal([pl.col(k).eq_missing(v) for k, v in zip(
                    key, row, strict=True)])
                self._fail(work, cond, exc.field or "destination", exc)
        self.summary.classes = len(comp.decisions)
        classes = classes.with_columns(
            pl.Series("rank", [d[0] for d in decided], dtype=pl.Int64),
            pl.Series("mask", [d[1] for d in decided], dtype=pl.Int64),
            pl.Series("ugea", [d[2] for d in decided], dtype=pl.Int64),
        )
        work = work.join(classes, on=key, how="left", nulls_equal=True)
        ugea_cols = [((pl.col("ugea") // 4**i) % 4).max().over("transaction_id").alias(f"u{i}")
                     for i in range(_N_UGEAS)]
        work = work.with_columns(
            pl.col("rank").max().over("transaction_id").alias("tx_rank"),
            pl.col("mask").bitwise_or().over("transaction_id").alias("tx_mask"),
            *ugea_cols,
        )
        # UGEA aggregate: all not_needed -> not_available (aggregate_ugea).
        packed = pl.lit(0, dtype=pl.Int64)
        for i in range(_N_UGEAS):
            u = pl.col(f"u{i}")
            packed = packed + pl.when(u == 0).then(3).otherwise(u).cast(pl.Int64) * 4**i
        work = work.with_columns(packed.alias("tx_ugea"))
        out = work.select(
            "transaction_id",
            pl.col("tx_rank").replace_strict(
                {i: outcome_name(i) for i in range(len(OUTCOMES))}).alias("outcome"),
            pl.col("tx_mask").replace_strict(
                {m: comp.render_bases(m) for m in work["tx_mask"].unique().to_list()},
                return_dtype=pl.String).alias("legal_bases"),
            pl.col("tx_ugea").replace_strict(
                {p: render_ugeas(p) for p in work["tx_ugea"].unique().to_list()},
                return_dtype=pl.String).alias("general_authorisations"),
            pl.col("rank").replace_strict(
                {i: outcome_name(i) for i in range(len(OUTCOMES))}).alias("line_outcome"),
        )
        tx = work.select("transaction_id", "tx_rank").unique("transaction_id")
        self.summary.rows += df.height
        self.summary.transactions += tx.height
        for rank, n in tx.group_by("tx_rank").len().iter_rows():
            self.summary.outcomes[outcome_name(rank)] += n
        return out.to_arrow().cast(OUTPUT_SCHEMA)

    def _consistent(self, df: pl.DataFrame, work: pl.DataFrame) -> None:
        """Lines of one transaction must agree on the transaction's facts."""
        cols = ["epoch", "activity", "member_state", "destination", *LISTS]
        bad = work.group_by("transaction_id").agg(
            [pl.col(c).n_unique().alias(c) for c in cols]
        ).filter(pl.any_horizontal([pl.col(c) > 1 for c in cols]))
        if bad.height:
            tid = bad["transaction_id"][0]
            which = [c for c in cols if bad[c][0] > 1]
            self._fail(df, pl.col("transaction_id") == tid, which[0].replace(
                "epoch", "as_of"), InputError(
                f"the lines of transaction {tid!r} disagree on {', '.join(which)}"))


def determine_table(table: pa.Table, law: Law | None = None) -> pa.Table:
    """Decide a whole in-memory table of order lines (the differential test's entry point)."""
    d = Determiner(law)
    out = d.feed(table, final=True)
    return out if out is not None else OUTPUT_SCHEMA.empty_table()


# ---------------------------------------------------------------------- files
def _batches(path: Path) -> tuple[Iterator[pa.RecordBatch], int]:
    if not path.exists():
        raise InputError(f"no such file: {path}", field="--batch")
    suffix = path.suffix.lower()
    if suffix == ".parquet":
        pf = pq.ParquetFile(path)
        return pf.iter_batches(batch_size=262_144), pf.metadata.num_rows
    if suffix == ".csv":
        names = pacsv.open_csv(path, read_options=pacsv.ReadOptions(block_size=1 << 16)
                               ).schema.names
        reader = pacsv.open_csv(
            path,
            read_options=pacsv.ReadOptions(block_size=16 << 20),
            convert_options=pacsv.ConvertOptions(
                column_types=dict.fromkeys(names, pa.string()),
                strings_can_be_null=True, quoted_strings_can_be_null=False),
        )
        return iter(reader), path.stat().st_size
    raise InputError(f"{path.name}: expected a .csv or .parquet file", field="--batch")


class _Writer:
    def __init__(self, path: Path) -> None:
        suffix = path.suffix.lower()
        if suffix not in (".parquet", ".csv"):
            raise InputError(f"{path.name}: expected a .parquet or .csv file", field="--output")
        self.path = path
        self.tmp = path.with_name(path.name + ".partial")
        self._pq = pq.ParquetWriter(self.tmp, OUTPUT_SCHEMA) if suffix == ".parquet" else None
        self._csv = None if self._pq else pacsv.CSVWriter(self.tmp, OUTPUT_SCHEMA)

    def write(self, table: pa.Table | None) -> None:
        if table is None or table.num_rows == 0:
            return
        if self._pq is not None:
            self._pq.write_table(table)
        elif self._csv is not None:
            self._csv.write_table(table)

    def close(self, ok: bool) -> None:
        if self._pq is not None:
            self._pq.close()
        if self._csv is not None:
            self._csv.close()
        if ok:
            self.tmp.replace(self.path)  # nothing is changed unless the whole batch succeeded
        else:
            self.tmp.unlink(missing_ok=True)


def run_batch(source: Path, output: Path, *, progress: bool = False,
              law: Law | None = None) -> Summary:
    """Stream `source` through the engine into `output`; the output appears only on success."""
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
                for batch in batches:
                    writer.write(determiner.feed(batch))
                    bar.update(task, advance=batch.nbytes if is_csv else batch.num_rows)
                bar.update(task, completed=total)
        else:
            for batch in batches:
                writer.write(determiner.feed(batch))
        writer.write(determiner.finish())
        ok = True
    finally:
        writer.close(ok)
    summary = determiner.summary
    summary.seconds = time.perf_counter() - start
    summary.output = str(output)
    return summary


__all__ = ["Determiner", "Summary", "aggregate_ugea", "determine_table", "run_batch"]
