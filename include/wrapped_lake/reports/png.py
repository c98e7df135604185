"""The story cards as 1080x1920 PNG images, one per card, from the report's own templates.

Rendered by one headless Chromium (Debian's `chromium`; `make chromium` installs it) driven over the
DevTools protocol on a pipe: no port, no client library, and every host name resolves to nothing,
so a card can fetch nothing."""

from __future__ import annotations

import base64
import fcntl
import json
import os
import select
import shutil
import subprocess
import tempfile
from functools import cache
from pathlib import Path

import psycopg

from wrapped_lake.platform.config import Settings
from wrapped_lake.platform.files import write_atomic
from wrapped_lake.reports.html import cards, templates
from wrapped_lake.reports.publish import compared_with_spotify, report_path
from wrapped_lake.reports.record import BesideSpotify, Wrapped
from wrapped_lake.reports.wrapped import wrapped

# A story is laid out at a phone's width in CSS pixels and captured at 2.4 device pixels each:
# 450x800 -> 1080x1920, the phone layout the report is checked at, sharp at full size.
STORY_CSS = (450, 800)
STORY_SCALE = 2.4
CHROMIUM_FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run", "--mute-audio", "--hide-scrollbars", "--remote-debugging-pipe",
    "--host-resolver-rules=MAP * ~NOTFOUND",
)  # fmt: skip
TIMEOUT_S = 30


class ChromiumMissing(RuntimeError):
    def __init__(self) -> None:
        super().__init__("the PNG cards need Chromium: `make chromium` (or apt-get install chromium) installs it")


