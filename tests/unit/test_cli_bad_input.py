"""Bad input to the `fenqi` command is bad input (issue 19): exit 1 with the JSON error that says what is wrong,
never `internal_error` (exit 3). JSON nested deeper than the document needs, an image larger than any ID photo
(refused from its header, before it is decoded), a day count no timedelta can hold, a signed model card whose
model file is a path."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import shutil
import struct
import zlib
from pathlib import Path

import pytest

from app.cli import main
from app.domain.identity import make_resident_id
from app.kernel.json_input import JsonTooDeep, loads_bounded
from app.scanning.image_file import MAX_IMAGE_PIXELS
from app.scoring.model import ModelUnavailable, Scorecard, load_card
from app.security.signing import sign_file

DEEP = "[" * 20_000 + "]" * 20_000


def _error(capsys) -> dict:
    return json.loads(capsys.readouterr().out)["error"]


# --- JSON nested too deep ----------------------------------------------------------------------------------


def test_deeply_nested_json_to_prescreen_exits_1(tmp_path: Path, capsys) -> None:
    path = tmp_path / "deep.json"
    path.write_text(DEEP, encoding="utf-8")
    assert main(["prescreen", str(path), "--json"]) == 1
    error = _error(capsys)
    assert error["code"] == "json_too_deep" and "deep" in error["message"]


def test_a_request_just_over_the_limit_is_refused_and_one_within_it_is_read(tmp_path: Path, capsys) -> None:
    """A request document nests two levels; eight are allowed, nine are not."""
    path = tmp_path / "nine.json"
    path.write_text(json.dumps({"applicant": [[[[[[[[1]]]]]]]]}), encoding="utf-8")
    assert main(["prescreen", str(path), "--json"]) == 1
    assert _error(capsys)["code"] == "json_too_deep"
    path.write_text(json.dumps({"applicant": [[[[[[[1]]]]]]], "note": "[[[[[[[[[[[[[[[[[[[[[["}), encoding="utf-8")
    assert main(["prescreen", str(path), "--json"]) == 1
    assert _error(capsys)["code"] != "json_too_deep"  # brackets inside a string are text, not nesting


def test_loads_bounded() -> None:
    assert loads_bounded('{"a": [1, {"b": "]]]}}}[[[[\\"[[["}]}', max_depth=3) == {"a": [1, {"b": ']]]}}}[[[["[[['}]}
    assert loads_bounded(b'{"a": [1]}', max_depth=2) == {"a": [1]}
    with pytest.raises(JsonTooDeep):
        loads_bounded('{"a": [[1]]}', max_depth=2)
    with pytest.raises(ValueError):  # JsonTooDeep is a ValueError: "not valid JSON" handlers keep working
        loads_bounded(DEEP)
    with pytest.raises(ValueError):
        loads_bounded("[" * 20_000, max_depth=100_000)  # no bound to speak of: json's own recursion limit


def test_a_deeply_nested_signature_is_a_damaged_signature(signed_files, capsys) -> None:
    """The signature document is parsed before anything is verified: it is read with a bound too."""
    signed_files.blacklist.with_name(signed_files.blacklist.name + ".sig").write_text(DEEP, encoding="utf-8")
    assert main(["blacklist", "import", str(signed_files.blacklist), "--json"]) == 3
    error = _error(capsys)
    assert error["code"] == "signature_invalid" and "damaged" in error["message"]


def test_a_deeply_nested_settings_file_is_a_bad_settings_file(fenqi_home: Path, capsys) -> None:
    path = fenqi_home / "config" / "settings.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text('{"schema_version": 2, "x": ' + DEEP + "}", encoding="utf-8")
    assert main(["store", "info", "--json"]) == 1
    assert _error(capsys)["code"] == "bad_settings_file"


# --- images larger than any ID photo -------------------------------------------------------------------------


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def _deflated(raw: bytes) -> bytes:
    """Raw deflate blocks for `raw`, ending on a full flush: copies of them one after another stay valid."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    return compressor.compress(raw) + compressor.flush(zlib.Z_FULL_FLUSH)


def black_png(path: Path, width: int, height: int) -> Path:
    """A valid greyscale PNG of one colour, written without ever holding its pixels: 100 rows are compressed
    once and the blocks repeated (30000×30000 takes about 0.05 s and 900 KB on disk)."""
    row = bytes(width + 1)  # filter byte 0 and black pixels
    whole, rest = divmod(height, 100)
    body = _deflated(row * 100) * whole + (_deflated(row * rest) if rest else b"") + b"\x03\x00"  # empty last block
    size = height * (width + 1)
    adler = ((size % 65521) << 16) | 1  # Adler-32 of `size` zero bytes
    stream = b"\x78\xda" + body + struct.pack(">I", adler)
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", header) + _png_chunk(b"IDAT", stream) + _png_chunk(b"IEND", b"")
    )
    return path


def test_the_test_images_are_valid_pngs(tmp_path: Path) -> None:
    from PIL import Image

    with Image.open(black_png(tmp_path / "small.png", 301, 250)) as image:
        image.load()
        assert image.size == (301, 250) and image.getextrema() == (0, 0)


