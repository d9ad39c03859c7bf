#!/usr/bin/env bash
# The scorecard's training tools, kept out of the application's dependencies: a separate .train-venv with the
# application and models_onnx/train/requirements.txt.
#   scripts/train.sh train   re-train and rewrite models_onnx/ (then re-sign the card: fenqi dev sign …)
#   scripts/train.sh check   re-train and compare the holdout AUC with the shipped card (within 0.005)
#   scripts/train.sh bench   bench/prescreen.py with optbinning's scorer beside ours
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$REPO/.train-venv"
if [[ ! -x "$VENV/bin/python" ]]; then
    python3 -m venv "$VENV"
fi
STAMP="$VENV/.stamp"
if [[ ! -f "$STAMP" || "$REPO/models_onnx/train/requirements.txt" -nt "$STAMP" || "$REPO/pyproject.toml" -nt "$STAMP" ]]; then
    "$VENV/bin/pip" install -q --upgrade pip
    "$VENV/bin/pip" install -q -e "$REPO[counter]" -r "$REPO/models_onnx/train/requirements.txt"  # bench uses the services
    touch "$STAMP"
fi
case "${1:-check}" in
    train) exec "$VENV/bin/python" "$REPO/models_onnx/train/train.py" ;;
    check) exec "$VENV/bin/python" "$REPO/models_onnx/train/train.py" --check ;;
    bench) shift; exec "$VENV/bin/python" "$REPO/bench/prescreen.py" "$@" ;;
    *) echo "usage: scripts/train.sh train|check|bench" >&2; exit 2 ;;
esac
