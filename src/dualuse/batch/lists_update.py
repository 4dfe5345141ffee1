"""`dualuse lists update`: fetch the official list files, validate them, store them as versioned
snapshots, report what changed. This is the edge: HTTP and files here, parsing in the core.

Store layout (`--data-dir`, else `$DUALUSE_LISTS_DIR`, else `$DUALUSE_DATA_DIR/lists`, else
`$XDG_DATA_HOME/dualuse/lists`, i.e. `~/.local/share/dualuse/lists`; the service screens with the
same store, found the same way)::

    <data dir>/<list>/<fetched-at>-<hash12>/<files as downloaded> + snapshot.json
    <data dir>/<list>/CURRENT        the snapshot folder in force (replaced atomically)

Earlier snapshots are kept. A download or a file that fails validation leaves the snapshot in
force untouched.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from dualuse.errors import DataIntegrityError, DualuseError, InputError, ScreeningUnavailableError
from dualuse.screening import ListChanges, ListSnapshot, diff_snapshots, read_lists

_OFAC = "https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/"

# The publishers' own download addresses (each can be overridden).
DEFAULT_SOURCES: dict[str, dict[str, str]] = {
    "un_sc": {"consolidated.xml": "https://scsanctions.un.org/resources/xml/en/consolidated.xml"},
    "ofac_sdn": {n.lower(): _OFAC + n for n in ("SDN.CSV", "ALT.CSV", "ADD.CSV",
                                                  "SDN_COMMENTS.CSV")},
    "ofac_cons": {n.lower(): _OFAC + n for n in ("CONS_PRIM.CSV", "CONS_ALT.CSV", "CONS_ADD.CSV",
                                                   "CONS_COMMENTS.CSV")},
    "us_csl": {"consolidated.csv":
               "https://data.trade.gov/downloadable_consolidated_screening_list/v1/consolidated.csv"},
    "bis_dpl": {"dpl.txt": "https://www.bis.doc.gov/dpl/dpl.txt"},
    "uk_ofsi": {"ConList.csv":
                "https://ofsistorage.blob.core.windows.net/publishlive/2022format/ConList.csv"},
    "eu_fsf": {"eu_fsf.xml": "https://webgate.ec.europa.eu/fsd/fsf/public/files/"
               "xmlFullSanctionsList_1_1/content"},
}
_LIST_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")
MIN_KEEP_SHARE = 0.5  # a new version with under half the records of the last one is refused
USER_AGENT = "dualuse-lists-update (+https://github.com/dualuse)"


def default_data_dir() -> Path:
    """The one list store: what `dualuse lists update` writes and the service screens with."""
    env = os.environ.get("DUALUSE_LISTS_DIR")
    if env:
        return Path(env)
    data = os.environ.get("DUALUSE_DATA_DIR")
    if data:
        return Path(data) / "lists"
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "dualuse" / "lists"


def load_sources(path: Path | None, overrides: list[str]) -> dict[str, dict[str, str]]:
    """Default sources, replaced by a JSON file {list: {file name: url}} and `LIST=URL` pairs
    (a single-file list, or `LIST/FILE=URL` for one file of a set)."""
    sources = {k: dict(v) for k, v in DEFAULT_SOURCES.items()}
    if path is not None:
        try:
            data = json.loads(path.read_text("utf-8"))
        except (OSError, ValueError) as exc:
            raise InputError(f"{path}: not a readable JSON sources file ({exc})",
                             field="sources") from exc
        if not isinstance(data, dict) or not all(
                isinstance(v, dict) and all(isinstance(u, str) for u in v.values())
                for v in data.values()):
            raise InputError(f"{path}: expected {{list: {{file name: url}}}}", field="sources")
        sources.update({str(k): {str(f): str(u) for f, u in v.items()} for k, v in data.items()})
    for item in overrides:
        key, sep, url = item.partition("=")
        if not sep or not url:
            raise InputError(f"{item!r}: expected LIST=URL or LIST/FILE=URL", field="url")
        list_name, _, file_name = key.partition("/")
        if file_name:
            sources.setdefault(list_name, {})[file_name] = url
        else:
            current = sources.get(list_name, {})
            name = next(iter(current)) if len(current) == 1 else url.rsplit("/", 1)[-1] or "list"
            sources[list_name] = {name: url}
    return sources


@dataclass
class UpdateResult:
    list_name: str
    status: str  # "updated", "unchanged", "failed"
    message: str = ""
    changes: ListChanges | None = None
    record_count: int = 0
    snapshot_dir: Path | None = None
    details: dict[str, str] = field(default_factory=dict)


def _fetch(url: str, timeout: float) -> bytes:
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            data: bytes = response.read()
            return data
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        raise DataIntegrityError(f"{url}: download failed ({exc})", field="url") from exc


def current_dir(data_dir: Path, list_name: str) -> Path | None:
    pointer = data_dir / list_name / "CURRENT"
    if not pointer.is_file():
        return None
    target = data_dir / list_name / pointer.read_text("utf-8").strip()
    return target if target.is_dir() else None


def _read_stored(folder: Path) -> list[ListSnapshot]:
    files = {p.name: p.read_bytes() for p in sorted(folder.iterdir())
             if p.is_file() and p.name != "snapshot.json"}
    return read_lists(files)


def load_current_by_list(data_dir: Path) -> list[tuple[str, ListSnapshot]]:
    """The snapshots in force in a store, each with the store's name of its list."""
    snapshots: list[tuple[str, ListSnapshot]] = []
    if data_dir.is_dir():
        for sub in sorted(p for p in data_dir.iterdir() if p.is_dir()):
            folder = current_dir(data_dir, sub.name)
            if folder is not None:
                snapshots += [(sub.name, s) for s in _read_stored(folder)]
    return snapshots