@pytest.mark.parametrize(
    ("width", "height"),
    [
        (30_000, 30_000),  # 900 megapixels: Pillow's own bomb check raised, and the command said internal_error
        (10_000, 6_000),  # 60 megapixels: Pillow would only warn, and decode it
    ],
)
def test_an_image_over_the_pixel_limit_is_refused_before_decoding(tmp_path: Path, capsys, width, height) -> None:
    assert width * height > MAX_IMAGE_PIXELS
    path = black_png(tmp_path / "bomb.png", width, height)
    assert path.stat().st_size < 2_000_000
    assert main(["id", "scan", "--image", str(path), "--json"]) == 1
    error = _error(capsys)
    assert error["code"] == "image_too_large"
    assert "bomb.png" in error["message"] and f"{MAX_IMAGE_PIXELS // 1_000_000} million" in error["message"]


def test_the_limit_leaves_room_for_a_full_resolution_phone_photo() -> None:
    assert 8160 * 6120 <= MAX_IMAGE_PIXELS <= 64_000_000


def test_an_image_within_the_limit_is_read(tmp_path: Path, capsys) -> None:
    """A plain black picture: nothing to read in it, and that is what the command says."""
    path = black_png(tmp_path / "black.png", 640, 480)
    assert main(["id", "scan", "--image", str(path), "--json"]) == 1
    assert _error(capsys)["code"] == "scan_nothing_found"


# --- a day count no timedelta can hold -----------------------------------------------------------------------


@pytest.mark.parametrize("days", ["99999999999", "3651", "0", "-5"])
def test_drift_days_out_of_range_exit_1(signed_files, capsys, days: str) -> None:
    assert main(["model", "drift", "--days", days, "--json"]) == 1
    error = _error(capsys)
    assert error["code"] == "bad_days" and "3650" in error["message"]


def test_drift_days_within_range_are_taken(signed_files, capsys) -> None:
    assert main(["model", "drift", "--days", "3650", "--json"]) == 1
    assert _error(capsys)["code"] == "no_scores"  # the count is fine: there is just nothing to compare yet


# --- a signed model card whose model file is a path ----------------------------------------------------------


def _resign_card(signed_files, model_file: str, model_bytes: bytes) -> None:
    """The card naming `model_file` with the hash of `model_bytes`, signed by the key the settings trust: only
    what the card says is wrong, not its signature."""
    path = signed_files.models / "model_card.json"
    card = json.loads(path.read_text(encoding="utf-8"))
    card["model_file"] = model_file
    card["model_sha256"] = hashlib.sha256(model_bytes).hexdigest()
    path.write_text(json.dumps(card), encoding="utf-8")
    sign_file(path, signed_files.key)


def _outside_file(signed_files) -> tuple[str, bytes]:
    """A file outside the models folder (the catalog), named relative to it."""
    return "../products.json", signed_files.catalog.read_bytes()


@pytest.mark.parametrize(
    "name",
    ["../products.json", "sub/scorecard.onnx", "sub\\scorecard.onnx", "/etc/passwd", "..", ".", "", "C:scorecard.onnx"],
)
def test_a_model_file_that_is_a_path_is_refused(signed_files, name: str) -> None:
    model = (signed_files.models / "scorecard.onnx").read_bytes()
    (signed_files.models / "sub").mkdir(exist_ok=True)
    shutil.copy(signed_files.models / "scorecard.onnx", signed_files.models / "sub" / "scorecard.onnx")
    _resign_card(signed_files, name, model)
    for load in (load_card, Scorecard.load):
        with pytest.raises(ModelUnavailable) as caught:
            load(signed_files.settings)
        assert caught.value.code == "model_card_invalid" and caught.value.exit_status == 1
        assert "pre-screening is off" in caught.value.message.lower()


def test_the_commands_refuse_such_a_card_with_exit_1(signed_files, tmp_path: Path, capsys) -> None:
    """Before: `model cutoffs` read a file outside the models folder, and `prescreen` handed it to onnxruntime
    (internal_error)."""
    _resign_card(signed_files, *_outside_file(signed_files))
    assert main(["model", "cutoffs", "--json"]) == 1
    assert _error(capsys)["code"] == "model_card_invalid"
    request = tmp_path / "request.json"
    request.write_text(
        json.dumps(
            {
                "application_date": dt.date.today().isoformat(),
                "applicant": {
                    "id_number": make_resident_id("110105", dt.date(1980, 1, 1), 2),
                    "name": "小明",
                    "phone": "13812345678",
                    "monthly_income": "9000",
                    "job": "employee",
                    "home": "own",
                    "id_valid_until": "2036-01-01",
                },
                "purchase": {"product": "GOODS", "price": "3000", "down_payment": "300", "term": 6},
            }
        ),
        encoding="utf-8",
    )
    assert main(["prescreen", str(request), "--json"]) == 1
    assert _error(capsys)["code"] == "model_card_invalid"


def test_a_signed_model_that_onnxruntime_cannot_read_turns_the_prescreen_off(signed_files) -> None:
    """A card naming a plain file in its folder whose bytes are not a model: refused like a damaged model."""
    junk = base64.b64encode(b"not a model at all").decode()
    (signed_files.models / "notes.onnx").write_text(junk, encoding="utf-8")
    _resign_card(signed_files, "notes.onnx", junk.encode())
    assert load_card(signed_files.settings)["model_file"] == "notes.onnx"  # the card itself is in order
    with pytest.raises(ModelUnavailable) as caught:
        Scorecard.load(signed_files.settings)
    assert caught.value.code == "model_invalid" and "pre-screening is off" in caught.value.message.lower()
