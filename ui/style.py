"""One stylesheet: large readable text for the counter, and a focus ring you can see from a step away."""

STYLE = """
QWidget { font-size: 15px; }
QLineEdit, QComboBox { padding: 6px 8px; border: 1px solid #9aa5b1; border-radius: 4px; min-height: 24px; }
QSpinBox { min-height: 32px; }
QLineEdit:focus, QComboBox:focus, QSpinBox:focus { border: 2px solid #1565c0; }
QPushButton { padding: 7px 16px; border: 1px solid #9aa5b1; border-radius: 4px; background: #f5f7fa; }
QPushButton:focus { border: 2px solid #1565c0; }
QPushButton:default, QPushButton#primary { background: #1565c0; color: white; border-color: #0d47a1; }
QPushButton:disabled, QPushButton#primary:disabled { color: #9aa5b1; background: #eceff1; border-color: #cfd8dc; }
QListWidget#nav { background: #1d3557; color: #e3eaf3; border: none; font-size: 16px; padding-top: 8px; }
QListWidget#nav::item { padding: 12px 16px; }
QListWidget#nav::item:selected { background: #2f5e8e; color: white; }
QListWidget#nav:focus { outline: 2px solid #ffca28; }
QLabel#pageTitle { font-size: 24px; font-weight: 600; color: #1d3557; }
QLabel#error { color: #b71c1c; }
QLabel#devBanner { background: #fff4ce; color: #5c4400; border: 1px solid #e0b400; border-radius: 6px;
                   padding: 8px 12px; }
QLineEdit[doubtful="true"], QComboBox[doubtful="true"] { background: #fff3c4; }
QLineEdit[problem="true"], QComboBox[problem="true"] { border: 2px solid #c62828; }
QLabel#fieldProblem { color: #b71c1c; font-size: 13px; }
QLabel#formSection { font-size: 16px; font-weight: 600; color: #1d3557; padding-top: 10px; }
QLabel#consentState { background: #e8f0fe; color: #0d47a1; border-radius: 6px; padding: 6px 10px; }
QTableWidget { gridline-color: #d5dbe1; }
QTableWidget:focus { border: 2px solid #1565c0; }
"""
