"""Load on the web app: 50 logged-in users on 127.0.0.1, p95 per main page.

Builds the demo region (with its demo accounts) into PostgreSQL when one answers at
127.0.0.1:5432 (database ``lotsen_bench``, created if missing), else into a SQLite
file; starts uvicorn with ``--workers`` processes and LOTSEN_AUTH=on; logs every user
in through the real login form; then each user walks the main pages until the
request budget or the time limit is spent. Bounded in count (``--requests``) and time
(``--seconds``). The baseline is the same walk by one user alone, in the same run.

    .venv/bin/python bench/web_load.py                 # PostgreSQL if available
    .venv/bin/python bench/web_load.py --sqlite        # force SQLite

Before/after in one sitting: run the old code from an unpacked tree against its own
database (an older schema), e.g.
``git archive HEAD src | tar -x -C /tmp/base`` then
``PYTHONPATH=/tmp/base/src .venv/bin/python bench/web_load.py --database lotsen_bench_base``.
The load average (1 min) is printed before and after: the machine may be shared.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import httpx

ROLE_PAGES = {
    "lots": ["/", "/behov", "/arbetssokande", "/utbildningar", "/arbetsgivare",
             "/behov?sida=3", "/api/v1/needs?limit=50"],
    "handlaggare": ["/", "/arbetssokande", "/behov", "/api/v1/people?limit=50"],
    "analytiker": ["/", "/behov", "/utbildningar", "/api/v1/summary"],
    "arbetsgivare": ["/", "/behov", "/registrera-behov"],
    "anordnare": ["/", "/utbildningar"],
}
TENANTS = ("skelleftea", "lulea-boden", "pitea", "umea")


def _pg_url(database: str) -> str | None:
    if not re.fullmatch(r"[a-z_][a-z0-9_]*", database):
        raise SystemExit(f"--database {database!r}: use lower-case letters, digits and _")
    try:
        import psycopg

        with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres",
                             autocommit=True, connect_timeout=2) as conn:
            query = "SELECT 1 FROM pg_database WHERE datname = %s"
            exists = conn.execute(query, (database,)).fetchone()
            if not exists:
                conn.execute(f"CREATE DATABASE {database}")
        return f"postgresql://postgres@127.0.0.1:5432/{database}"
    except Exception:
        return None


def prepare(url: str, people: int) -> dict[str, str]:
    from lotsen.services.access import SYSTEM
    from lotsen.services.demo import build_demo, summary
    from lotsen.services.demo_accounts import create_demo_accounts
    from lotsen.store.db import open_database

    engine = open_database(url)
    if summary(engine, actor=SYSTEM)["people"] < people:
        started = time.perf_counter()
        build_demo(engine, seed=2026, people=people, actor=SYSTEM)
        print(f"built demo region ({people} people) in {time.perf_counter() - started:.0f} s")
    return {row["username"]: row["password"] for row in create_demo_accounts(engine, actor=SYSTEM)}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(url: str, workers: int) -> tuple[subprocess.Popen[bytes], str]:
    port = _free_port()
    env = {**os.environ, "LOTSEN_DATABASE_URL": url, "LOTSEN_AUTH": "on",
           "LOTSEN_SECRET_KEY": "bench-" + os.urandom(16).hex()}
    process = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "lotsen.web.app:create_app", "--factory",
         "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers),
         "--log-level", "warning", "--no-access-log",
         # Users read for up to 1.5 s and the warm-up walks 50 users one after another:
         # longer than uvicorn's default 5 s, an idle connection can be closed just as
         # its user sends the next request.
         "--timeout-keep-alive", "30"],
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(base + "/logga-in", timeout=2).status_code == 200:
                # The first worker answers; give the others time to finish their start-up
                # (loading the taxonomy and index) so the one-user baseline is not skewed.
                time.sleep(5)
                return process, base
        except httpx.HTTPError:
            time.sleep(0.3)
    process.kill()
    raise SystemExit("the server did not start within 60 s")


async def login(client: httpx.AsyncClient, username: str, password: str) -> None:
    page = await client.get("/logga-in")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert token, "no CSRF token on the login page"
    done = await client.post("/logga-in", data={"username": username, "password": password,
                                                 "nasta": "/", "csrf_token": token.group(1)})
    assert done.status_code == 303, f"login of {username} failed: {done.status_code}"


async def walk(base: str, users: list[tuple[str, str]], budget: int, seconds: float,
               think: float, lockstep: bool = False) -> dict[str, list[float]]:
    """Every user logs in and opens each of their pages once (warm-up, not timed), then
    all walk their pages until ``budget`` or ``seconds``, pausing ``think`` s (±50 %)
    between pages like a person reading — 0 means back-to-back (saturation).

    With ``lockstep`` all users start the timed walk at the same instant on the first of
    their pages (the start page for every role): a burst of 50 simultaneous start pages.
    Otherwise each starts at a random page of its walk after a random part of one think
    time, as people who are already working do."""
    timings: dict[str, list[float]] = defaultdict(list)
    errors: list[str] = []
    clients = [httpx.AsyncClient(base_url=base, timeout=30) for _ in users]
    await asyncio.gather(*(login(c, u, p) for c, (u, p) in zip(clients, users, strict=True)))
    for client, (username, _) in zip(clients, users, strict=True):
        for path in ROLE_PAGES[username.split(".")[0]]:
            await client.get(path)
    left = [budget]
    deadline = time.monotonic() + seconds

    async def user(client: httpx.AsyncClient, username: str) -> None:
        pages = ROLE_PAGES[username.split(".")[0]]
        i = 0
        if not lockstep:
            i = random.randrange(len(pages))
            await asyncio.sleep(random.uniform(0, 1.5 * think))
        while left[0] > 0 and time.monotonic() < deadline:
            left[0] -= 1
            path = pages[i % len(pages)]
            i += 1
            started = time.perf_counter()
            try:
                response = await client.get(path)
            except httpx.TransportError as error:  # counted, not timed
                errors.append(f"{username} {path} {type(error).__name__}")
                continue
            timings[path].append(time.perf_counter() - started)
            if response.status_code != 200:
                errors.append(f"{username} {path} {response.status_code}")
            if think:
                await asyncio.sleep(random.uniform(0.5 * think, 1.5 * think))

    await asyncio.gather(*(user(c, u) for c, (u, _) in zip(clients, users, strict=True)))
    for client in clients:
        await client.aclose()
    if errors:
        print(f"{len(errors)} failed requests, e.g. {errors[:3]}")
    return timings


def p(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


def peak_rss_mb(pid: int) -> float:
    """Sum of VmHWM of the server and its worker processes."""
    total = 0
    pids = [pid] + [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    for one in pids:
        for line in Path(f"/proc/{one}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                total += int(line.split()[1])
    return total / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--requests", type=int, default=5000, help="total request budget")
    parser.add_argument("--seconds", type=float, default=60, help="time limit of the load run")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--people", type=int, default=3000)
    parser.add_argument("--sqlite", action="store_true", help="use SQLite even if PG answers")
    parser.add_argument("--lockstep", action="store_true",
                        help="all users start the timed walk at once, on the start page")
    parser.add_argument("--database", default="lotsen_bench",
                        help="PostgreSQL database at 127.0.0.1 (created if missing)")
    parser.add_argument("--think", type=float, default=1.0,
                        help="mean seconds a user reads a page before the next (0 = none)")
    args = parser.parse_args()

    url = None if args.sqlite else _pg_url(args.database)
    if url is None:
        url = f"sqlite:///{Path(tempfile.gettempdir()) / 'lotsen-bench.db'}"
    print(f"database: {url.split('@')[-1]}  workers: {args.workers}  users: {args.users}  "
          f"think: {args.think} s")
    logins = prepare(url, args.people)
    names = [f"{role}.{TENANTS[i % len(TENANTS)]}" for i, role in
             enumerate(r for _ in range(args.users) for r in ROLE_PAGES)][: args.users]
    users = [(n if n in logins else "analytiker", logins.get(n, logins["analytiker"]))
             for n in names]
    process, base = start_server(url, args.workers)
    try:
        baseline = asyncio.run(walk(base, users[:1], 200, 20, 0))
        load_before = os.getloadavg()[0]
        started = time.perf_counter()
        loaded = asyncio.run(walk(base, users, args.requests, args.seconds, args.think,
                                  args.lockstep))
        elapsed = time.perf_counter() - started
        memory = peak_rss_mb(process.pid)
        load_after = os.getloadavg()[0]
    finally:
        process.terminate()
        process.wait(timeout=20)
    count = sum(len(v) for v in loaded.values())
    print(f"\n{count} requests by {len(users)} users in {elapsed:.1f} s "
          f"(incl. logins, warm-up): {count / elapsed:.0f} req/s; server peak RSS {memory:.0f} MB; "
          f"load average {load_before:.1f} before, {load_after:.1f} after")
    print(f"{'page':<28}{'n':>6}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'1 user p95':>12}"
          f"{'ratio':>7}")
    for path in sorted(loaded):
        times = loaded[path]
        alone = baseline.get(path)
        base_p95 = p(alone, 0.95) if alone else float("nan")
        print(f"{path:<28}{len(times):>6}{p(times, 0.5):>9.1f}{p(times, 0.95):>9.1f}"
              f"{p(times, 0.99):>9.1f}{base_p95:>12.1f}{p(times, 0.95) / base_p95:>7.1f}")
    every = [t for v in loaded.values() for t in v]
    print(f"{'all pages':<28}{len(every):>6}{p(every, 0.5):>9.1f}{p(every, 0.95):>9.1f}"
          f"{p(every, 0.99):>9.1f}   mean {statistics.mean(every) * 1000:.1f}")


if __name__ == "__main__":
    main()
