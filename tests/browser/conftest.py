"""A real JupyterLab in headless Chromium, for the browser tests.

Fixtures:
- ``lab_server`` (session): JupyterLab on a free 127.0.0.1 port with a random token, serving
  a TEMPORARY copy of notebooks/ plus tests/browser/fixtures/ (autosave writes outputs into
  served files), with its own config/runtime/workspace dirs and a kernelspec that runs this
  venv's Python. Killed by process group on teardown, at exit, and when pytest dies.
- ``chromium`` (session): the system /usr/bin/chromium driven by Playwright (its own browser
  download does not work on a closed network). Missing chromium skips the browser tests,
  except under CI=true, where it is an error.
- ``lab`` (function): a fresh page that may only talk to 127.0.0.1, wrapped in :class:`Lab`
  with ``open_notebook(name)``, ``run_all_cells()`` and ``wait_kernel_idle()``.

Selectors are those that worked with JupyterLab 4.6 (see the project's Jupyter notes).
"""

from __future__ import annotations

import atexit
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
CHROMIUM = Path(os.environ.get("AWSKIT_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",  # CI runs as root, where Chromium's sandbox refuses to start
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Turns off the "Would you like to receive official Jupyter news?" toast and update checks.
NEWS_OFF = {
    "@jupyterlab/apputils-extension:notification": {"fetchNews": "false", "checkForUpdates": False}
}
SERVER_START_TIMEOUT = 60  # seconds; about 5 s on a quiet 2-core machine
UI_TIMEOUT_MS = 60_000  # a notebook opens in 6-9 s; generous for a loaded CI box
# Counts the notebook's input prompts: "[3]:" is numbered, "[*]:" is running or queued.
_PROMPTS_JS = """(() => {
  const texts = [...document.querySelectorAll('.jp-CodeCell .jp-InputPrompt')].map(p => p.textContent);
  return {numbered: texts.filter(t => /\\[\\d+\\]/.test(t)).length,
          running: texts.filter(t => t.includes('*')).length};
})()"""


def _in_ci() -> bool:
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


# -- the server ---------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# Linux: the server gets SIGTERM if pytest itself is killed (when no finalizer can run).
# Set in a tiny launcher that then execs the server (the setting survives exec), rather
# than in a preexec_fn, which is unsafe once Playwright has started threads.
_DIE_WITH_PARENT = (
    "import ctypes, os, signal, sys\n"
    "try:\n"
    "    ctypes.CDLL('libc.so.6').prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG\n"
    "except (OSError, AttributeError):\n"
    "    pass\n"
    "os.execv(sys.executable, [sys.executable, *sys.argv[1:]])\n"
)


def ensure_news_is_off(settings_dir: Path) -> None:
    """Merge NEWS_OFF into ``settings_dir/overrides.json`` (what ``make lab`` writes too)."""
    path = settings_dir / "overrides.json"
    current = json.loads(path.read_text()) if path.exists() else {}
    merged = {**current, **NEWS_OFF}
    if merged != current:
        settings_dir.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(merged, indent=2) + "\n")


@dataclass
class LabServer:
    url: str
    token: str
    root: Path
    process: subprocess.Popen
    log: Path

    def stop(self) -> None:
        """Stop the server and its kernels: SIGTERM the process group, SIGKILL if it lingers."""
        if self.process.poll() is not None:
            return
        pgid = self.process.pid  # start_new_session made it a group leader
        try:
            os.killpg(pgid, signal.SIGTERM)
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(pgid, signal.SIGKILL)
            self.process.wait(timeout=10)
        except ProcessLookupError:
            pass

    def log_tail(self, lines: int = 40) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])


def _wait_until_ready(server: LabServer) -> None:
    status = f"{server.url}/api/status?token={server.token}"
    deadline = time.monotonic() + SERVER_START_TIMEOUT
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(
                f"JupyterLab exited with {server.process.returncode}:\n{server.log_tail()}"
            )
        try:
            with urllib.request.urlopen(status, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.2)  # polling a real server: real time, not simulated time
    raise RuntimeError(f"JupyterLab not ready after {SERVER_START_TIMEOUT} s:\n{server.log_tail()}")


@pytest.fixture(scope="session")
def lab_server(tmp_path_factory: pytest.TempPathFactory) -> LabServer:
    from ipykernel.kernelspec import write_kernel_spec

    base = tmp_path_factory.mktemp("lab")
    served = base / "served"
    if (ROOT / "notebooks").is_dir():
        shutil.copytree(
            ROOT / "notebooks", served, ignore=shutil.ignore_patterns(".ipynb_checkpoints")
        )
    served.mkdir(exist_ok=True)
    for notebook in FIXTURES.glob("*.ipynb"):
        shutil.copy2(notebook, served / notebook.name)

    data = base / "data"  # first on JUPYTER_PATH: its python3 kernelspec runs this venv
    write_kernel_spec(path=str(data / "kernels" / "python3"))
    ensure_news_is_off(Path(sys.prefix) / "share" / "jupyter" / "lab" / "settings")

    env = {
        **os.environ,
        "JUPYTER_PATH": str(data),
        "JUPYTER_DATA_DIR": str(data),
        "JUPYTER_CONFIG_DIR": str(base / "config"),  # ignore ~/.jupyter
        "JUPYTER_RUNTIME_DIR": str(base / "runtime"),
        "JUPYTERLAB_SETTINGS_DIR": str(base / "user-settings"),
        "JUPYTERLAB_WORKSPACES_DIR": str(base / "workspaces"),
        "IPYTHONDIR": str(base / "ipython"),  # no personal startup scripts in the kernel
    }
    port, token = _free_port(), secrets.token_hex(16)
    command = [
        sys.executable, "-c", _DIE_WITH_PARENT, "-m", "jupyterlab",
        "--no-browser",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={served}",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
    ]  # fmt: skip
    if os.geteuid() == 0:
        command.append("--allow-root")
    log = base / "server.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            command,
            cwd=served,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            # Its own process group, so stop() reaches the server's children; the server
            # shuts its kernels down on SIGTERM, and a kernel exits when its parent dies.
            start_new_session=True,
        )
    server = LabServer(f"http://127.0.0.1:{port}", token, served, process, log)
    atexit.register(server.stop)  # a finalizer may not run if pytest is interrupted hard
    try:
        _wait_until_ready(server)
        yield server
    finally:
        server.stop()


