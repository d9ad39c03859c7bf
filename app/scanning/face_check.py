"""The live photo's check, on the counter and offline: exactly one face, large enough, sharp enough and not too
dark, found with OpenCV's Haar frontal-face cascade (shipped inside the opencv-python-headless 4.x wheel as
`cv2.data.haarcascades`; no model is downloaded). OpenCV comes with the optional OCR/vision component: where it
is not installed the photo is not checked (`checked` False) and the application tells the lender so.

The measures are taken on the largest face: its width against the photo's shorter side and in pixels, its
brightness, and its sharpness as the variance of the Laplacian over the variance of the face's own pixels on a
fixed-size copy — so the sharpness does not depend on the photo's resolution or on how light it is."""

from __future__ import annotations

import functools
import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from app.kernel.i18n import N_, _
from app.kernel.logs import get_logger
from app.scanning.photos import decode

if TYPE_CHECKING:
    from PIL.Image import Image

log = get_logger("face_check")

CASCADE_FILE = "haarcascade_frontalface_default.xml"
# The photo is searched at this shorter side (a larger photo is scaled down first): the cascade finds faces from
# 24 px, so a face of a twentieth of the photo's short side is still found — and reported as too small instead
# of as no face — while a 12-megapixel photo is searched in about a tenth of a second, not seconds.
WORK_SIDE = 480
MIN_DETECTED = 24  # the cascade's own window
# Standard settings for this cascade: finer steps find more faces and more false ones; five overlapping hits
# make a face.
SCALE_STEP = 1.1
MIN_NEIGHBOURS = 5
# Another face counts when it is at least half as wide as the largest: a person beside the customer, not a
# face in a poster far behind or one of the cascade's small false finds in a patterned background.
OTHER_FACE_SHARE = 0.5
# A customer at the counter, photographed from the clerk's side, fills far more than this: a face under an eighth
# of the photo's shorter side means someone standing back (or someone else), and under 80 px across it is too
# coarse for a reviewer to compare with the ID card's portrait.
MIN_FACE_SHARE = 0.12
MIN_FACE_PIXELS = 80
# Sharpness (see the module's description) of a face scaled to 128 px: the test face (skimage's astronaut, 96 px
# across) measures 0.055; blurred with a Gaussian of 1 px 0.013 (soft, still usable), of 2 px 0.005 (the eyes
# and mouth run together). Noise only raises it, so a grainy webcam frame is not refused for it.
SHARP_SIDE = 128
MIN_SHARPNESS = 0.01
# Mean brightness (0-255) of the face: a well-lit face is 120-170; below this its features are lost in noise.
MIN_BRIGHTNESS = 50

NO_FACE, SEVERAL_FACES, FACE_TOO_SMALL, BLURRY, TOO_DARK = (
    "no_face",
    "several_faces",
    "face_too_small",
    "blurry",
    "too_dark",
)
# What the clerk is told to do about each problem, in the order they are shown.
ADVICE: dict[str, str] = {
    NO_FACE: N_("No face was found: ask the customer to look straight at the camera, with nothing covering the face."),
    SEVERAL_FACES: N_("More than one face is in the photo: only the customer may be in the picture."),
    FACE_TOO_SMALL: N_("The face is too small: move the camera closer so the face fills more of the photo."),
    BLURRY: N_("The photo is blurred: hold the camera still, let it focus, and take it again."),
    TOO_DARK: N_("The photo is too dark: turn on more light or turn the customer towards it, and take it again."),
}
UNCHECKED_NOTE = N_(
    "This PC cannot check photos (the optional vision component is not installed): the photo is kept unchecked "
    "and the lender is told."
)

_lock = threading.Lock()  # one CascadeClassifier is not safe to use from two threads at once


@dataclass(frozen=True)
class FaceVerdict:
    """What the check found: `checked` False when this PC cannot check photos; `problems` the codes of what is
    wrong (no_face, several_faces, face_too_small, blurry, too_dark), empty when the photo will do."""

    checked: bool
    problems: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        """Nothing wrong was found (an unchecked photo is ok: it is kept, marked unchecked)."""
        return not self.problems

    def messages(self) -> list[str]:
        """What the clerk reads, in the configured language: what to do about each problem; for an unchecked
        photo, that it could not be checked; nothing for a photo that passed."""
        if not self.checked:
            return [_(UNCHECKED_NOTE)]
        return [_(ADVICE[code]) for code in self.problems]


@functools.cache
def _classifier() -> Any | None:
    """OpenCV's frontal-face cascade, loaded once; None when OpenCV (4.x, with its cascades) is not here."""
    try:
        import cv2
    except ImportError:
        return None
    folder = getattr(getattr(cv2, "data", None), "haarcascades", None)
    if folder is None or not hasattr(cv2, "CascadeClassifier"):  # OpenCV 5 ships neither
        log.warning("OpenCV %s has no Haar cascades: live photos are kept unchecked", cv2.__version__)
        return None
    cascade = cv2.CascadeClassifier(folder + CASCADE_FILE)
    if cascade.empty():
        log.warning("the face cascade could not be loaded: live photos are kept unchecked")
        return None
    return cascade


def vision_available() -> bool:
    """Whether this PC can check live photos (OpenCV 4.x with its face cascade is installed)."""
    return _classifier() is not None


def check_face(image: bytes) -> FaceVerdict:
    """Check a live photo (JPEG, PNG… bytes). Raises InvalidInput (bad_image, image_too_large) when it is not a
    picture; returns an unchecked verdict when this PC cannot check photos."""
    return check_picture(decode(image, _("live photo")))


def check_picture(picture: Image) -> FaceVerdict:
    """Check a live photo already decoded (app.scanning.photos.decode); unchecked when this PC cannot check."""
    cascade = _classifier()
    if cascade is None:
        return FaceVerdict(checked=False)
    import cv2
    import numpy as np

    grey = np.asarray(picture.convert("L"))
    scale = min(1.0, WORK_SIDE / min(grey.shape))
    if scale < 1.0:
        size = (max(1, round(grey.shape[1] * scale)), max(1, round(grey.shape[0] * scale)))
        grey = cv2.resize(grey, size, interpolation=cv2.INTER_AREA)
    with _lock:
        found = cascade.detectMultiScale(
            grey, scaleFactor=SCALE_STEP, minNeighbors=MIN_NEIGHBOURS, minSize=(MIN_DETECTED, MIN_DETECTED)
        )
    faces = sorted((tuple(int(v) for v in f) for f in found), key=lambda f: f[2] * f[3], reverse=True)
    if not faces:
        dark = float(grey.mean()) < MIN_BRIGHTNESS
        return FaceVerdict(checked=True, problems=(NO_FACE, TOO_DARK) if dark else (NO_FACE,))
    x, y, w, h = faces[0]
    problems = []
    if sum(1 for f in faces if f[2] >= OTHER_FACE_SHARE * w) > 1:
        problems.append(SEVERAL_FACES)
    if w < MIN_FACE_SHARE * min(grey.shape) or w / scale < MIN_FACE_PIXELS:
        problems.append(FACE_TOO_SMALL)
    face = cv2.resize(grey[y : y + h, x : x + w], (SHARP_SIDE, SHARP_SIDE), interpolation=cv2.INTER_AREA)
    face = face.astype(np.float64)
    if cv2.Laplacian(face, cv2.CV_64F).var() < MIN_SHARPNESS * max(float(face.var()), 1.0):
        problems.append(BLURRY)
    if float(face.mean()) < MIN_BRIGHTNESS:
        problems.append(TOO_DARK)
    return FaceVerdict(checked=True, problems=tuple(problems))
