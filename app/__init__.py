"""Fenqi POS core: domain, services, storage, sync and the `fenqi` command. Never imports PySide6."""

__version__ = "0.1.0"
