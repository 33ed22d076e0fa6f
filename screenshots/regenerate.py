"""Regenerate the README's screenshots (SVG) of every screen from the demo case.

Run: uv run python screenshots/regenerate.py   (add --png to also write PNGs with rsvg-convert)

It drives the app with the keyboard through Pilot, in a throw-away data dir,
at 80x24 (dark) and a few at 120x40 (light). The password field is never
filled in: no screenshot can show a password.
"""

from __future__ import annotations

import asyncio
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from tui.app import UnblockApp  # noqa: E402
from tui.core.store import CaseStore  # noqa: E402


async def shoot(app: UnblockApp, pilot, name: str) -> Path:
    await pilot.pause()
    app.clear_notifications()
    await pilot.wait_for_scheduled_animations()
    await pilot.pause()
    path = HERE / f"{name}.svg"
    app.save_screenshot(filename=path.name, path=str(HERE))
    return path


async def walk(size: tuple[int, int], theme: str, suffix: str, data: Path, names: list[str] | None) -> list[Path]:
    store = CaseStore(data)
    app = UnblockApp(store, demo=True, cursor_blink=False)
    app.system_clipboard = lambda text: False
    shots: list[Path] = []

    def wanted(name: str) -> bool:
        return names is None or name in names

    async with app.run_test(size=size) as pilot:
        app.theme = theme
        app.animation_level = "none"
        await pilot.pause()
        if wanted("product"):
            shots.append(await shoot(app, pilot, f"product{suffix}"))
        await pilot.press("enter")
        await pilot.press("n")
        if wanted("ticket"):
            shots.append(await shoot(app, pilot, f"ticket{suffix}"))
        if wanted("origins"):
            await pilot.press("o")
            shots.append(await shoot(app, pilot, f"origins{suffix}"))
            await pilot.press("o")
        if wanted("ticket-text"):
            await pilot.press("t")
            shots.append(await shoot(app, pilot, f"ticket-text{suffix}"))
            await pilot.press("t")
        await pilot.press("n")
        await pilot.press("u")  # take every suggestion
        app.screen.query_one("#q1-choice").focus()
        if wanted("questions"):
            shots.append(await shoot(app, pilot, f"questions{suffix}"))
        app.screen.set_focus(None)
        await pilot.press("n")  # not the sender: the scans come before the reply
        await pilot.press("a", *"Office laptop", "enter")
        await pilot.press("s", "enter")
        await pilot.press("a", *"Phone", "enter")
        if wanted("remediation"):
            shots.append(await shoot(app, pilot, f"remediation{suffix}"))
        if wanted("password"):
            await pilot.press("3")
            shots.append(await shoot(app, pilot, f"password{suffix}"))
            app.screen.set_focus(None)
        await pilot.press("f6")
        if wanted("reply"):
            shots.append(await shoot(app, pilot, f"reply{suffix}"))
        if wanted("help"):
            app.screen.set_focus(None)
            await pilot.press("question_mark")
            shots.append(await shoot(app, pilot, f"help{suffix}"))
            await pilot.press("escape")
        if wanted("cases"):
            app.close_case()
            shots.append(await shoot(app, pilot, f"cases{suffix}"))
    store.close()
    return shots


async def connected(data: Path) -> list[Path]:
    """The case list connected to the local OVHcloud double (`unblock connect --sandbox`): its blocked accounts."""
    from tui.ovh.sandbox import start_sandbox

    sandbox, credentials = start_sandbox()
    store = CaseStore(data)
    try:
        app = UnblockApp(store, cursor_blink=False, ovh_credentials=credentials)
        async with app.run_test(size=(80, 24)) as pilot:
            app.animation_level = "none"
            for _ in range(3):
                await app.workers.wait_for_complete()
                await pilot.pause()
            app.screen.query_one("#accounts-table").focus()
            return [await shoot(app, pilot, "accounts")]
    finally:
        store.close()
        sandbox.stop()


async def main(png: bool) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        shots = await walk((80, 24), "textual-dark", "", Path(tmp) / "dark", None)
        shots += await walk((120, 40), "textual-light", "-120x40-light", Path(tmp) / "light",
                            ["ticket", "questions", "reply"])
        shots += await connected(Path(tmp) / "connected")
    for path in shots:
        print(path.relative_to(HERE.parent))
        if png and shutil.which("rsvg-convert"):
            subprocess.run(["rsvg-convert", str(path), "-o", str(path.with_suffix(".png"))], check=True)


if __name__ == "__main__":
    asyncio.run(main("--png" in sys.argv))
