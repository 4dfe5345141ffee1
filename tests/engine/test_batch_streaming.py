"""The streamed batch (read ahead, decided in chunks, written on its own thread) gives what the
whole table decided at once gives, and fails cleanly: an error names the row or the file, and
no output appears."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest
from engine_strategies import transactions
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_batch_differential import LAW, _rows

from dualuse.batch import determination
from dualuse.batch.determination import determine_table, run_batch
from dualuse.errors import InputError


@pytest.fixture(autouse=True)
def _small_chunks(tmp_path_factory: pytest.TempPathFactory,
                  monkeypatch: pytest.MonkeyPatch) -> None:
    # Chunks of a few lines, so that transactions straddle reader blocks and decided chunks.
    monkeypatch.setattr(determination, "_DECIDE_ROWS", 5)
    monkeypatch.setattr(determination, "_READ_BLOCK", 512)
    monkeypatch.setenv("DUALUSE_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))


@settings(max_examples=15, deadline=None, suppress_health_check=[
    HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.function_scoped_fixture])
@given(txs=st.lists(transactions(), min_size=2, max_size=12),
       fmt=st.sampled_from(["csv", "parquet"]))
def test_streamed_chunks_agree_with_whole_table(txs: list[dict[str, Any]], fmt: str,
                                                 tmp_path_factory: pytest.TempPathFactory
                                                 ) -> None:
    tmp = tmp_path_factory.mktemp("stream")
    table = _rows(txs)
    src = tmp / f"in.{fmt}"
    if fmt == "csv":
        pacsv.write_csv(table, src)
    else:
        pq.write_table(table, src, row_group_size=3)
    summary = run_batch(src, tmp / "out.parquet", law=LAW)
    streamed = pq.read_table(tmp / "out.parquet")
    whole = determine_table(table, LAW)
    assert streamed.to_pylist() == whole.to_pylist()
    assert summary.rows == table.num_rows and summary.transactions == len(txs)


HEADER = ("transaction_id,as_of,activity,member_state,destination,origin,control_code,"
          "cyber_surveillance,informed_of,aware_of,circumstances")


def _lines(n: int, bad_at: int | None = None) -> list[str]:
    rows = [HEADER]
    for i in range(n):
        dest = "XX" if i + 1 == bad_at else "US"
        rows.append(f"T{i // 3},2026-06-01,export,NL,{dest},,5A002.a.1,false,,,")
    return rows


def _decide_csv(tmp_path: Path, lines: list[str]) -> list[dict[str, Any]]:
    src = tmp_path / "in.csv"
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    run_batch(src, tmp_path / "out.parquet", law=LAW)
    return pq.read_table(tmp_path / "out.parquet").to_pylist()


def test_lines_may_spell_the_transaction_facts_differently(tmp_path: Path) -> None:
    # A transaction's facts are read from its first line when the others repeat it; lines
    # that write the same facts differently are read whole and agree once normalised.
    plain = ["A,2026-06-01,export,NL,PK,,5A002.a.1,false,military_end_use;wmd,,exhibition",
             "A,2026-06-01,export,NL,PK,,,false,military_end_use;wmd,,exhibition",
             "B,2026-06-01,transfer,NL,DE,,1C350.1,false,,,"]
    spelt = ["A,2026-06-01,export,nl, PK,,5A002.a.1,false,wmd;military_end_use,,exhibition",
             "A,2026-06-01,Export,NL,pk,,,false,military_end_use; wmd ,, exhibition",
             "B,2026-06-01,transfer,NL,DE,,1C350.1,false,,,"]
    expected = _decide_csv(tmp_path, [HEADER, *plain])
    assert expected[0]["outcome"] != "no_authorisation_required"
    spelt[1] = spelt[1].replace("Export", "export")  # activities are not case-folded
    assert _decide_csv(tmp_path, [HEADER, *spelt]) == expected


@pytest.mark.parametrize(("rows", "column", "where"), [
    ({46: ("export", "exprot"), 47: ("export", "exprot"), 48: ("export", "exprot")},
     "activity", "row 46"),  # a whole transaction: read from its first line
    ({46: ("US", "XX"), 47: ("US", "XX"), 48: ("US", "XX")}, "destination", "row 46"),
    ({48: (",,,", ",wmd,,")}, "informed_of", "row 48"),  # lines disagree
    ({29: ("2026-06-01", "2026-13-01")}, "as_of", "row 29"),
])
def test_bad_transaction_fact_is_named_by_its_line(
        tmp_path: Path, rows: dict[int, tuple[str, str]], column: str, where: str) -> None:
    lines = _lines(60)
    for row, (old, new) in rows.items():
        lines[row] = lines[row].replace(old, new)
    src = tmp_path / "in.csv"
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(InputError) as exc:
        run_batch(src, tmp_path / "out.parquet", law=LAW)
    assert exc.value.field == column and where in exc.value.message, exc.value.message
    assert list(tmp_path.glob("out.parquet*")) == []


def test_bad_row_in_a_later_chunk_is_named_by_its_line(tmp_path: Path) -> None:
    src = tmp_path / "in.csv"
    src.write_text("\n".join(_lines(60, bad_at=47)) + "\n", encoding="utf-8")
    with pytest.raises(InputError) as exc:
        run_batch(src, tmp_path / "out.parquet", law=LAW)
    assert exc.value.field == "destination" and "row 47" in exc.value.message
    assert list(tmp_path.glob("out.parquet*")) == []


def test_malformed_csv_is_bad_input_naming_the_file(tmp_path: Path) -> None:
    lines = _lines(60)
    lines[40] += ",one column too many"
    src = tmp_path / "orders.csv"
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(InputError) as exc:
        run_batch(src, tmp_path / "out.parquet", law=LAW)
    assert exc.value.field == "--batch" and "orders.csv" in exc.value.message
    assert list(tmp_path.glob("out.parquet*")) == []


def test_not_parquet_is_bad_input(tmp_path: Path) -> None:
    src = tmp_path / "orders.parquet"
    src.write_text("not parquet", encoding="utf-8")
    with pytest.raises(InputError) as exc:
        run_batch(src, tmp_path / "out.parquet", law=LAW)
    assert exc.value.field == "--batch" and "orders.parquet" in exc.value.message


def test_a_failing_write_surfaces_and_leaves_no_output(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    class DiskFull(pq.ParquetWriter):  # type: ignore[misc]
        def write_table(self, table: pa.Table, row_group_size: int | None = None) -> None:
            raise OSError("No space left on device")

    monkeypatch.setattr(pq, "ParquetWriter", DiskFull)
    src = tmp_path / "in.csv"
    src.write_text("\n".join(_lines(60)) + "\n", encoding="utf-8")
    with pytest.raises(OSError, match="No space left"):
        run_batch(src, tmp_path / "out.parquet", law=LAW)
    assert list(tmp_path.glob("out.parquet*")) == []
