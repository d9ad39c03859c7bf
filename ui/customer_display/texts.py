"""The customer window's look and words: its style sheet, and its texts marked for Qt Linguist under the
CustomerWindow context (translated by the window's own translator, in the customer's language)."""

from __future__ import annotations

from ui.translation import QT_TRANSLATE_NOOP

CONTEXT = "CustomerWindow"
STYLE = """
QWidget#customerWindow { background: #f7f9fc; }
QWidget#customerWindow QLabel, QWidget#customerWindow QCheckBox { font-size: 22px; }
QWidget#customerWindow QLabel#big { font-size: 30px; font-weight: 600; color: #1d3557; }
QWidget#customerWindow QLabel#apr { font-size: 48px; font-weight: 700; color: #0d47a1; }
QWidget#customerWindow QLabel#error {
    color: #8e0000; background: #fdecea; border: 2px solid #c62828; border-radius: 8px;
    font-size: 24px; font-weight: 600; padding: 6px 16px;
}
QWidget#customerWindow QLabel#medium { font-size: 24px; font-weight: 600; color: #1d3557; }
QWidget#customerWindow QLabel#small { font-size: 16px; color: #546e7a; }
QWidget#customerWindow QLabel#consentText { font-size: 20px; color: #102a43; }
QWidget#consentColumn { background: white; }
QHeaderView::section { font-size: 17px; }
QCheckBox { spacing: 14px; padding: 4px 0; }
QCheckBox::indicator { width: 40px; height: 40px; }
QPushButton { font-size: 22px; min-height: 56px; padding: 6px 24px; }
QPushButton#primary { background: #1565c0; color: white; }
QPushButton#primary[ready="false"] { background: #b0bec5; color: #263238; }
QTableWidget { font-size: 19px; }
QScrollArea#consentScroll QScrollBar:vertical { width: 24px; }
QWidget#customerWindow QLabel#codeDigit {
    font-size: 40px; font-weight: 600; color: #102a43; background: white;
    border: 2px solid #90a4ae; border-radius: 8px;
}
QWidget#customerWindow QLabel#codeDigit[current="true"] { border: 3px solid #1565c0; }
QWidget#customerWindow QLabel#note { font-size: 20px; color: #1d3557; }
QPushButton#digit { font-size: 34px; font-weight: 600; min-height: 76px; min-width: 112px; padding: 0; }
QPushButton[pad="true"] { min-height: 76px; min-width: 112px; padding: 0 8px; }
"""
TEXTS = {
    "welcome": QT_TRANSLATE_NOOP("CustomerWindow", "Welcome"),
    "welcome_body": QT_TRANSLATE_NOOP("CustomerWindow", "The sales consultant will start your application here."),
    "consent_title": QT_TRANSLATE_NOOP("CustomerWindow", "Before we begin: your consent"),
    "consent_body": QT_TRANSLATE_NOOP(
        "CustomerWindow",
        "Please read each text. Each consent is separate and up to you; without both, the application ends and "
        "nothing about you is kept.",
    ),
    "agree": QT_TRANSLATE_NOOP("CustomerWindow", "I have read this and agree"),
    "version": QT_TRANSLATE_NOOP("CustomerWindow", "Version {version}"),
    "continue": QT_TRANSLATE_NOOP("CustomerWindow", "Continue"),
    "decline": QT_TRANSLATE_NOOP("CustomerWindow", "I do not agree"),
    "terms_title": QT_TRANSLATE_NOOP("CustomerWindow", "Your installment plan"),
    "apr": QT_TRANSLATE_NOOP("CustomerWindow", "Annualised rate (APR)"),
    "sign_here": QT_TRANSLATE_NOOP("CustomerWindow", "Sign here with the pen or your finger"),
    "clear": QT_TRANSLATE_NOOP("CustomerWindow", "Clear"),
    "undo": QT_TRANSLATE_NOOP("CustomerWindow", "Undo"),
    "sign": QT_TRANSLATE_NOOP("CustomerWindow", "Sign"),
    "done": QT_TRANSLATE_NOOP("CustomerWindow", "Thank you"),
    "done_started": QT_TRANSLATE_NOOP("CustomerWindow", "Your application {reference} has started."),
    "done_signed": QT_TRANSLATE_NOOP("CustomerWindow", "Your contract {reference} is signed. You will receive a copy."),
    "done_declined": QT_TRANSLATE_NOOP("CustomerWindow", "The application has ended. Nothing about you has been kept."),
    "due": QT_TRANSLATE_NOOP("CustomerWindow", "Due date"),
    "amount": QT_TRANSLATE_NOOP("CustomerWindow", "Amount (CNY)"),
    "financed": QT_TRANSLATE_NOOP("CustomerWindow", "Amount financed"),
    "price": QT_TRANSLATE_NOOP("CustomerWindow", "Price"),
    "down": QT_TRANSLATE_NOOP("CustomerWindow", "Down payment"),
    "term": QT_TRANSLATE_NOOP("CustomerWindow", "Term"),
    "months": QT_TRANSLATE_NOOP("CustomerWindow", "{n} months"),
    "total": QT_TRANSLATE_NOOP("CustomerWindow", "Total repayable"),
    "cost": QT_TRANSLATE_NOOP("CustomerWindow", "Total cost"),
    "product": QT_TRANSLATE_NOOP("CustomerWindow", "Product"),
    "goods": QT_TRANSLATE_NOOP("CustomerWindow", "Goods"),
    "missing_first": QT_TRANSLATE_NOOP("CustomerWindow", "To continue, please read and tick: {consents}"),
    "missing_signing": QT_TRANSLATE_NOOP("CustomerWindow", "Before signing, please read and tick: {consents}"),
    "list": QT_TRANSLATE_NOOP("CustomerWindow", "{first}; {then}"),  # consents named in a message, one by one
    "signature_empty": QT_TRANSLATE_NOOP("CustomerWindow", "Please sign in the box before confirming."),
    "signature_too_simple": QT_TRANSLATE_NOOP(
        "CustomerWindow", "That is too short to be a signature: please sign your full name."
    ),
    "decline_title": QT_TRANSLATE_NOOP("CustomerWindow", "Do you really not agree?"),
    "decline_body": QT_TRANSLATE_NOOP(
        "CustomerWindow", "If you do not agree, the application ends here and nothing about you is kept."
    ),
    "decline_yes": QT_TRANSLATE_NOOP("CustomerWindow", "Yes, I do not agree"),
    "go_back": QT_TRANSLATE_NOOP("CustomerWindow", "Go back"),
    # The one-time code sent to the customer's phone, typed before the terms.
    "code_title": QT_TRANSLATE_NOOP("CustomerWindow", "Confirm with the code sent to your phone"),
    "code_sending": QT_TRANSLATE_NOOP("CustomerWindow", "A six-digit code is on its way to your phone by SMS…"),
    "code_body": QT_TRANSLATE_NOOP(
        "CustomerWindow",
        "We sent a six-digit code by SMS to {phone}.\nType it here with the buttons, then tap Confirm.\nIt "
        "shows the lender that this application is yours.",
    ),
    "code_body_any": QT_TRANSLATE_NOOP(
        "CustomerWindow",
        "We sent a six-digit code by SMS to your mobile phone.\nType it here with the buttons, then tap Confirm."
        "\nIt shows the lender that this application is yours.",
    ),
    "code_delete": QT_TRANSLATE_NOOP("CustomerWindow", "Delete"),
    "code_confirm": QT_TRANSLATE_NOOP("CustomerWindow", "Confirm"),
    "code_checking": QT_TRANSLATE_NOOP("CustomerWindow", "Checking the code…"),
    "code_incomplete": QT_TRANSLATE_NOOP("CustomerWindow", "Please type all six digits of the code."),
    "code_wrong": QT_TRANSLATE_NOOP(
        "CustomerWindow", "That code is not right. Please check the SMS and type it again. Tries left: {n}"
    ),
    "code_expired": QT_TRANSLATE_NOOP(
        "CustomerWindow", "This code has expired. The sales consultant will send you a new one."
    ),
    "code_too_many": QT_TRANSLATE_NOOP(
        "CustomerWindow", "Too many wrong tries. The sales consultant will help you go on."
    ),
    "code_wait": QT_TRANSLATE_NOOP(
        "CustomerWindow", "A new code cannot be sent just yet. Please wait: the sales consultant will help you."
    ),
    "code_use_last": QT_TRANSLATE_NOOP(
        "CustomerWindow", "A new code cannot be sent just yet: please type the code you already received."
    ),
    "code_busy": QT_TRANSLATE_NOOP("CustomerWindow", "Please wait a moment, then tap Confirm again."),
    "code_resent": QT_TRANSLATE_NOOP("CustomerWindow", "A new code was sent: only the newest code works."),
    "code_pending": QT_TRANSLATE_NOOP(
        "CustomerWindow", "Your signing could not be confirmed by SMS now: the lender will call you to confirm it."
    ),
}
SIGNATURE_REFUSALS = ("signature_empty", "signature_too_simple")  # check_signature's codes, said in the window
SHARED_DONE_MS = 3000  # on the staff's own display, the closing page stays this long before the window steps aside
