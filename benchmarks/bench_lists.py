"""Re-screening after a list change: `apply_list_change` over N parties of an open case (screen
each again, compare the hits, store the result, audit what changed), against screening the same N
names through the service's screening API alone, measured in the same run on the same index.

    uv run python -m benchmarks lists            # 400 parties
    uv run python -m benchmarks lists --quick    # 40 parties

Runs in a child process on a fresh SQLite database (or DUALUSE_BENCH_DATABASE_URL). Prints both
times per party and the ratio: read the ratio (the share of the cost that is the database and the
audit trail rather than the matcher).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

_CHILD = r"""
import datetime as dt, json, sys, time
import django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from decimal import Decimal
from pathlib import Path
from django.conf import settings
from django.contrib.auth import get_user_model
from dualuse.batch.lists_update import store_list
from dualuse.service.cases import operations as ops
from dualuse.service.cases.models import Party
from dualuse.service.checks import screening
from dualuse.service.lists.rescreen import apply_list_change
from dualuse.service.organisations.access import actor_of
from dualuse.service.organisations.models import Membership, Organisation

n = int(sys.argv[1])
today = dt.date.today()
store = Path(settings.SCREENING_LISTS_DIR)
rows = "".join(f"L-{i},Listed Trading Company {i},Organization,IR,bench\n" for i in range(2000))
header = "id,name,schema,country,programme\n"
store_list(store, "bench", {"bench.csv": (header + rows).encode()})
org = Organisation.objects.create(kind="exporter", name="Bench B.V.", eori="NL999000001")
user = get_user_model().objects.create_user("bench", password="x" * 16)
Membership.objects.create(user=user, organisation=org, role="exporter_user")
ex = actor_of(user)
app = ops.create_application(ex, kind="individual", destinations=["US"], end_use="bench",
                             today=today)
names = [f"Bench Party {i} Holding" for i in range(n)]
Party.objects.bulk_create(
    Party(application=app, role="end_user", name=name, country="US") for name in names
)
app.state = "submitted"
app.save()
for party in Party.objects.filter(application=app):  # screened against the first version
    result = screening.screen_party(name=party.name, country="US", as_of=today)
    party.screening_status, party.screening = "clear", result
    party.save()
apply_list_change(day=today)
store_list(store, "bench", {"bench.csv": (header + rows + "L-X,Bench Party 7 Holding,"
                                          "Organization,US,bench added\n").encode()})
screening.loaded_lists()  # the index for the new version, built outside both timings
for name in names:  # a warm-up pass, so neither timing pays for the matcher's caches
    screening.screen_party(name=name, country="US", as_of=today)
t0 = time.perf_counter()
for name in names:
    screening.screen_party(name=name, country="US", as_of=today)
baseline = time.perf_counter() - t0
t0 = time.perf_counter()
change = apply_list_change(day=today)
rescreen = time.perf_counter() - t0
print(json.dumps({"baseline": baseline, "rescreen": rescreen, "parties": change.parties_rescreened,
                  "new_hits": change.new_hits}))
"""


def run(quick: bool) -> None:
    n = 40 if quick else 400
    data_dir = Path(tempfile.mkdtemp(prefix="dualuse-bench-lists-"))
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "dualuse.service.settings",
        "DUALUSE_DATA_DIR": str(data_dir),
        "DUALUSE_SECRET_KEY": "benchmark-only-secret-key-0123456789abcdef",
        "DUALUSE_DATABASE_URL": os.environ.get("DUALUSE_BENCH_DATABASE_URL", ""),
    }
    env.pop("DUALUSE_LISTS_DIR", None)
    out = subprocess.run([sys.executable, "-c", _CHILD, str(n)], env=env, check=True,
                         capture_output=True, text=True)
    r = json.loads(out.stdout.strip().splitlines()[-1])
    per = {k: r[k] / r["parties"] * 1000 for k in ("baseline", "rescreen")}
    print(f"{r['parties']} parties re-screened after a list change ({r['new_hits']} new hit)")
    print(f"  screening alone (baseline) {per['baseline']:7.2f} ms/party   x1.0")
    print(f"  apply_list_change          {per['rescreen']:7.2f} ms/party   "
          f"x{r['rescreen'] / r['baseline']:.1f}")
