"""The PySide6 desktop client: thin pages over app/ services."""
