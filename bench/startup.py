"""Start-up time: `fenqi-pos --startup-probe` against a bare PySide6 QMainWindow started the same way.

Runs both alternately (same interpreter, same platform plugin, same clock: FENQI_PROBE_T0 set just before
each process starts) and prints the median of each and their ratio. Target: ratio <= 1.5.

Both start from compiled bytecode, as an installed application and `./run.sh` do (run.sh compiles app/ and
ui/ before starting): where PYTHONDONTWRITEBYTECODE is set, the app's sources would otherwise be compiled
again at every start — the bare window has almost no source of its own, so that would measure the compiler.

    .venv/bin/python bench/startup.py [--runs 15] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def _run(cmd: list[str], env: dict[str, str]) -> float:
    env = dict(env, FENQI_PROBE_T0=repr(time.time()))
    done = subprocess.run(cmd, cwd=REPO, env=env, capture_output=True, text=True, timeout=120)
    if done.returncode != 0:
        raise SystemExit(f"{cmd} failed: {done.stderr}")
    return float(done.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    home = tempfile.mkdtemp(prefix="fenqi-bench-")
    env = dict(os.environ, FENQI_HOME=home, FENQI_KEY_STORE="file", PYTHONPATH=str(REPO))
    if not env.get("DISPLAY"):
        env["QT_QPA_PLATFORM"] = "offscreen"
    app_cmd = [sys.executable, "-c", "import sys; from ui.main import main; sys.exit(main(['--startup-probe']))"]
    bare_cmd = [sys.executable, str(REPO / "bench" / "bare_window.py")]
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", "-j", "0", str(REPO / "app"), str(REPO / "ui"), str(REPO / "bench")],
        check=False,  # a module that does not compile fails in the runs below, with its error
        stdout=subprocess.DEVNULL,
    )
    _run(app_cmd, env)  # first run creates settings and warms the disk cache for both
    _run(bare_cmd, env)
    app_ms, bare_ms = [], []
    for _ in range(args.runs):
        app_ms.append(_run(app_cmd, env))
        bare_ms.append(_run(bare_cmd, env))
    result = {
        "runs": args.runs,
        "platform": env.get("QT_QPA_PLATFORM", "xcb"),
        "app_median_ms": round(statistics.median(app_ms), 1),
        "bare_median_ms": round(statistics.median(bare_ms), 1),
        "ratio": round(statistics.median(app_ms) / statistics.median(bare_ms), 3),
        "target_ratio": 1.5,
    }
    if args.json:
        print(json.dumps(result))
    else:
        print(f"fenqi-pos first window: median {result['app_median_ms']} ms over {args.runs} runs")
        print(f"bare QMainWindow:       median {result['bare_median_ms']} ms")
        print(f"ratio {result['ratio']} (target <= 1.5)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
