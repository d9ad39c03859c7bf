"""Write the demo store's blacklist (resources/blacklist/demo.json) from the demo values below.

    .venv/bin/python scripts/make_demo_blacklist.py

The lender's real blacklist comes from the central server with its own key; this one exists so the demo
counter can show a blacklist decline. Its values are documented in README.md. The file is signed like the
catalog: `./run.sh` signs it with the development key in development mode.
"""

from __future__ import annotations

import base64
import hashlib
import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from app.scoring.blacklist import FORMAT, blacklist_digest  # noqa: E402

DEMO_ENTRIES = (("phone", "13900001111"), ("phone", "13900002222"), ("id", "110101199003074477"))
# A fixed demo key, derived from a public string: the demo list protects nobody; a real key is random.
DEMO_KEY = hashlib.sha256(b"fenqi demo blacklist key").digest()


def main() -> int:
    doc = {
        "format": FORMAT,
        "version": "demo-2026-11-29",
        "hmac_key": base64.b64encode(DEMO_KEY).decode(),
        "entries": sorted(
            ({"kind": kind, "digest": blacklist_digest(DEMO_KEY, kind, value).hex()} for kind, value in DEMO_ENTRIES),
            key=lambda e: (e["kind"], e["digest"]),
        ),
    }
    out = REPO / "resources" / "blacklist" / "demo.json"
    out.write_text(json.dumps(doc, indent=1) + "\n", encoding="utf-8")
    print(out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
