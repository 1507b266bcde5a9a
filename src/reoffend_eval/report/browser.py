"""Look at a report as a reader would: open it in headless Chromium and record what happens.

Talks to Chromium over the DevTools protocol on a pipe (``--remote-debugging-pipe``):
no network port, no extra package. Used by the tests (the page loads, asks for
nothing from anywhere else, logs no errors) and by ``scripts/screenshots.py``.

>>> with Chromium() as browser:                       # doctest: +SKIP
...     page = browser.open("report.html", width=390)
...     page.failed_requests, page.console_errors
"""

from __future__ import annotations

import base64
import fcntl
import json
import os
import select
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-extensions",
    "--mute-audio",
    "--hide-scrollbars",
    "--disable-dev-shm-usage",
)


def find_chromium() -> str | None:
    """The path of a Chromium (Debian's ``chromium``) or Chrome binary, or None."""
    for name in ("chromium", "chromium-browser", "google-chrome", "chrome"):
        path = shutil.which(name)
        if path:
            return path
    return None


@dataclass
class PageVisit:
    """What happened when a page was opened: every request, failure, console error, and checks of the layout."""

    url: str
    requests: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    loaded: bool = False
    facts: dict = field(default_factory=dict)

    @property
    def outside_requests(self) -> list[str]:
        """Requests to anything but the page itself and inline ``data:`` content."""
        return [u for u in self.requests if u != self.url and not u.startswith("data:")]


