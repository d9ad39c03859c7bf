"""The live photo's check on the counter (OpenCV's Haar face cascade, offline): a portrait passes; no face, two
faces, a face too small, a blurred and a dark photo are refused with their codes and plain advice for the clerk;
without OpenCV the photo is unchecked, never refused; what is not a picture is bad input."""

from __future__ import annotations

import sys
from collections.abc import Iterator

import pytest
from PIL import Image

from app.kernel.errors import InvalidInput
from app.scanning import face_check
from app.scanning.face_check import ADVICE, FaceVerdict, check_face, vision_available
from app.scanning.image_file import ImageTooLarge
from tests.support import faces


def test_opencv_4_with_its_cascades_is_installed() -> None:
    """The counter's environment has what the check needs (the 5.x wheel would not: pinned below 5)."""
    import cv2

    assert cv2.__version__.startswith("4.")
    assert vision_available()


def test_a_portrait_passes() -> None:
    verdict = check_face(faces.face())
    assert verdict == FaceVerdict(checked=True, problems=())
    assert verdict.ok and verdict.messages() == []


@pytest.mark.parametrize(
    ("photo", "problems"),
    [
        (faces.no_face, ("no_face",)),
        (faces.two_faces, ("several_faces",)),
        (faces.small_face, ("face_too_small",)),
        (faces.blurred_face, ("blurry",)),
        (faces.dark_face, ("too_dark",)),
    ],
    ids=["no_face", "several_faces", "face_too_small", "blurry", "too_dark"],
)
def test_a_photo_that_will_not_do_is_refused_with_its_reason(photo, problems: tuple[str, ...]) -> None:
    verdict = check_face(photo())
    assert verdict.checked and not verdict.ok
    assert verdict.problems == problems
    assert verdict.messages() == [ADVICE[code] for code in problems]  # English here: the msgids themselves


def test_a_photo_too_dark_to_find_a_face_says_both() -> None:
    """Nearly black: no face can be found, and the clerk learns why (more light), not only that."""
    black = Image.eval(faces.astronaut(), lambda v: v // 20)
    assert check_face(faces.encoded(black)).problems == ("no_face", "too_dark")


def test_a_phone_photo_turned_by_its_exif_orientation_is_checked_upright() -> None:
    """A phone stores a portrait sideways with an orientation tag; the check reads it the way it is shown."""
    sideways = faces.astronaut().rotate(90, expand=True)  # what the sensor recorded (turned anticlockwise)
    exif = Image.Exif()
    exif[0x0112] = 6  # "turn 90° clockwise to show"
    assert check_face(faces.encoded(sideways, "JPEG", quality=92, exif=exif)) == FaceVerdict(checked=True)
    # Control: read as stored, the face lies on its side and the cascade does not find it.
    assert check_face(faces.encoded(sideways, "JPEG", quality=92)).problems == ("no_face",)


def test_a_large_photo_is_checked_at_a_working_size() -> None:
    """A 12-megapixel photo is searched scaled down; the face stays large enough and sharp enough."""
    big = faces.astronaut().resize((3000, 3000), Image.Resampling.BICUBIC)
    assert check_face(faces.encoded(big, "JPEG", quality=90)).problems == ()


@pytest.fixture
def without_opencv(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """This PC without the vision component: `import cv2` fails."""
    face_check._classifier.cache_clear()
    monkeypatch.setitem(sys.modules, "cv2", None)
    yield
    face_check._classifier.cache_clear()


def test_without_opencv_the_photo_is_unchecked_not_refused(without_opencv: None) -> None:
    assert not vision_available()
    for photo in (faces.face(), faces.dark_face()):
        verdict = check_face(photo)
        assert verdict == FaceVerdict(checked=False, problems=())
        assert verdict.ok
        assert verdict.messages() == [face_check.UNCHECKED_NOTE]


def test_what_is_not_a_picture_is_bad_input(without_opencv: None) -> None:
    """Refused as bad input whether or not this PC can check faces (the bytes are read before the check)."""
    for data in (b"", b"not an image", faces.face()[:200]):
        with pytest.raises(InvalidInput) as refused:
            check_face(data)
        assert refused.value.code == "bad_image"


def test_a_decompression_bomb_is_refused_before_it_is_decoded() -> None:
    """A PNG claiming 60 megapixels (tiny on disk) is refused from its header."""
    bomb = faces.encoded(Image.new("L", (10000, 6000)))
    assert len(bomb) < 100_000
    with pytest.raises(ImageTooLarge):
        check_face(bomb)