class Chromium:
    """One headless Chromium with one tab; `send` a DevTools command and get its result. Console
    errors and uncaught exceptions of the pages it opens are kept in `errors`."""

    def __init__(self) -> None:
        self.executable = shutil.which("chromium") or shutil.which("chromium-browser")
        if not self.executable:
            raise ChromiumMissing
        self.errors: list[str] = []
        self._events: list[dict] = []
        self._ids = 0
        self._buffer = b""

    def __enter__(self) -> Chromium:
        self._profile = tempfile.TemporaryDirectory(prefix="wrapped-lake-chromium-")
        to_chromium, self._to = os.pipe()
        self._from, from_chromium = os.pipe()

        def pipes_as_3_and_4() -> None:  # where --remote-debugging-pipe reads and writes
            reading, writing = (fcntl.fcntl(fd, fcntl.F_DUPFD, 10) for fd in (to_chromium, from_chromium))
            os.dup2(reading, 3)
            os.dup2(writing, 4)

        self._process = subprocess.Popen(
            [self.executable, *CHROMIUM_FLAGS, f"--user-data-dir={self._profile.name}", "about:blank"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            close_fds=False,  # would close 3 and 4; every other descriptor is non-inheritable (PEP 446)
            preexec_fn=pipes_as_3_and_4,
        )
        os.close(to_chromium)
        os.close(from_chromium)
        target = self.send("Target.createTarget", url="about:blank")["targetId"]
        self._session = self.send("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
        for domain in ("Page", "Runtime", "Log"):
            self.send(f"{domain}.enable")
        return self

    def __exit__(self, *exc) -> None:
        try:
            self.send("Browser.close", session=False)
        except (OSError, TimeoutError, RuntimeError):
            self._process.kill()
        self._process.wait(TIMEOUT_S)
        os.close(self._to)
        os.close(self._from)
        self._profile.cleanup()

    def send(self, method: str, session: bool = True, **params) -> dict:
        self._ids += 1
        message = {"id": self._ids, "method": method, "params": params}
        if session and hasattr(self, "_session"):
            message["sessionId"] = self._session
        os.write(self._to, json.dumps(message).encode() + b"\0")
        while True:
            answer = self._receive()
            if answer.get("id") == self._ids:
                if "error" in answer:
                    raise RuntimeError(f"Chromium: {method}: {answer['error'].get('message')}")
                return answer["result"]
            self._event(answer)

    def open(self, page: Path, width: int, height: int, scale: float = 1) -> None:
        """Load a page at this viewport size (CSS pixels) and device pixel ratio."""
        self.send(
            "Emulation.setDeviceMetricsOverride", width=width, height=height, deviceScaleFactor=scale, mobile=False
        )
        self._events.clear()
        self.send("Page.navigate", url=page.as_uri())
        while not any(event.get("method") == "Page.loadEventFired" for event in self._events):
            self._event(self._receive())

    def evaluate(self, expression: str):
        """The value of a JavaScript expression in the page."""
        answer = self.send("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in answer:
            raise RuntimeError(f"Chromium: {answer['exceptionDetails'].get('text')}")
        return answer["result"].get("value")

    def screenshot(self, x: float = 0, y: float = 0, width: float | None = None, height: float | None = None) -> bytes:
        """A PNG of this rectangle of the page (CSS pixels; the whole viewport by default)."""
        params = {"format": "png", "captureBeyondViewport": True}
        if width is not None:
            params["clip"] = {"x": x, "y": y, "width": width, "height": height, "scale": 1}
        return base64.b64decode(self.send("Page.captureScreenshot", **params)["data"])

    def _event(self, event: dict) -> None:
        self._events.append(event)
        params = event.get("params", {})
        if event.get("method") == "Runtime.exceptionThrown":
            self.errors.append(params["exceptionDetails"].get("text", "exception"))
        elif event.get("method") == "Runtime.consoleAPICalled" and params.get("type") == "error":
            self.errors.append(" ".join(str(arg.get("value", arg.get("description"))) for arg in params["args"]))
        elif event.get("method") == "Log.entryAdded" and params["entry"]["level"] == "error":
            self.errors.append(params["entry"]["text"])

    def _receive(self) -> dict:
        while b"\0" not in self._buffer:
            if not select.select([self._from], [], [], TIMEOUT_S)[0]:
                raise TimeoutError(f"Chromium said nothing for {TIMEOUT_S} s")
            chunk = os.read(self._from, 1 << 20)
            if not chunk:
                raise RuntimeError("Chromium exited")
            self._buffer += chunk
        message, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(message)


@cache
def _story_templates():
    return templates()


def story_page(report: Wrapped, window: str, beside: list[BesideSpotify] | None) -> str:
    """Every card of the report on its own phone-sized story, one under the other."""
    return _story_templates().get_template("story.html.j2").render(report=report, window=window, beside=beside)


def render_cards(
    report: Wrapped, window: str = "calendar", beside: list[BesideSpotify] | None = None
) -> dict[str, bytes]:
    """File name -> PNG, one 1080x1920 image per story card, in the report's order."""
    names = [
        f"{i:02}-{Path(card).name.removesuffix('.html.j2').replace('_', '-')}.png"
        for i, card in enumerate(cards(report, beside), 1)
    ]
    width, height = STORY_CSS
    with Chromium() as browser, tempfile.TemporaryDirectory(prefix="wrapped-lake-story-") as folder:
        page = Path(folder) / "story.html"
        page.write_text(story_page(report, window, beside), encoding="utf-8")
        browser.open(page, width, height, STORY_SCALE)
        return {name: browser.screenshot(0, i * height, width, height) for i, name in enumerate(names)}


def write_story_cards(
    conn: psycopg.Connection,
    settings: Settings,
    listener: str,
    year: int | None,
    window: str,
    folder: Path | None = None,
) -> list[Path]:
    """Write a Wrapped's story cards into `folder` (default: beside its page in the reports zone,
    wrapped_<year>_cards/); returns their paths."""
    report = wrapped(conn, listener, year, window)
    beside = compared_with_spotify(conn, report, window)
    page = report_path(settings, listener, year, window)
    folder = folder or page.with_name(f"{page.stem}_cards")
    paths = []
    for name, png in render_cards(report, window, beside).items():
        write_atomic(folder / name, png)
        paths.append(folder / name)
    return paths