class Chromium:
    """A headless Chromium driven over the DevTools pipe; use as a context manager."""

    def __init__(self, binary: str | None = None, timeout: float = 60.0):
        found = binary or find_chromium()
        if found is None:
            raise FileNotFoundError("Chromium is not installed (Debian: apt-get install chromium)")
        self.binary: str = found
        self.timeout = timeout
        self._id = 0
        self._buffer = b""
        self._events: list[dict] = []

    def __enter__(self) -> Chromium:
        self._profile = tempfile.TemporaryDirectory(prefix="reoffend-chromium-")
        to_browser_r, self._to_browser = os.pipe()
        self._from_browser, from_browser_w = os.pipe()

        def wire_pipes():  # the DevTools pipe is fds 3 (commands in) and 4 (replies out) of the browser
            high_r = fcntl.fcntl(to_browser_r, fcntl.F_DUPFD_CLOEXEC, 10)
            high_w = fcntl.fcntl(from_browser_w, fcntl.F_DUPFD_CLOEXEC, 10)
            os.dup2(high_r, 3)  # dup2 leaves 3 and 4 open across exec, everything else closes
            os.dup2(high_w, 4)

        self._process = subprocess.Popen(
            [self.binary, *FLAGS, "--remote-debugging-pipe", f"--user-data-dir={self._profile.name}", "about:blank"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            preexec_fn=wire_pipes,
            close_fds=False,
        )
        os.close(to_browser_r)
        os.close(from_browser_w)
        return self

    def __exit__(self, *exc) -> None:
        try:
            self._send("Browser.close", wait=False)
            self._process.wait(timeout=10)
        except Exception:  # noqa: BLE001 - closing must not hide the real error
            self._process.kill()
            self._process.wait()
        finally:
            for fd in (self._to_browser, self._from_browser):
                try:
                    os.close(fd)
                except OSError:
                    pass
            self._profile.cleanup()

    # --- the protocol: JSON messages separated by NUL bytes ------------------------------------------------

    def _send(self, method: str, params: dict | None = None, session: str | None = None, wait: bool = True):
        self._id += 1
        message = {"id": self._id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self._to_browser, json.dumps(message).encode() + b"\0")
        if not wait:
            return None
        wanted = self._id
        deadline = time.monotonic() + self.timeout
        while True:
            for reply in self._read(deadline):
                if reply.get("id") == wanted:
                    if "error" in reply:
                        raise RuntimeError(f"{method}: {reply['error']}")
                    return reply.get("result", {})
                self._events.append(reply)

    def _read(self, deadline: float) -> list[dict]:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError("Chromium did not answer in time")
        ready, _, _ = select.select([self._from_browser], [], [], remaining)
        if not ready:
            raise TimeoutError("Chromium did not answer in time")
        chunk = os.read(self._from_browser, 1 << 20)
        if not chunk:
            raise RuntimeError("Chromium closed the DevTools pipe")
        self._buffer += chunk
        *messages, self._buffer = self._buffer.split(b"\0")
        return [json.loads(m) for m in messages if m]

    def _wait_for(self, method: str, session: str) -> None:
        deadline = time.monotonic() + self.timeout
        while True:
            for i, event in enumerate(self._events):
                if event.get("method") == method and event.get("sessionId") == session:
                    del self._events[i]
                    return
            self._events.extend(self._read(deadline))

    # --- what the tests and the screenshot script use --------------------------------------------------------

    def open(
        self, path: str | Path, width: int = 1280, height: int = 900, mobile: bool = False, settle: float = 0.5
    ) -> OpenPage:
        """Open a local file at a window size; returns an :class:`OpenPage` with a :class:`PageVisit`."""
        url = Path(path).resolve().as_uri()
        target = self._send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self._send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        for domain in ("Page", "Network", "Runtime", "Log"):
            self._send(f"{domain}.enable", session=session)
        self._send(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile},
            session=session,
        )
        visit = PageVisit(url=url)
        self._events.clear()
        self._send("Page.navigate", {"url": url}, session=session)
        self._wait_for("Page.loadEventFired", session)
        visit.loaded = True
        end = time.monotonic() + settle
        while time.monotonic() < end:  # late console messages and requests
            try:
                self._events.extend(self._read(end))
            except TimeoutError:
                break
        for event in self._events:
            method, params = event.get("method"), event.get("params", {})
            if method == "Network.requestWillBeSent":
                visit.requests.append(params["request"]["url"])
            elif method == "Network.loadingFailed":
                visit.failed_requests.append(f"{params.get('errorText')} ({params.get('requestId')})")
            elif method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
                visit.console_errors.append(
                    " ".join(str(a.get("value", a.get("description", ""))) for a in params.get("args", []))
                )
            elif method == "Runtime.exceptionThrown":
                visit.console_errors.append(params.get("exceptionDetails", {}).get("text", "exception"))
            elif method == "Log.entryAdded" and params.get("entry", {}).get("level") == "error":
                visit.console_errors.append(params["entry"].get("text", ""))
        self._events.clear()
        visit.facts = self._evaluate(
            session,
            """({
            title: document.title,
            images: document.images.length,
            brokenImages: [...document.images].filter(i => !i.complete || i.naturalWidth === 0).length,
            imagesWithoutAlt: [...document.images].filter(i => !i.alt).length,
            headings: [...document.querySelectorAll('h2')].map(h => h.textContent.trim()),
            scrollWidth: document.documentElement.scrollWidth,
            innerWidth: window.innerWidth,
            text: document.body.innerText,
        })""",
        )
        return OpenPage(self, session, visit, width)

    def _evaluate(self, session: str, expression: str):
        result = self._send("Runtime.evaluate", {"expression": expression, "returnByValue": True}, session=session)
        return result.get("result", {}).get("value")


@dataclass
class OpenPage:
    """A page open in the browser: its visit record, and full-page screenshots or a print to PDF."""

    browser: Chromium
    session: str
    visit: PageVisit
    width: int

    def screenshot(self, path: str | Path, full_page: bool = True) -> Path:
        """Save a PNG of the page (the whole length of it by default)."""
        params: dict = {"format": "png"}
        if full_page:
            metrics = self.browser._send("Page.getLayoutMetrics", session=self.session)
            size = metrics.get("cssContentSize") or metrics["contentSize"]
            params.update(
                captureBeyondViewport=True,
                clip={"x": 0, "y": 0, "width": self.width, "height": size["height"], "scale": 1},
            )
        data = self.browser._send("Page.captureScreenshot", params, session=self.session)["data"]
        path = Path(path)
        path.write_bytes(base64.b64decode(data))
        return path

    def print_pdf(self, path: str | Path) -> Path:
        """Save the page as the browser prints it (A4, print styles applied)."""
        data = self.browser._send(
            "Page.printToPDF",
            {"paperWidth": 8.27, "paperHeight": 11.69, "preferCSSPageSize": True, "printBackground": True},
            session=self.session,
        )["data"]
        path = Path(path)
        path.write_bytes(base64.b64decode(data))
        return path
