"""How much memory one piece of work takes: the growth of this process's resident set
above what it held when the work started, at its peak.

The kernel keeps the peak exactly (``VmHWM``) and lets a process reset it (writing 5
to ``/proc/self/clear_refs``, Linux 4.0 and later), so a spike inside one C call that
holds the GIL is seen as well as a slow climb — sampling from a thread would miss the
first. The peak is per process: work on other threads meanwhile counts too.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

PAGE = os.sysconf("SC_PAGE_SIZE")
MB = 2**20


def resident() -> int:
    """Bytes of this process now in memory."""
    with open("/proc/self/statm", "rb") as statm:
        return int(statm.read().split()[1]) * PAGE


def high_water() -> int:
    """The most bytes this process held in memory since the last reset."""
    with open("/proc/self/status", "rb") as status:
        for line in status:
            if line.startswith(b"VmHWM:"):
                return int(line.split()[1]) * 1024
    raise OSError("no VmHWM in /proc/self/status")


def reset_high_water() -> None:
    with open("/proc/self/clear_refs", "w") as clear:
        clear.write("5")


@dataclass
class Growth:
    """Filled in when the ``with`` block ends: peak bytes above the start."""

    peak: int = 0

    @property
    def mb(self) -> float:
        return self.peak / MB


@contextmanager
def peak_growth() -> Iterator[Growth]:
    growth = Growth()
    start = resident()
    reset_high_water()
    try:
        yield growth
    finally:
        growth.peak = max(0, high_water() - start)
