"""The shipped scorecard at run time: its signed model card, the ONNX file the card vouches for, and one
onnxruntime session. Loading is slow (a few tens of milliseconds) and happens once, off the GUI thread and
after the first window; a missing or tampered model is refused with a clear message, and everything that does
not need a score (data entry, quotes) keeps working."""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.kernel.errors import EXIT_INVALID_INPUT, Unavailable
from app.kernel.i18n import _
from app.kernel.settings import Settings

if TYPE_CHECKING:  # numpy and onnxruntime load with the model, not with the application
    import numpy as np

CARD_FILE = "model_card.json"
BATCH_ROWS = 10_000


class ModelUnavailable(Unavailable):
    """The scorecard cannot be used: missing, changed after signing, or not the file its card describes."""

    code = "model_unavailable"


class ModelCardInvalid(ModelUnavailable):
    """A signed card that names its model file by a path (`../x`, `sub/x`, `/x`) instead of a plain name in the
    card's own folder: the pre-screen is off, as with any refused model; from the command line it is bad input
    (exit 1), not a crash or a read of a file elsewhere on the PC."""

    code = "model_card_invalid"
    exit_status = EXIT_INVALID_INPUT


def model_file_name(card: Mapping[str, Any]) -> str:
    """The card's `model_file` when it is a plain file name (no folder, no drive, not `.` or `..`), which is
    looked up in the card's own folder only; raises ModelCardInvalid otherwise."""
    name = card.get("model_file")
    if (
        not isinstance(name, str)
        or name in ("", ".", "..")
        or any(ch in name for ch in "/\\:\0")
        or Path(name).name != name
    ):
        raise ModelCardInvalid(
            _(
                "The scorecard's card names its model file as a path ({name}), not a file beside the card: "
                "pre-screening is off; data entry and quotes work."
            ).format(name=str(name)[:80])
        )
    return name


def models_dir(settings: Settings) -> Path:
    """Where the model and its card are: the setting, or the folder shipped beside the packages."""
    if settings.model_dir:
        return Path(settings.model_dir)
    return Path(__file__).resolve().parents[2] / "models_onnx"


@dataclass(frozen=True)
class Scores:
    """Scores of a batch: arrays with one row per application (reasons: feature indices, worst first)."""

    score: np.ndarray
    pd: np.ndarray
    points: np.ndarray
    reason_index: np.ndarray
    reason_gap: np.ndarray


def load_card(settings: Settings) -> dict[str, Any]:
    """The verified model card: its Ed25519 signature holds against a trusted key and the model file next to
    it has the SHA-256 the card names. Raises ModelUnavailable (exit 3) otherwise, ModelCardInvalid (exit 1)
    when the card names its model file by a path."""
    return load_verified(settings)[0]


def load_verified(settings: Settings) -> tuple[dict[str, Any], bytes]:
    """The verified card and the model's bytes — the very bytes whose hash was checked (read once, so a file
    swapped after the check is never the one loaded)."""
    from app.domain.catalog import trusted_keys
    from app.security.signing import SignatureInvalid, verify_file

    folder = models_dir(settings)
    path = folder / CARD_FILE
    if not path.exists():
        raise ModelUnavailable(
            _("The scorecard's model card {path} is missing: pre-screening is off; data entry and quotes work.").format(
                path=path
            ),
            code="model_missing",
        )
    try:
        verified = verify_file(path, trusted_keys(settings))
    except SignatureInvalid as exc:
        raise ModelUnavailable(
            _("The scorecard is refused: {reason} Pre-screening is off; data entry and quotes work.").format(
                reason=exc.message
            ),
            code="model_tampered",
        ) from exc
    card = json.loads(verified.content)
    model_path = folder / model_file_name(card)
    if not model_path.is_file():
        raise ModelUnavailable(
            _("The scorecard model file {path} is missing: pre-screening is off.").format(path=model_path),
            code="model_missing",
        )
    model_bytes = model_path.read_bytes()
    if hashlib.sha256(model_bytes).hexdigest() != card.get("model_sha256"):
        raise ModelUnavailable(
            _("The scorecard model file {name} is not the one its signed card describes: pre-screening is off.").format(
                name=model_path.name
            ),
            code="model_tampered",
        )
    return card, model_bytes


class Scorecard:
    """The ONNX scorecard with its card; one session, reused for every score."""

    def __init__(self, card: Mapping[str, Any], model_bytes: bytes) -> None:
        import onnxruntime as ort

        self.card = card
        self.features: Sequence[Mapping[str, Any]] = card["features"]
        self.names = [f["name"] for f in self.features]
        options = ort.SessionOptions()
        options.intra_op_num_threads = 1  # one application at a time: threads only add hand-over latency
        options.inter_op_num_threads = 1
        try:
            self.session = ort.InferenceSession(model_bytes, options, providers=["CPUExecutionProvider"])
        except Exception as exc:  # onnxruntime raises its own kinds (InvalidProtobuf, Fail…) for bytes it cannot use
            raise ModelUnavailable(
                _(
                    "The scorecard model file is not a model that can be loaded: pre-screening is off; data entry and "
                    "quotes work."
                ),
                code="model_invalid",
            ) from exc
        self._model_bytes = model_bytes
        self._batch_session: Any = None

    @classmethod
    def load(cls, settings: Settings) -> Scorecard:
        """The verified card and its model in a ready session; raises ModelUnavailable."""
        return cls(*load_verified(settings))

    @property
    def version(self) -> str:
        """The model's version string."""
        return str(self.card["version"])

    def encode(self, rows: Sequence[Mapping[str, Any]]) -> np.ndarray:
        """Rows of feature values as the model's input: numbers as doubles, categories as their bin index,
        missing or unseen values as NaN (the model gives them the neutral points)."""
        import numpy as np

        matrix = np.full((len(rows), len(self.features)), math.nan, dtype=np.float64)
        for j, feature in enumerate(self.features):
            name = feature["name"]
            if feature["kind"] == "numeric":
                for i, row in enumerate(rows):
                    value = row.get(name)
                    if value is not None:
                        matrix[i, j] = float(value)
            else:
                categories = feature["categories"]
                for i, row in enumerate(rows):
                    index = categories.get(str(row.get(name)))
                    if index is not None:
                        matrix[i, j] = index
        return matrix

    def score_matrix(self, matrix: np.ndarray) -> Scores:
        """Score an already encoded batch (large batches on a session that uses every core)."""
        session = self.session
        if len(matrix) >= BATCH_ROWS:
            if self._batch_session is None:
                import onnxruntime as ort

                self._batch_session = ort.InferenceSession(self._model_bytes, providers=["CPUExecutionProvider"])
            session = self._batch_session
        score, pd, points, reason_index, reason_gap = session.run(None, {"features": matrix})
        return Scores(score[:, 0], pd[:, 0], points, reason_index, reason_gap)

    def score(self, rows: Sequence[Mapping[str, Any]]) -> Scores:
        """Score rows of feature values."""
        return self.score_matrix(self.encode(rows))
