"""Rewrite resources/api/openapi.json from the reference central server (a test keeps the two in step).

.venv/bin/python scripts/openapi.py
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from central.api import create_app  # noqa: E402

with tempfile.TemporaryDirectory() as folder:
    schema = create_app(f"sqlite:///{Path(folder) / 'schema.db'}").openapi()
target = REPO / "resources" / "api" / "openapi.json"
target.write_text(json.dumps(schema, indent=1, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8")
print(target)
