"""Baseline for bench/startup.py: a bare PySide6 QMainWindow, started and timed exactly like fenqi-pos."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import ui.startup_probe


def main() -> int:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMainWindow

    app = QApplication(sys.argv[:1])

    class Window(QMainWindow):
        painted = False

        def paintEvent(self, event: object) -> None:
            super().paintEvent(event)
            if not self.painted:
                self.painted = True
                QTimer.singleShot(0, report)

    def report() -> None:
        print(f"{ui.startup_probe.milliseconds_since_start():.1f}", flush=True)
        app.quit()

    window = Window()
    window.resize(1280, 760)
    window.show()
    return app.exec()


if __name__ == "__main__":
    raise SystemExit(main())
