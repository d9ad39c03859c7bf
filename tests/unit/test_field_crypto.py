"""Field encryption (AES-256-GCM bound to table, column and row) and blind indexes, with the real primitives."""

from __future__ import annotations

import uuid

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.kernel.errors import Unavailable
from app.security.field_crypto import DATA_KEY_BYTES, DecryptionFailed, FieldCipher, new_data_key

ROW = uuid.UUID("6f1c2a9e-0c3b-4b7e-9a51-3d2f0c8e4a10")
OTHER_ROW = uuid.UUID("6f1c2a9e-0c3b-4b7e-9a51-3d2f0c8e4a11")


@pytest.fixture
def cipher() -> FieldCipher:
    """A cipher on a fresh random data key."""
    return FieldCipher(new_data_key())


def test_new_data_key_is_random_and_32_bytes() -> None:
    """Each new data key has 32 bytes and differs from the previous one."""
    first, second = new_data_key(), new_data_key()
    assert len(first) == DATA_KEY_BYTES == 32
    assert first != second


@pytest.mark.parametrize("size", [0, 16, 31, 33, 64])
def test_cipher_refuses_wrong_key_size(size: int) -> None:
    """Only a 32-byte data key is accepted."""
    with pytest.raises(ValueError):
        FieldCipher(b"k" * size)


@pytest.mark.parametrize("value", ["", "张三", "北京市朝阳区建国路88号 3单元 1201", "11010519491231002X", "a" * 5000])
def test_seal_open_round_trip_text(cipher: FieldCipher, value: str) -> None:
    """Text, including empty and Chinese text, opens back to exactly what was sealed."""
    sealed = cipher.seal("customers", "name", ROW, value)
    assert cipher.open_text("customers", "name", ROW, sealed) == value
    assert cipher.open("customers", "name", ROW, sealed) == value.encode("utf-8")


@settings(database=None, max_examples=50)
@given(st.binary(max_size=512))
def test_seal_open_round_trip_bytes(value: bytes) -> None:
    """Any byte string opens back to exactly what was sealed."""
    cipher = FieldCipher(bytes(range(32)))
    sealed = cipher.seal("documents", "photo", ROW, value)
    assert cipher.open("documents", "photo", ROW, sealed) == value


def test_row_id_may_be_uuid_or_its_string(cipher: FieldCipher) -> None:
    """A value sealed for a UUID row opens with the same row id given as a string."""
    sealed = cipher.seal("customers", "phone", ROW, "13812345678")
    assert cipher.open_text("customers", "phone", str(ROW), sealed) == "13812345678"


def test_two_seals_of_the_same_value_differ(cipher: FieldCipher) -> None:
    """Sealing twice uses a fresh nonce: equal values do not give equal ciphertexts (nor equal nonces)."""
    first = cipher.seal("customers", "name", ROW, "张三")
    second = cipher.seal("customers", "name", ROW, "张三")
    assert first != second
    assert first[1:13] != second[1:13]
    assert cipher.open_text("customers", "name", ROW, first) == cipher.open_text("customers", "name", ROW, second)


@pytest.mark.parametrize(
    ("table", "column", "row"),
    [
        ("customers", "name", OTHER_ROW),  # moved to another row
        ("customers", "phone", ROW),  # moved to another column
        ("staff", "name", ROW),  # moved to another table
    ],
)
def test_sealed_value_is_bound_to_table_column_and_row(
    cipher: FieldCipher, table: str, column: str, row: uuid.UUID
) -> None:
    """A value copied to another row, column or table does not open."""
    sealed = cipher.seal("customers", "name", ROW, "张三")
    with pytest.raises(DecryptionFailed) as info:
        cipher.open(table, column, row, sealed)
    assert isinstance(info.value, Unavailable)
    assert info.value.code == "decryption_failed"


def test_every_flipped_byte_is_detected(cipher: FieldCipher) -> None:
    """Changing any single byte of a sealed value (format, nonce, ciphertext or tag) makes it fail to open."""
    sealed = cipher.seal("customers", "name", ROW, "张三")
    for position in range(len(sealed)):
        damaged = bytearray(sealed)
        damaged[position] ^= 0x01
        with pytest.raises(DecryptionFailed):
            cipher.open("customers", "name", ROW, bytes(damaged))


@pytest.mark.parametrize("cut", [0, 1, 13, 28])
def test_truncated_value_is_refused(cipher: FieldCipher, cut: int) -> None:
    """A sealed value cut short (or empty) is refused as damaged, not opened or crashed on."""
    sealed = cipher.seal("customers", "name", ROW, "")
    assert len(sealed) == 1 + 12 + 16
    with pytest.raises(DecryptionFailed):
        cipher.open("customers", "name", ROW, sealed[:cut])


def test_a_different_key_cannot_open(cipher: FieldCipher) -> None:
    """A value sealed under one data key does not open under another."""
    sealed = cipher.seal("customers", "name", ROW, "张三")
    with pytest.raises(DecryptionFailed):
        FieldCipher(new_data_key()).open("customers", "name", ROW, sealed)


def test_the_same_key_bytes_can_open() -> None:
    """A second cipher built from the same key bytes opens what the first sealed (the key is all that matters)."""
    key = new_data_key()
    sealed = FieldCipher(key).seal("customers", "name", ROW, "张三")
    assert FieldCipher(key).open_text("customers", "name", ROW, sealed) == "张三"


@pytest.mark.parametrize("value", ["张三", "11010519491231002X", "13812345678"])
def test_sealed_bytes_do_not_contain_the_plaintext(cipher: FieldCipher, value: str) -> None:
    """The plaintext's UTF-8 bytes do not appear anywhere in the sealed value."""
    sealed = cipher.seal("customers", "name", ROW, value)
    assert value.encode("utf-8") not in sealed


def test_blind_index_is_deterministic_per_key() -> None:
    """The same key, kind and value always give the same 16-byte index, even from a new cipher."""
    key = new_data_key()
    first = FieldCipher(key).blind_index("id_number", "11010519491231002X")
    second = FieldCipher(key).blind_index("id_number", "11010519491231002X")
    assert first == second
    assert len(first) == 16


def test_blind_index_differs_across_keys() -> None:
    """Two data keys give different indexes for the same value."""
    value = "11010519491231002X"
    assert FieldCipher(new_data_key()).blind_index("id_number", value) != FieldCipher(new_data_key()).blind_index(
        "id_number", value
    )


def test_blind_index_differs_across_kinds_and_values(cipher: FieldCipher) -> None:
    """The same text indexed as another kind, or another value, gives another index."""
    assert cipher.blind_index("id_number", "13812345678") != cipher.blind_index("phone", "13812345678")
    assert cipher.blind_index("phone", "13812345678") != cipher.blind_index("phone", "13812345679")


def test_blind_index_does_not_reveal_the_value(cipher: FieldCipher) -> None:
    """The index is not the value itself, nor contains it."""
    index = cipher.blind_index("phone", "13812345678")
    assert b"13812345678" not in index


def test_key_check_is_stable_per_key_and_differs_across_keys() -> None:
    """The key check is the same for the same key and different for another key."""
    key = new_data_key()
    assert FieldCipher(key).key_check == FieldCipher(key).key_check
    assert FieldCipher(key).key_check != FieldCipher(new_data_key()).key_check


def test_key_check_does_not_reveal_the_key() -> None:
    """The key check contains neither the key's bytes nor its hex form."""
    key = new_data_key()
    check = FieldCipher(key).key_check
    assert key.hex() not in check
    assert len(check) == 64
