"""Load on the service's API over loopback: checks (engine + screening + a stored row) and case
reads, next to the trivial /api/health endpoint measured in the same run at the same rate.

The service runs under gunicorn (2 workers x 4 threads) on a fresh SQLite database (WAL) with the
demo data; the client is open-loop: request i is due at t0 + i/rate and its latency is counted from
that due time, so a slow server cannot hide queueing (no coordinated omission).

    uv run python -m benchmarks service            # 200 req/s for 60 s per phase
    uv run python -m benchmarks service --quick    # 40 req/s for 5 s per phase
    DUALUSE_BENCH_RATE=100 DUALUSE_BENCH_SECONDS=30 uv run python -m benchmarks service
    DUALUSE_BENCH_DATABASE_URL=postgresql://... uv run python -m benchmarks service   # PostgreSQL

Each phase prints sent, errors (status >= 400 or a broken connection), achieved req/s, p50/p95/p99
and those percentiles divided by /api/health's in the same run: read the ratios, and achieved/target
(below 1 means saturation: latencies then grow with the phase length). Client threads keep one
keep-alive connection each. Measured figures and a CPU profile: docs/service.md, "Load".
"""

from __future__ import annotations

import http.client
import json
import os
import queue
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

Request = tuple[str, str, bytes | None, dict[str, str]]


@dataclass
class Phase:
    name: str
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    sent: int = 0
    elapsed: float = 0.0

    def pct(self, q: float) -> float:
        if not self.latencies:
            return float("nan")
        data = sorted(self.latencies)
        return data[min(len(data) - 1, int(q * len(data)))]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _prepare(env: dict[str, str]) -> dict[str, str]:
    """Migrate, load the demo and issue API tokens, in a child process with the bench env."""
    script = (
        "import django, json, datetime as dt\n"
        "django.setup()\n"
        "from django.core.management import call_command\n"
        "call_command('migrate', verbosity=0)\n"
        "from django.contrib.auth import get_user_model\n"
        "from dualuse.service.web.demo import load_demo\n"
        "from dualuse.service.organisations.models import ApiToken\n"
        "from dualuse.service.cases.models import Application\n"
        "load_demo(dt.date.today())\n"
        "U = get_user_model().objects\n"
        "_, ex = ApiToken.issue(U.get(username='exporter1'), 'bench')\n"
        "_, cw = ApiToken.issue(U.get(username='caseworker'), 'bench')\n"
        "ref = Application.objects.filter(state='granted').first().reference\n"
        "print(json.dumps({'exporter': ex, 'caseworker': cw, 'reference': ref}))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script], env=env, check=True, capture_output=True, text=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def _wait_until_up(port: int, proc: subprocess.Popen[bytes], timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError("the service exited while starting")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/api/health")
            if conn.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("the service did not start")


def _drive(
    port: int,
    phase: Phase,
    make: Callable[[int], Request],
    rate: float,
    seconds: float,
    threads: int = 32,
) -> None:
    total = int(rate * seconds)
    due: queue.Queue[tuple[int, float] | None] = queue.Queue()
    lock = threading.Lock()
    t0 = time.perf_counter() + 0.2

    def worker() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while True:
            job = due.get()
            if job is None:
                return
            i, at = job
            delay = at - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            method, path, body, headers = make(i)
            ok = False
            try:
                conn.request(method, path, body=body, headers=headers)
                resp = conn.getresponse()
                resp.read()
                ok = resp.status < 400
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            latency = time.perf_counter() - at
            with lock:
                phase.sent += 1
                if ok:
                    phase.latencies.append(latency)
                else:
                    phase.errors += 1

    pool = [threading.Thread(target=worker, daemon=True) for _ in range(threads)]
    for t in pool:
        t.start()
    for i in range(total):
        due.put((i, t0 + i / rate))
    for _ in pool:
        due.put(None)
    for t in pool:
        t.join()
    phase.elapsed = time.perf_counter() - t0


