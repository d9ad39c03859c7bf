"""PyInstaller hook for phonenumbers, in place of the contributed one: the numbering-plan metadata (imported by
region code at run time) without the geocoding, carrier and time-zone tables (about 45 MB; the application
only validates mainland mobile numbers, app/domain/phone.py)."""

from PyInstaller.utils.hooks import collect_submodules

UNUSED = ("geocoder", "geodata", "carrier", "carrierdata", "timezone", "tzdata")

hiddenimports = collect_submodules(
    "phonenumbers", filter=lambda name: name.partition(".")[2].split(".")[0] not in UNUSED
)
