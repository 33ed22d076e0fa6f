"""Start-up tuning: what keeps `unblock` quick to its first painted screen.

Two things cost most before the first frame and are put off until it is
drawn: parsing every style sheet (the first screen needs two of them), and
the garbage collector walking the tens of thousands of objects that start-up
makes and that live as long as the app. ``LeanStart`` is the App's side of
both; ``paused_collector`` the command line's.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def _styles_dir() -> Path:
    here = Path(__file__).resolve().parent
    packaged = here / "styles"
    return packaged if packaged.is_dir() else here.parent / "styles"


STYLES = _styles_dir()
# What the Product step needs. The other sheets (dialogs, inspector, the other
# steps), most of the CSS to parse, wait until it is drawn (see load_all_styles).
FIRST_STYLES = ("app.tcss", "product.tcss")


@contextmanager
def paused_collector() -> Iterator[None]:
    """Keep the garbage collector off while the app starts; on again however the start ends.

    Start-up makes some 80,000 objects that nearly all live as long as the app:
    the collector walking them over and over until the first screen is drawn
    costs tens of ms. The app turns it on again after its first frame
    (LeanStart.first_frame_drawn); this turns it on for a start that ends
    before any frame (an unreadable ticket).
    """
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


class LeanStart:
    """Mixed into the App: style sheets beyond the first screen's, and the collector, wait for the first frame.

    Only the first screen may be drawn before every style sheet is read: any
    screen pushed or switched to reads them first.
    """

    CSS_PATH = [str(STYLES / name) for name in FIRST_STYLES]

    def __init__(self, gc_paused: bool = False) -> None:
        self._all_styles = False
        self._gc_paused = gc_paused

    def first_frame_drawn(self) -> None:
        """Do what start-up put off until the first screen is drawn."""
        self.load_all_styles()
        if self._gc_paused:
            self._gc_paused = False
            # Start-up's garbage goes now. What it built lives as long as the app, so later
            # collections need not walk it again (as after a big analysis).
            gc.collect()
            gc.freeze()
            gc.enable()

    @property
    def all_styles_read(self) -> bool:
        """Whether every style sheet is read (False until the first screen is drawn, if it can be drawn first)."""
        return self._all_styles

    def load_all_styles(self) -> None:
        """Add the style sheets left out of CSS_PATH and restyle what is shown."""
        if self._all_styles:
            return
        self._all_styles = True
        sheet = self.stylesheet
        for path in sorted(STYLES.glob("*.tcss")):
            if not sheet.has_source(str(path), ""):
                sheet.read(path)
                # Textual's CSS reloading (textual run --dev) reads css_path again.
                self.css_path.append(path)
        for screen in self.screen_stack:
            sheet.update(screen)

    def push_screen(self, screen, *args, **kwargs):
        self.load_all_styles()
        return super().push_screen(screen, *args, **kwargs)

    def switch_screen(self, screen):
        self.load_all_styles()
        return super().switch_screen(screen)