def run(quick: bool) -> None:
    rate, seconds = (40.0, 5.0) if quick else (200.0, 60.0)
    # Other rates for finding the sustainable load: DUALUSE_BENCH_RATE, DUALUSE_BENCH_SECONDS.
    rate = float(os.environ.get("DUALUSE_BENCH_RATE", rate))
    seconds = float(os.environ.get("DUALUSE_BENCH_SECONDS", seconds))
    data_dir = Path(tempfile.mkdtemp(prefix="dualuse-bench-"))
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "dualuse.service.settings",
        "DUALUSE_DATA_DIR": str(data_dir),
        "DUALUSE_SECRET_KEY": "benchmark-only-secret-key-0123456789abcdef",
        # SQLite (WAL) in a fresh data dir, or PostgreSQL: DUALUSE_BENCH_DATABASE_URL.
        "DUALUSE_DATABASE_URL": os.environ.get("DUALUSE_BENCH_DATABASE_URL", ""),
    }
    database = "PostgreSQL" if env["DUALUSE_DATABASE_URL"] else "SQLite WAL"
    tokens = _prepare(env)
    port = _free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "dualuse.service.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--threads",
            "4",
            "--worker-class",
            "gthread",
            "--log-level",
            "warning",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        _wait_until_up(port, server)
        ex = {"Authorization": f"Bearer {tokens['exporter']}", "Content-Type": "application/json"}
        cw = {"Authorization": f"Bearer {tokens['caseworker']}"}
        check_body = json.dumps(
            {
                "destination": "US",
                "items": [{"control_code": "6A003.b.4", "description": "thermal imaging core"}],
                "parties": [{"role": "end_user", "name": "Example Optics Inc", "country": "US"}],
            }
        ).encode()
        case_path = f"/api/applications/{tokens['reference']}"

        def trivial(i: int) -> Request:
            return ("GET", "/api/health", None, {})

        def mixed(i: int) -> Request:
            if i % 2:
                return ("POST", "/api/checks", check_body, ex)
            return ("GET", case_path, None, cw)

        def checks_only(i: int) -> Request:
            return ("POST", "/api/checks", check_body, ex)

        def reads_only(i: int) -> Request:
            return ("GET", case_path, None, cw)

        phases = []
        for name, make in [
            ("health (baseline)", trivial),
            ("mix: checks + case reads", mixed),
            ("checks only", checks_only),
            ("case reads only", reads_only),
        ]:
            phase = Phase(name)
            _drive(port, phase, make, rate, seconds)
            phases.append(phase)
    finally:
        server.terminate()
        server.wait(timeout=30)

    base = phases[0]
    print(
        f"target {rate:.0f} req/s for {seconds:.0f} s per phase; gunicorn 2x4 threads; {database}"
    )
    print(
        f"{'phase':<26} {'sent':>6} {'err':>4} {'req/s':>7} {'p50 ms':>8} {'p95 ms':>8} "
        f"{'p99 ms':>8}  {'p50/base':>8} {'p95/base':>8} {'p99/base':>8}"
    )
    for ph in phases:
        rps = ph.sent / ph.elapsed if ph.elapsed else 0.0
        p50, p95, p99 = (ph.pct(q) * 1000 for q in (0.50, 0.95, 0.99))
        b50, b95, b99 = (base.pct(q) * 1000 for q in (0.50, 0.95, 0.99))
        print(
            f"{ph.name:<26} {ph.sent:>6} {ph.errors:>4} {rps:>7.1f} {p50:>8.1f} {p95:>8.1f} "
            f"{p99:>8.1f}  {p50 / b50:>8.1f} {p95 / b95:>8.1f} {p99 / b99:>8.1f}"
        )
    mean = statistics.fmean(phases[1].latencies) if phases[1].latencies else float("nan")
    print(f"(mix mean latency {mean * 1000:.1f} ms; ratios are against /api/health in this run)")
