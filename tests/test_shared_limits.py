"""Issue 14: the long-work slot and the login throttle hold across worker processes.

Another process (as a second uvicorn worker would be) on the same database fails the
logins and holds the user's slot; this process must see both. Counted in memory per
process, as before, it saw neither.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from lotsen.auth.throttle import FREE_ATTEMPTS
from lotsen.errors import NotAuthenticated, TooManyRequests
from lotsen.services import logins
from lotsen.services.access import Actor
from lotsen.services.long_work import long_work
from lotsen.store.db import open_database

ANALYST = Actor(role="analyst", user_id=41, username="a")
OTHER_WORKER = textwrap.dedent(f"""
    import sys
    from lotsen.errors import NotAuthenticated
    from lotsen.services import logins
    from lotsen.services.access import Actor
    from lotsen.services.long_work import long_work
    from lotsen.store.db import open_database
    engine = open_database(sys.argv[1])
    for _ in range({FREE_ATTEMPTS}):
        try:
            logins.login(engine, "ingen", "fel-losenord", "10.0.0.9")
        except NotAuthenticated:
            pass
    with long_work("utbildningsgap med scenario", actor=Actor(role="analyst", user_id=41),
                   kind="gap_report", engine=engine):
        print("held", flush=True)
        sys.stdin.readline()
    print("released", flush=True)
""")


def test_a_second_worker_process_sees_the_slot_and_the_failed_logins(db_url: str) -> None:
    engine = open_database(db_url)  # the schema, before the other process opens it
    src = Path(logins.__file__).resolve().parents[2]
    env = {**os.environ, "PYTHONPATH": f"{src}{os.pathsep}{os.environ.get('PYTHONPATH', '')}"}
    other = subprocess.Popen([sys.executable, "-c", OTHER_WORKER, db_url], env=env,
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert other.stdout is not None and other.stdin is not None
        assert other.stdout.readline().strip() == "held"
        with pytest.raises(TooManyRequests) as caught, long_work(
                "scenariokörning", actor=ANALYST, kind="scenario_cells", engine=engine):
            pass
        assert caught.value.code == "long_work_running"
        with long_work("scenariokörning", actor=Actor(role="analyst", user_id=42),
                       kind="scenario_cells", engine=engine):
            pass  # another user is not held up
        with pytest.raises(TooManyRequests):  # the other worker's failures count here
            logins.login(engine, "ingen", "fel-losenord", "10.0.0.9")
        with pytest.raises(NotAuthenticated):  # another address is not slowed
            logins.login(engine, "ingen", "fel-losenord", "10.0.0.10")
        other.stdin.write("\n")
        other.stdin.flush()
        assert other.stdout.readline().strip() == "released"
    finally:
        if other.poll() is None:
            other.kill()
        other.wait(timeout=30)
    with long_work("scenariokörning", actor=ANALYST, kind="scenario_cells", engine=engine):
        pass  # free again once the other process gave it back