def load_current(data_dir: Path) -> list[ListSnapshot]:
    """The snapshots in force in a store; none at all is `ScreeningUnavailableError`."""
    snapshots = [s for _, s in load_current_by_list(data_dir)]
    if not snapshots:
        raise ScreeningUnavailableError(
            f"no list snapshot in {data_dir}: run `dualuse lists update` or pass --list",
            field="list")
    return snapshots


def store_versions(data_dir: Path) -> dict[str, str]:
    """The snapshot in force per list (its folder name: fetched-at and content hash): what a
    consumer compares to see that a list changed."""
    versions: dict[str, str] = {}
    if data_dir.is_dir():
        for sub in sorted(p for p in data_dir.iterdir() if p.is_dir()):
            folder = current_dir(data_dir, sub.name)
            if folder is not None:
                versions[sub.name] = folder.name
    return versions


def update_list(data_dir: Path, list_name: str, files: dict[str, str], *,
                now: datetime | None = None, timeout: float = 60.0) -> UpdateResult:
    """Fetch, validate and store one list. Failure leaves the snapshot in force untouched."""
    try:
        raw = {name: _fetch(url, timeout) for name, url in files.items()}
    except DualuseError as exc:
        return UpdateResult(list_name, "failed", str(exc))
    return store_list(data_dir, list_name, raw, sources=files, now=now)


def store_list(data_dir: Path, list_name: str, raw: dict[str, bytes], *,
               sources: dict[str, str] | None = None,
               now: datetime | None = None) -> UpdateResult:
    """Validate list files and store them as the list's snapshot in force (`dualuse lists add`
    for a list kept by hand, such as the authority's own). Failure leaves the store untouched."""
    if not _LIST_NAME.match(list_name):
        return UpdateResult(list_name, "failed",
                            "a list name is letters, digits, '-' and '_' (e.g. own_list)")
    try:
        snapshots = read_lists(raw)
    except DualuseError as exc:
        return UpdateResult(list_name, "failed", str(exc))
    if len(snapshots) != 1:
        return UpdateResult(list_name, "failed",
                            f"expected one list from {', '.join(raw)}, found {len(snapshots)}")
    new = snapshots[0]
    previous: ListSnapshot | None = None
    prev_dir = current_dir(data_dir, list_name)
    if prev_dir is not None:
        try:
            previous = _read_stored(prev_dir)[0]
        except DualuseError:
            previous = None  # an unreadable stored snapshot is replaced, not compared
    if previous is not None and previous.content_sha256 == new.content_sha256:
        return UpdateResult(list_name, "unchanged", record_count=new.record_count,
                            snapshot_dir=prev_dir)
    if previous is not None and new.record_count < MIN_KEEP_SHARE * previous.record_count:
        return UpdateResult(list_name, "failed",
                            f"new version has {new.record_count} records against "
                            f"{previous.record_count} before: refused as a likely truncated file")
    fetched_at = (now or datetime.now(UTC)).strftime("%Y-%m-%dT%H%M%SZ")
    name = f"{fetched_at}-{new.content_sha256[:12]}"
    base = data_dir / list_name
    base.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".incoming-", dir=base))
    try:
        for file_name, data in raw.items():
            (tmp / Path(file_name).name).write_bytes(data)
        meta = {
            "list": list_name, "format": new.format, "source_urls": sources or {},
            "fetched_at": fetched_at, "content_sha256": new.content_sha256,
            "record_count": new.record_count, "published": new.published,
        }
        (tmp / "snapshot.json").write_text(json.dumps(meta, indent=2) + "\n", "utf-8")
        final = base / name
        if final.exists():
            shutil.rmtree(final)
        os.replace(tmp, final)
        pointer_tmp = base / ".CURRENT.tmp"
        pointer_tmp.write_text(name + "\n", "utf-8")
        os.replace(pointer_tmp, base / "CURRENT")
    except OSError as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        return UpdateResult(list_name, "failed", f"could not store the snapshot: {exc}")
    return UpdateResult(list_name, "updated", changes=diff_snapshots(previous, new),
                        record_count=new.record_count, snapshot_dir=final)