# -- the browser --------------------------------------------------------------------------


@pytest.fixture(scope="session")
def chromium():
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is missing: install it with `apt-get install -y chromium`"
        if _in_ci():
            pytest.fail(message + " (.ci/run does this)", pytrace=False)
        pytest.skip(message)
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=UI_TIMEOUT_MS // 2)  # the default 5 s is tight on a busy CI box

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield browser
        finally:
            browser.close()


@dataclass
class Lab:
    """One browser page on the lab server, with the steps a test needs."""

    page: object  # playwright.sync_api.Page
    server: LabServer
    blocked: list[str] = field(default_factory=list)
    notebook: str = ""

    def open_notebook(self, name: str) -> None:
        """Open ``name`` (relative to the served folder) with a reset workspace; wait for cells."""
        if not (self.server.root / name).exists():
            raise FileNotFoundError(
                f"{name} is not served; served: {sorted(os.listdir(self.server.root))}"
            )
        self.notebook = name
        self.page.goto(f"{self.server.url}/lab/tree/{name}?reset&token={self.server.token}")
        self.page.locator(".jp-Notebook .jp-Cell").first.wait_for(timeout=UI_TIMEOUT_MS)
        self.wait_kernel_idle()

    def run_all_cells(self) -> None:
        """Run > Run All Cells, then wait until every code cell has run and the kernel is idle.

        "Busy" can come and go before we look, so completion is counted instead: a fresh
        kernel numbers the code cells [1]..[n] as they run. Cells with hidden input show no
        prompt, so they are not counted; no prompt may still read [*].
        """
        self.page.locator(".lm-MenuBar-itemLabel:text-is('Run')").click()
        self.page.locator(".lm-Menu-itemLabel:text-is('Run All Cells')").click()
        expected = self._visible_code_cells()
        try:
            self.page.wait_for_function(
                f"n => {_PROMPTS_JS}.numbered >= n && {_PROMPTS_JS}.running === 0",
                arg=expected,
                timeout=UI_TIMEOUT_MS,
            )
        except Exception as err:
            seen = self.page.evaluate(f"() => {_PROMPTS_JS}")
            errors = self.page.locator("[data-mime-type='application/vnd.jupyter.stderr']")
            raise AssertionError(
                f"{self.notebook}: expected {expected} code cells to run, saw {seen}; "
                "error outputs:\n" + "\n".join(errors.all_inner_texts())
            ) from err
        self.wait_kernel_idle()

    def _visible_code_cells(self) -> int:
        """Code cells with source that a Run All executes and whose prompt is shown."""
        nb = json.loads((self.server.root / self.notebook).read_text())
        return sum(
            1
            for c in nb["cells"]
            if c["cell_type"] == "code"
            and "".join(c["source"]).strip()
            and not c["metadata"].get("jupyter", {}).get("source_hidden")
        )

    def wait_kernel_idle(self) -> None:
        """Wait until the status bar says the Python kernel is idle."""
        self.page.locator(".jp-StatusBar-Widget", has_text="| Idle").first.wait_for(
            timeout=UI_TIMEOUT_MS
        )


@pytest.fixture
def lab(chromium, lab_server: LabServer, request: pytest.FixtureRequest) -> Lab:
    from playwright.sync_api import Error as PlaywrightError

    context = chromium.new_context(viewport={"width": 1400, "height": 900})
    context.set_default_timeout(UI_TIMEOUT_MS)
    lab = Lab(context.new_page(), lab_server)

    def local_only(route) -> None:
        if urlsplit(route.request.url).hostname == "127.0.0.1":
            route.continue_()
        else:
            lab.blocked.append(route.request.url)
            route.abort()

    context.route("**/*", local_only)
    try:
        yield lab
    finally:
        failed = getattr(request.node, "rep_call", None)
        if failed is not None and failed.failed:
            shot = lab_server.root.parent / f"{request.node.name}.png"
            try:
                lab.page.screenshot(path=str(shot), full_page=True)
            except PlaywrightError as err:  # a crashed page must not hide the test's failure
                shot = f"(none: {err})"
            print(f"screenshot: {shot}\nserver log: {lab_server.log}\nblocked: {lab.blocked}")
        context.close()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    """Keep the call phase's report on the item, so the ``lab`` fixture can screenshot failures."""
    report = yield
    if report.when == "call":
        item.rep_call = report
    return report
