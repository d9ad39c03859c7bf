"""How long since this process started, for `fenqi-pos --startup-probe` and bench/startup.py."""

from __future__ import annotations

import os
import time

_IMPORTED_AT = time.perf_counter()


def milliseconds_since_start() -> float:
    """Milliseconds since the process started.

    bench/startup.py sets FENQI_PROBE_T0 (epoch seconds) just before starting each process, which measures
    every candidate the same way. Otherwise Linux's /proc gives the process's age (10 ms resolution); elsewhere
    the time since this module was imported is the best available.
    """
    t0 = os.environ.get("FENQI_PROBE_T0")
    if t0:
        return (time.time() - float(t0)) * 1000
    try:
        with open("/proc/self/stat", encoding="ascii") as fh:
            start_ticks = int(fh.read().rsplit(")", 1)[1].split()[19])
        with open("/proc/uptime", encoding="ascii") as fh:
            uptime = float(fh.read().split()[0])
        return (uptime - start_ticks / os.sysconf("SC_CLK_TCK")) * 1000
    except (OSError, ValueError, IndexError):
        return (time.perf_counter() - _IMPORTED_AT) * 1000
