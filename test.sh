#!/usr/bin/env bash
# Runs the whole default test suite (lint included). Long checks: see README "Longer checks".
set -euo pipefail
export FENQI_SETUP_EXTRAS=dev
source "$(dirname "${BASH_SOURCE[0]}")/scripts/setup.sh"
cd "$REPO"
"$VENV/bin/ruff" check app ui central tests bench
"$VENV/bin/mypy"  # app/, ui/ and central/, as [tool.mypy] in pyproject.toml says; cache in .mypy_cache/
exec "$VENV/bin/python" -m pytest "$@"
