"""Headless Chromium for the browser tests, driven over the DevTools protocol with the standard library only.

Chromium is started with ``--remote-debugging-pipe``: it reads protocol commands as
NUL-terminated JSON on its file descriptor 3 and writes replies and events on 4. No port,
no websocket library and no browser download: any Chromium will do (Debian's ``chromium``).

Run as a script, it (re)makes the README's screenshots: the bundled example articles, and a
generated corpus of 300 documents (``benchmarks/make_corpus.py``, built by kg's extraction)
in the state view and with one state expanded and selected::

    .venv/bin/python tests/browser.py            # writes docs/explorer*.png
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
from pathlib import Path
from typing import Any

__all__ = [
    "BrowserError",
    "Chromium",
    "Page",
    "build_corpus_graph",
    "build_example_graph",
    "click_node",
    "find_chromium",
    "image_stats",
    "screenshot_explorer",
    "screenshot_states",
]

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples" / "articles"
SCREENSHOT = ROOT / "docs" / "explorer.png"
STATES_SCREENSHOT = ROOT / "docs" / "explorer-states.png"
EXPANDED_SCREENSHOT = ROOT / "docs" / "explorer-state-expanded.png"

#: Flags of every run: headless, no sandbox (CI runs as root), nothing fetched in the background.
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-default-apps",
    "--disable-extensions",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--disable-features=Translate,MediaRouter,OptimizationHints",
    "--no-first-run",
    "--no-default-browser-check",
    "--mute-audio",
    "--hide-scrollbars",
    "--force-device-scale-factor=1",
    "--remote-debugging-pipe",
)
_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


class BrowserError(RuntimeError):
    """Chromium failed to start, exited, timed out or answered with an error."""


def find_chromium() -> str | None:
    """The Chromium to use: ``$KG_CHROMIUM`` if set, else the first of the usual names on PATH."""
    configured = os.environ.get("KG_CHROMIUM")
    if configured:
        return configured if shutil.which(configured) else None
    for name in _NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


class Chromium:
    """One headless Chromium process; use as a context manager, or call :meth:`close`."""

    def __init__(self, executable: str, *, timeout: float = 20.0, size: tuple[int, int] = (1280, 800)) -> None:
        self.timeout = timeout
        self.size = size
        self.events: list[dict] = []
        self._next_id = 0
        self._buffer = b""
        self._profile = Path(tempfile.mkdtemp(prefix="kg-chromium-"))
        self._log = self._profile / "stderr.log"
        commands_r, commands_w = os.pipe()
        replies_r, replies_w = os.pipe()
        # The child's ends move to fds >= 10 first, so that putting them on 3 and 4 cannot clobber each other.
        child_in = fcntl.fcntl(commands_r, fcntl.F_DUPFD_CLOEXEC, 10)
        child_out = fcntl.fcntl(replies_w, fcntl.F_DUPFD_CLOEXEC, 10)
        os.close(commands_r)
        os.close(replies_w)

        def on_fds_3_and_4() -> None:
            os.dup2(child_in, 3)
            os.dup2(child_out, 4)

        args = [executable, *FLAGS, f"--user-data-dir={self._profile}", f"--window-size={size[0]},{size[1]}",
                "about:blank"]
        try:
            with open(self._log, "wb") as log:
                self._proc = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=log, stderr=log,
                                              close_fds=False, preexec_fn=on_fds_3_and_4)
        except OSError as exc:
            shutil.rmtree(self._profile, ignore_errors=True)
            raise BrowserError(f"{executable}: cannot start ({exc})") from exc
        finally:
            os.close(child_in)
            os.close(child_out)
        self._out, self._in = commands_w, replies_r
        try:
            self.version = self.send("Browser.getVersion")["product"]
        except BaseException:
            self.close()
            raise

    def __enter__(self) -> Chromium:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def send(self, method: str, params: dict | None = None, *, session: str | None = None,
             timeout: float | None = None) -> dict:
        """Send one command and return its result; events that arrive meanwhile go to :attr:`events`."""
        self._next_id += 1
        message: dict[str, Any] = {"id": self._next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        payload = json.dumps(message).encode("utf-8") + b"\0"
        while payload:
            payload = payload[os.write(self._out, payload):]
        deadline = time.monotonic() + (timeout or self.timeout)
        while True:
            reply = self._receive(deadline, method)
            if reply.get("id") == self._next_id:
                if "error" in reply:
                    raise BrowserError(f"{method}: {reply['error'].get('message')}")
                return reply.get("result", {})
            if "method" in reply:
                self.events.append(reply)

    def pump(self, seconds: float) -> None:
        """Collect the events that arrive within ``seconds``."""
        deadline = time.monotonic() + seconds
        while True:
            try:
                self.events.append(self._receive(deadline, "events"))
            except TimeoutError:
                return

    def _receive(self, deadline: float, waiting_for: str) -> dict:
        while b"\0" not in self._buffer:
            left = deadline - time.monotonic()
            ready = select.select([self._in], [], [], max(left, 0))[0] if left > 0 else []
            if not ready:
                raise TimeoutError(f"chromium did not answer {waiting_for} in time")
            chunk = os.read(self._in, 1 << 20)
            if not chunk:
                raise BrowserError(f"chromium exited ({self._proc.poll()}): {self._stderr_tail()}")
            self._buffer += chunk
        message, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(message)

    def _stderr_tail(self) -> str:
        try:
            return self._log.read_text(encoding="utf-8", errors="replace")[-2000:].strip()
        except OSError:
            return ""

    def new_page(self) -> Page:
        return Page(self)

    def close(self) -> None:
        if getattr(self, "_proc", None) is not None and self._proc.poll() is None:
            try:
                self.send("Browser.close", timeout=5)
            except (BrowserError, TimeoutError, OSError):
                pass
            try:
                self._proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self._proc.kill()
                self._proc.wait(timeout=5)
        for fd in (getattr(self, "_out", None), getattr(self, "_in", None)):
            if fd is not None:
                try:
                    os.close(fd)
                except OSError:
                    pass
        self._out = self._in = None
        shutil.rmtree(self._profile, ignore_errors=True)


class Page:
    """One tab, attached with its own protocol session; it records console output and requests."""

    def __init__(self, browser: Chromium) -> None:
        self.browser = browser
        self.target = browser.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        self.session = browser.send("Target.attachToTarget", {"targetId": self.target, "flatten": True})["sessionId"]
        for domain in ("Page", "Runtime", "Network", "Log"):
            self.send(f"{domain}.enable")
        width, height = browser.size
        self.send("Emulation.setDeviceMetricsOverride",
                  {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False})

    def send(self, method: str, params: dict | None = None, *, timeout: float | None = None) -> dict:
        return self.browser.send(method, params, session=self.session, timeout=timeout)

    def events(self, method: str | None = None) -> list[dict]:
        return [e for e in self.browser.events
                if e.get("sessionId") == self.session and (method is None or e["method"] == method)]

    def goto(self, url: str, *, timeout: float = 15.0) -> None:
        """Open ``url`` and wait for its load event."""
        loaded = len(self.events("Page.loadEventFired"))
        result = self.send("Page.navigate", {"url": url})
        if result.get("errorText"):
            raise BrowserError(f"{url}: {result['errorText']}")
        deadline = time.monotonic() + timeout
        while len(self.events("Page.loadEventFired")) == loaded:
            if time.monotonic() > deadline:
                raise TimeoutError(f"{url} did not load in {timeout} s")
            self.browser.pump(0.05)

    def evaluate(self, expression: str, *, await_promise: bool = False) -> Any:
        """The value of a JavaScript expression in the page (JSON-able values only)."""
        result = self.send("Runtime.evaluate",
                           {"expression": expression, "returnByValue": True, "awaitPromise": await_promise})
        if "exceptionDetails" in result:
            details = result["exceptionDetails"]
            text = details.get("exception", {}).get("description") or details.get("text")
            raise BrowserError(f"{expression[:80]!r} threw: {text}")
        return result["result"].get("value")

    def wait_for(self, expression: str, *, timeout: float = 10.0) -> Any:
        """Poll ``expression`` until it is truthy and return its value; TimeoutError after ``timeout``."""
        deadline = time.monotonic() + timeout
        while True:
            value = self.evaluate(expression)
            if value:
                return value
            if time.monotonic() > deadline:
                raise TimeoutError(f"waited {timeout} s for {expression!r}")
            self.browser.pump(0.05)

    def click(self, x: float, y: float) -> None:
        """A left click at viewport coordinates (x, y)."""
        base = {"x": x, "y": y}
        self.send("Input.dispatchMouseEvent", {"type": "mouseMoved", **base})
        self.send("Input.dispatchMouseEvent", {"type": "mousePressed", "button": "left", "clickCount": 1, **base})
        self.send("Input.dispatchMouseEvent", {"type": "mouseReleased", "button": "left", "clickCount": 1, **base})

    def errors(self) -> list[str]:
        """Console errors, uncaught exceptions and browser-logged errors (CSP refusals, failed loads)."""
        out = []
        for event in self.events():
            params = event.get("params", {})
            if event["method"] == "Runtime.exceptionThrown":
                details = params["exceptionDetails"]
                out.append(details.get("exception", {}).get("description") or details.get("text", "exception"))
            elif event["method"] == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
                out.append(" ".join(str(a.get("value", a.get("description", ""))) for a in params.get("args", [])))
            elif event["method"] == "Log.entryAdded" and params["entry"].get("level") == "error":
                out.append(params["entry"].get("text", ""))
        return out

    def requests(self) -> list[str]:
        """The URL of every request the page made, in order."""
        return [e["params"]["request"]["url"] for e in self.events("Network.requestWillBeSent")]

    def screenshot(self) -> bytes:
        """The viewport as PNG bytes."""
        return base64.b64decode(self.send("Page.captureScreenshot", {"format": "png"})["data"])

    def close(self) -> None:
        try:
            self.browser.send("Target.closeTarget", {"targetId": self.target}, timeout=5)
        except (BrowserError, TimeoutError):
            pass


_STATS_JS = """
new Promise(function (resolve, reject) {
  var image = new Image();
  image.onerror = function () { reject(new Error("not an image")); };
  image.onload = function () {
    var canvas = document.createElement("canvas");
    canvas.width = image.naturalWidth; canvas.height = image.naturalHeight;
    var context = canvas.getContext("2d");
    context.drawImage(image, 0, 0);
    var pixels = context.getImageData(0, 0, canvas.width, canvas.height).data, counts = {}, top = 0;
    for (var i = 0; i < pixels.length; i += 4) {
      var key = (pixels[i] << 16) | (pixels[i + 1] << 8) | pixels[i + 2];
      counts[key] = (counts[key] || 0) + 1;
      if (counts[key] > top) { top = counts[key]; }
    }
    var total = pixels.length / 4;
    resolve({width: canvas.width, height: canvas.height, colours: Object.keys(counts).length,
             other: (total - top) / total});
  };
  image.src = "data:image/png;base64,%s";
})
"""


def image_stats(browser: Chromium, png: bytes) -> dict:
    """Decode ``png`` in a blank tab: width, height, distinct colours, share of pixels not of the commonest colour."""
    if not png.startswith(b"\x89PNG\r\n\x1a\n"):
        raise BrowserError("not a PNG file")
    page = browser.new_page()
    try:
        return page.evaluate(_STATS_JS % base64.b64encode(png).decode("ascii"), await_promise=True)
    finally:
        page.close()


def build_example_graph(nlp=None):
    """The graph of the bundled example articles (``examples/articles``)."""
    import kg

    documents = kg.read_documents([EXAMPLES])
    return kg.build_graph(kg.extract(documents, nlp=nlp) if nlp is not None else kg.extract(documents))


def click_node(page: Page, node: int) -> None:
    """Click node ``node`` of the explorer open in ``page``, with the mouse, where it is drawn."""
    x, y = page.evaluate(f"""(function () {{
        var position = kgNetwork.getPositions([{node}])[{node}];
        var box = document.getElementById("kg-network").getBoundingClientRect();
        function where() {{
            var dom = kgNetwork.canvasToDOM(position);
            return [box.left + dom.x, box.top + dom.y];
        }}
        var point = where(), target = document.elementFromPoint(point[0], point[1]);
        if (!target || target.tagName !== "CANVAS") {{  // off screen or under the legend: bring it to the middle
            kgNetwork.moveTo({{position: position, animation: false}});
            point = where();
        }}
        return point;
    }})()""")
    page.click(x, y)


def screenshot_explorer(browser: Chromium, html_path: Path, *, select: bool = True, timeout: float = 15.0) -> bytes:
    """Open an explorer page and capture it: with ``select``, after clicking its most active entity.

    The click opens the side panel with that entity's events; the drawing is then fitted
    into the space beside the panel.
    """
    page = browser.new_page()
    try:
        page.goto(Path(html_path).resolve().as_uri(), timeout=timeout)
        page.wait_for("window.kg && window.kg.ready && window.kg.drawn", timeout=timeout)
        if select:
            click_node(page, 0)  # nodes are numbered most active first
            page.wait_for("window.kg.panel !== null", timeout=timeout)
            page.evaluate("kgNetwork.fit({animation: false})")
            page.browser.pump(0.3)
        return page.screenshot()
    finally:
        page.close()


def screenshot_states(browser: Chromium, html_path: Path, state: str, *, timeout: float = 15.0) -> tuple[bytes, bytes]:
    """Open an explorer page in its state view and capture it; then click the state named ``state``
    (which expands it into its parts and selects it) and capture that."""
    page = browser.new_page()
    try:
        page.goto(Path(html_path).resolve().as_uri(), timeout=timeout)
        page.wait_for("window.kg && window.kg.ready && window.kg.drawn", timeout=timeout)
        if page.evaluate("kg.view()") != "state":
            raise BrowserError(f"{html_path}: the page does not open in the state view")
        before = page.screenshot()
        node = page.evaluate(f"kg.entities.filter(function (n) {{ return n.name === {json.dumps(state)}; }})[0].id")
        click_node(page, node)
        page.wait_for(f"kg.expanded().indexOf({node}) !== -1 && kg.panel !== null", timeout=timeout)
        page.browser.pump(0.8)  # the zoom to its parts takes 0.4 s
        return before, page.screenshot()
    finally:
        page.close()


def build_corpus_graph(docs: int = 300, nlp=None):
    """The graph of a generated corpus of ``docs`` documents (``benchmarks/make_corpus.py``)."""
    import sys

    import kg

    sys.path.insert(0, str(ROOT / "benchmarks"))
    from make_corpus import write_corpus

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "corpus.jsonl"
        write_corpus(path, docs=docs)
        documents = kg.read_documents([path])
        return kg.build_graph(kg.extract(documents, nlp=nlp) if nlp is not None else kg.extract(documents))


def main() -> None:
    """Write the README's screenshots: the bundled example with its most active entity's panel open
    (docs/explorer.png), and 300 generated documents in the state view (docs/explorer-states.png)
    and with Russia expanded and selected (docs/explorer-state-expanded.png)."""
    import kg

    executable = find_chromium()
    if executable is None:
        raise SystemExit("chromium not found: install it (apt-get install chromium) or set KG_CHROMIUM")
    graph = build_example_graph()
    corpus = build_corpus_graph(300)
    with tempfile.TemporaryDirectory() as tmp, Chromium(executable) as browser:
        page = Path(tmp) / "explorer.html"
        kg.draw_html(graph, page, title="Example articles")
        shots = {SCREENSHOT: screenshot_explorer(browser, page)}
        page = Path(tmp) / "corpus.html"
        kg.draw_html(corpus, page, title="300 generated documents")
        shots[STATES_SCREENSHOT], shots[EXPANDED_SCREENSHOT] = screenshot_states(browser, page, "Russia")
    SCREENSHOT.parent.mkdir(exist_ok=True)
    for path, png in shots.items():
        path.write_bytes(png)
        print(f"wrote {path} ({len(png):,} bytes)")


if __name__ == "__main__":
    main()
