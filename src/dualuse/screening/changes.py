"""What changed between two snapshots of the same list: records added, removed and amended,
matched by the list's own record id."""

from __future__ import annotations

from dataclasses import dataclass

from dualuse.screening.model import ListSnapshot


@dataclass(frozen=True, slots=True)
class ListChanges:
    list_name: str
    added: tuple[str, ...]
    removed: tuple[str, ...]
    amended: tuple[str, ...]

    @property
    def unchanged(self) -> bool:
        return not (self.added or self.removed or self.amended)

    def summary(self) -> str:
        return (f"{self.list_name}: {len(self.added)} added, {len(self.removed)} removed, "
                f"{len(self.amended)} amended")


def diff_snapshots(old: ListSnapshot | None, new: ListSnapshot) -> ListChanges:
    before = {r.list_id: r.fingerprint() for r in old.records} if old else {}
    after = {r.list_id: r.fingerprint() for r in new.records}
    return ListChanges(
        list_name=new.list_name,
        added=tuple(sorted(set(after) - set(before))),
        removed=tuple(sorted(set(before) - set(after))),
        amended=tuple(sorted(k for k in set(after) & set(before) if after[k] != before[k])),
    )
