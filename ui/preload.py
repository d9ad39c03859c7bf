"""The GUI's modules for after the first paint, imported on the database thread before the store opens.

PySide6's import hook is not safe when two threads import at once (it has crashed the interpreter with
"none_dealloc" when onnxruntime and SQLAlchemy were imported in parallel), so the GUI thread finds these already
loaded and background imports never overlap. ui/main.py hands this to the controller; keeping it out of
ui/controller.py keeps the controller from importing the shell that is built on it."""

from __future__ import annotations


def preload_gui() -> None:
    """Import the shell, its pages and the scanner filter."""
    import ui.scanner
    import ui.shell  # noqa: F401
