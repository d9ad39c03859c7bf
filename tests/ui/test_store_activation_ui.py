"""What the counter shows once an activation made it another store's counter (issue 19): the sign-in page names
the new store and says the staff sign in with their own accounts; the activation dialog says what activating
does."""

from __future__ import annotations

from pathlib import Path

from ui.dialogs.activation import ActivationDialog
from ui.pages.sign_in import SignInPage

SHOTS = Path("/tmp/i19")


def test_the_sign_in_page_names_the_store_an_activation_made_this_pc_the_counter_of(qtbot) -> None:
    page = SignInPage("S001", "演示门店")
    qtbot.addWidget(page)
    page.resize(900, 560)
    page.show()
    page.set_ready()
    assert (
        page.store_label.text() == "Store S001 · 演示门店"
        and "Sign in with your staff number" in page.state_label.text()
    )
    page.set_store("S001", "演示门店")  # nothing changed: nothing said
    assert "now the counter" not in page.state_label.text()
    page.set_store("S002", "徐汇店")
    assert page.store_label.text() == "Store S002 · 徐汇店"
    assert "now the counter of store S002 · 徐汇店" in page.state_label.text()
    assert "demo accounts are gone" in page.state_label.text()
    SHOTS.mkdir(parents=True, exist_ok=True)
    qtbot.wait(50)  # the layout gives the longer notice its lines
    assert page.state_label.height() >= 2 * page.state_label.fontMetrics().height()
    page.grab().save(str(SHOTS / "h2_sign_in_after_activation.png"))
    page.login.setText("mgr-s002")
    page.secret.setText("482613")
    page._submit()  # a sign-in attempt: the next lock screen reads as usual
    page.reset(None)
    assert "now the counter" not in page.state_label.text() and page.store_label.text() == "Store S002 · 徐汇店"
    page.set_store("S002", "徐汇旗舰店")  # the lender renamed the store: the name follows, no notice
    assert page.store_label.text() == "Store S002 · 徐汇旗舰店" and "now the counter" not in page.state_label.text()


def test_the_activation_dialog_says_what_activating_does(qtbot) -> None:
    dialog = ActivationDialog("https://lender.example", "S002", lambda *_args: None)
    qtbot.addWidget(dialog)
    dialog.show()
    assert "that store's counter" in dialog.intro.text() and "demo accounts" in dialog.intro.text()
    SHOTS.mkdir(parents=True, exist_ok=True)
    dialog.grab().save(str(SHOTS / "h2_activation_dialog.png"))
