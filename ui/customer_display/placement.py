"""Where the customer window goes. With a second display (the one the settings name, or, when none is named or
it is not connected, any display other than the staff window's) it fills that display. With one display it is
a window sized to that display's free area, every control visible, beside the staff window when there is
room and over it otherwise; it steps aside when the customer is done and the staff window comes back.

`choose_placement` is plain geometry (tested without windows); `place_customer_window` applies it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QMargins, QRect, QSize, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

from ui.customer_display.window import CustomerWindow

PREFERRED = QSize(1280, 800)  # a tablet's size: the window is never made larger than this on a shared display
FRAME = QMargins(1, 32, 1, 1)  # a title bar and borders, when the window system does not say (before a show)


@dataclass(frozen=True)
class ScreenArea:
    """One display: its name, its whole area and the part free of task bars and docks (global coordinates)."""

    name: str
    geometry: QRect
    available: QRect


@dataclass(frozen=True)
class Placement:
    """Where the customer window goes: `screen` indexes the screens given; `geometry` is the window's inside (its
    frame is around it); `full_screen` on a display of its own; `shares_screen` on the staff window's display."""

    screen: int
    geometry: QRect
    full_screen: bool
    shares_screen: bool


def staff_screen(screens: Sequence[ScreenArea], staff: QRect) -> int:
    """The index of the display the staff window (its frame's rectangle) is mostly on; 0 when it is on none."""
    centre = staff.center()
    for i, screen in enumerate(screens):
        if screen.geometry.contains(centre):
            return i
    overlaps = [
        (s.geometry.intersected(staff).width() * s.geometry.intersected(staff).height(), i)
        for i, s in enumerate(screens)
    ]
    best = max(overlaps, default=(0, 0))
    return best[1] if best[0] > 0 else 0


def choose_placement(
    screens: Sequence[ScreenArea],
    wanted: str,
    staff: QRect,
    frame: QMargins = FRAME,
    minimum: QSize | None = None,
) -> Placement:
    """Where the customer window goes, given the displays, the display the settings name (`wanted`, "" for
    none), the staff window's frame rectangle and the frame the window system puts around a window.

    A display other than the staff window's — the one named, or else the first other one — takes the window
    full screen. Otherwise (one display, or the staff window's display is the one named) the window shares
    the staff window's display: within its free area with the frame included, at most 1280×800, beside the
    staff window when the free area has room for it there (at least `minimum`, or the preferred size), and
    else centred over it."""
    if not screens:
        raise ValueError("no display")
    home = staff_screen(screens, staff)
    named = next((i for i, s in enumerate(screens) if wanted and s.name == wanted), None)
    other = named if named is not None else next((i for i in range(len(screens)) if i != home), None)
    if other is not None and other != home:
        return Placement(other, QRect(screens[other].geometry), full_screen=True, shares_screen=False)
    free = screens[home].available
    room = free.marginsRemoved(frame)  # the largest inside that keeps the title bar and borders on the display
    width, height = min(PREFERRED.width(), room.width()), min(PREFERRED.height(), room.height())
    need = minimum or PREFERRED
    right = QRect(staff.right() + 1, free.top(), free.right() - staff.right(), free.height()).marginsRemoved(frame)
    left = QRect(free.left(), free.top(), staff.left() - free.left(), free.height()).marginsRemoved(frame)
    for side in (right, left):
        if side.width() >= need.width() and side.height() >= need.height():
            width = min(width, side.width())
            x = side.left() if side is right else side.right() + 1 - width
            return Placement(home, QRect(x, side.top(), width, height), full_screen=False, shares_screen=True)
    x = room.left() + (room.width() - width) // 2
    return Placement(home, QRect(x, room.top(), width, height), full_screen=False, shares_screen=True)


def _frame(widget: QWidget) -> QMargins:
    """The frame the window system puts around `widget`'s window, or FRAME while it does not say."""
    outer, inner = widget.frameGeometry(), widget.geometry()
    margins = QMargins(
        inner.left() - outer.left(),
        inner.top() - outer.top(),
        outer.right() - inner.right(),
        outer.bottom() - inner.bottom(),
    )
    return margins if margins.top() > 0 else FRAME


def place_customer_window(window: CustomerWindow, wanted: str, staff: QWidget) -> None:
    """Show the customer window where `choose_placement` says, for the display the settings name (`wanted`,
    "" for none) and the staff window `staff`. The keyboard stays with the staff window; when the customer
    window closes or steps aside, the staff window comes back to the front."""
    staff_window = staff.window()
    screens = QGuiApplication.screens()
    areas = [ScreenArea(s.name(), s.geometry(), s.availableGeometry()) for s in screens]
    placement = choose_placement(
        areas, wanted, staff_window.frameGeometry(), _frame(staff_window), window.minimumSizeHint()
    )
    screen = screens[placement.screen]
    if window.focus_home is None:
        window.closed.connect(lambda: _bring_back(window))
    window.focus_home = staff_window
    window.shares_screen = placement.shares_screen
    was_active = staff_window.isActiveWindow()
    if placement.full_screen:
        window.setScreen(screen)
        window.setGeometry(placement.geometry)
        window.setWindowState(
            (window.windowState() & ~Qt.WindowState.WindowMaximized) | Qt.WindowState.WindowFullScreen
        )
        window.show()  # showFullScreen() would also ask to activate it
    else:
        window.setWindowState(window.windowState() & ~Qt.WindowState.WindowFullScreen)
        window.setScreen(screen)
        window.setGeometry(placement.geometry)
        window.show()
        window.raise_()
    if was_active and not staff_window.isActiveWindow():
        staff_window.activateWindow()


def _bring_back(window: CustomerWindow) -> None:
    """The customer window went away: its staff window comes to the front with the keyboard."""
    home = window.focus_home
    if home is not None and home.isVisible():
        home.raise_()
        home.activateWindow()
