"""Rotating log files that never contain personal data."""

from __future__ import annotations

import logging
import logging.handlers
import re
from pathlib import Path

LOG_FILE_NAME = "fenqi.log"
_MAX_BYTES = 2 * 1024 * 1024
_BACKUPS = 5

# Defence in depth: code never logs personal data, and anything that looks like a resident ID number,
# a mobile number or a bank card number is masked before it reaches a file anyway.
_PATTERNS = (
    re.compile(r"(?<!\d)\d{17}[\dXx](?!\d)"),  # resident ID number
    re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)"),  # mainland mobile number
    re.compile(r"(?<!\d)\d{15,19}(?!\d)"),  # bank card number
)


def scrub(text: str) -> str:
    """Mask anything in `text` that looks like an ID, phone or card number."""
    for pattern in _PATTERNS:
        text = pattern.sub("[redacted]", text)
    return text


class _ScrubbingFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return scrub(super().format(record))


class _FenqiFileHandler(logging.handlers.RotatingFileHandler):
    _fenqi = True  # marks the handler configure_logging installed (looked up with getattr, so it survives a reload)


def configure_logging(log_dir: Path, file_name: str = LOG_FILE_NAME, level: int = logging.INFO) -> Path:
    """Send the `fenqi` loggers to a rotating file in `log_dir`; returns the file's path. Idempotent."""
    log_dir.mkdir(parents=True, exist_ok=True)
    path = log_dir / file_name
    root = logging.getLogger("fenqi")
    for handler in list(root.handlers):
        if getattr(handler, "_fenqi", False):
            if Path(getattr(handler, "baseFilename", "")) == path:
                return path
            root.removeHandler(handler)
            handler.close()
    handler = _FenqiFileHandler(path, maxBytes=_MAX_BYTES, backupCount=_BACKUPS, encoding="utf-8")
    handler.setFormatter(_ScrubbingFormatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
    root.addHandler(handler)
    root.setLevel(level)
    return path


def get_logger(name: str) -> logging.Logger:
    """A logger under the `fenqi` hierarchy."""
    return logging.getLogger(f"fenqi.{name}")
