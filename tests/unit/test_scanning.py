"""Scanner bursts, scanned payloads, the simulated card reader, and barcodes read from generated images."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from app.cli import main
from app.scanning.barcodes import read_barcodes, scan_barcode_image
from app.scanning.payload import classify_payload
from app.scanning.readers import IdCardData, SimulatedIdReader
from app.scanning.wedge import BurstDetector
from tests.support.barcode_images import DISTORTIONS, FORMATS, save

TODAY = dt.date(2026, 11, 29)
TD3 = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10"


def _feed(detector: BurstDetector, text: str, gap_ms: float, start: float = 0.0) -> list[tuple[str | None, list]]:
    return [detector.feed(ch, start + i * gap_ms) for i, ch in enumerate(text)]


def test_a_fast_burst_is_a_scan() -> None:
    """18 keys 4 ms apart and an Enter: one scan, without the Enter."""
    detector = BurstDetector()
    _feed(detector, "11010519491231002X\n", 4)
    assert detector.decide() == ("11010519491231002X", [])


def test_a_person_typing_is_handed_back() -> None:
    """Keys 90 ms apart come back one by one, unchanged, to the focused field."""
    detector = BurstDetector()
    results = _feed(detector, "4999", 90)
    released = [keys for _burst, keys in results if keys] + [detector.decide()[1]]
    assert ["".join(k) for k in released] == ["4", "9", "9", "9"]


def test_a_short_fast_run_is_not_a_scan() -> None:
    """A quick double key (fewer than 8 keys) is typing, not a scan."""
    detector = BurstDetector()
    _feed(detector, "12", 10)
    assert detector.decide() == (None, ["1", "2"])


def test_a_two_line_mrz_burst_stays_one_scan() -> None:
    """An MRZ scanner sends Enter between lines; while keys keep coming fast it is one scan."""
    detector = BurstDetector()
    _feed(detector, TD3 + "\n", 3)
    burst, _ = detector.decide()
    assert burst == TD3


def test_payload_kinds() -> None:
    """An ID number, an MRZ, a Luhn-valid IMEI and anything else are told apart, with validation."""
    assert classify_payload("11010519491231002X", TODAY).kind == "id_number"
    assert classify_payload("11010519491231002X", TODAY).validation == {"id_number": True}
    assert classify_payload("11010519491231002Y", TODAY).validation == {"id_number": False}
    passport = classify_payload(TD3, TODAY)
    assert passport.kind == "passport" and passport.fields["surname"] == "ERIKSSON"
    assert passport.confidence["surname"] < passport.confidence["document_number"] == 1.0
    assert classify_payload("490154203237518", TODAY).validation == {"payload": True}  # a valid IMEI
    assert classify_payload("490154203237519", TODAY).validation == {"payload": False}
    assert classify_payload("SKU-IPH16-128", TODAY).kind == "barcode"


def test_simulated_card_reader() -> None:
    """The simulated reader hands out its cards in order, then nothing."""
    card = IdCardData(
        "李娜",
        "F",
        "汉",
        dt.date(1997, 8, 2),
        "上海市长宁区新华路1号",
        "310105199708020421",
        "上海市公安局长宁分局",
        dt.date(2018, 3, 1),
        dt.date(2038, 3, 1),
    )
    reader = SimulatedIdReader([card])
    assert reader.read() == card and reader.read() is None


def test_generated_barcodes_are_read(tmp_path: Path) -> None:
    """Every format, tilted to 10°, blurred, noisy or JPEG-compressed: all 32 read back exactly."""
    payload = "11010519491231002X"
    misses = []
    for fmt in FORMATS:
        for distortion in DISTORTIONS:
            path = save(payload, fmt, distortion, tmp_path, seed=1)
            found = read_barcodes(path)
            if not found or found[0].text != payload:
                misses.append((fmt, distortion))
    assert misses == []


def test_scan_command(capsys, tmp_path: Path) -> None:
    """`fenqi id scan --image` prints kind, fields, confidence and validation; no barcode is an error."""
    path = save("11010519491231002X", "PDF417", "tilt6", tmp_path)
    assert main(["id", "scan", "--image", str(path), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert list(out) == ["kind", "fields", "confidence", "validation"]
    assert out["kind"] == "barcode" and out["fields"]["id_number"] == "11010519491231002X"
    assert out["validation"] == {"id_number": True}
    blank = tmp_path / "blank.png"
    from PIL import Image

    Image.new("L", (200, 200), 255).save(blank)
    assert main(["id", "scan", "--image", str(blank), "--json"]) == 1
    assert json.loads(capsys.readouterr().out)["error"]["code"] == "scan_nothing_found"
    (tmp_path / "not.png").write_text("not an image")
    assert main(["id", "scan", "--image", str(tmp_path / "not.png"), "--json"]) == 1
    assert json.loads(capsys.readouterr().out)["error"]["code"] == "bad_image"


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_scan_barcode_image_classifies_payload(tmp_path: Path, fmt: str) -> None:
    """The decoded payload is recognised like a scanner burst would be."""
    result = scan_barcode_image(save("490154203237518", fmt, "clean", tmp_path), TODAY)
    assert result.kind == "barcode" and result.fields["payload"] == "490154203237518"
    assert result.validation == {"payload": True}


def test_passport_names_come_from_the_printed_zone() -> None:
    """Label and name on one line or the name under its label; two given names keep their space; the zone's
    own lines are never taken for a name."""
    from app.scanning.ocr import TextBox, TextLine
    from app.scanning.passport import _viz_names

    def lines(*texts: str) -> list[TextLine]:
        return [TextLine((TextBox(t, 0.9, 0.0, i * 30.0, 20.0),)) for i, t in enumerate(texts)]

    assert _viz_names(lines("Surname/ZHANG", "Given names / ANNA MARIA")) == {
        "surname": "ZHANG",
        "given_names": "ANNA MARIA",
    }
    assert _viz_names(lines("姓/Surname", "WANG", "名/Given names", "XIAOMING", "P<CHNWANG<<XIAOMING<<<")) == {
        "surname": "WANG",
        "given_names": "XIAOMING",
    }
    assert _viz_names(lines("P<CHNWANG<<XIAOMING<<<<<<<", "E123456784CHN")) == {}


def test_what_each_scan_fills_in_the_customer_form() -> None:
    """A checked ID number fills number and birth date and is cross-checked; a failed one is filled but
    highlighted and not cross-checked; a passport name is always highlighted; an IMEI fills nothing; a long-term
    card back gives 长期."""
    import datetime as dt

    from app.scanning.form_fill import fill_from_scan
    from app.scanning.payload import ScanResult, classify_payload

    today = dt.date(2026, 11, 29)
    good = fill_from_scan(classify_payload("11010519491231002X", today))
    assert good.values == {"id_number": "11010519491231002X", "birth_date": "1949-12-31"}
    assert good.cross_check == {"id_number": "11010519491231002X", "sex": "F"} and not good.doubtful
    bad = fill_from_scan(classify_payload("110105194912310021", today))
    assert bad.values == {"id_number": "110105194912310021"} and bad.doubtful == {"id_number"}
    assert bad.cross_check == {}
    zone = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10"
    passport = fill_from_scan(classify_payload(zone, today))
    assert passport.values == {"birth_date": "1974-08-12", "name": "ERIKSSON ANNA MARIA"}
    assert passport.doubtful == {"name"}
    assert fill_from_scan(classify_payload("490154203237518", today)).values == {}
    back = ScanResult("id_card_back", {"valid_from": "2010-01-01", "valid_until": None}, {"valid_from": 0.95})
    assert fill_from_scan(back).values == {"id_valid_until": "长期"}


def test_a_chip_read_is_certain_but_still_checked() -> None:
    """Chip fields are certain; an expired card fails its validity check."""
    import datetime as dt

    from app.scanning.readers import IdCardData, chip_result

    card = IdCardData(
        "王晓明",
        "M",
        "汉",
        dt.date(1949, 12, 31),
        "北京市",
        "11010519491231002X",
        "北京市公安局",
        dt.date(2006, 1, 1),
        dt.date(2026, 1, 1),
    )
    result = chip_result(card, dt.date(2026, 11, 29))
    assert result.kind == "id_card_chip" and result.validation == {"id_number": True, "valid_until": False}
    assert set(result.confidence.values()) == {1.0}
