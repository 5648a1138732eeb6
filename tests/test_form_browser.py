"""The form in a real JupyterLab, driven by headless Chromium through Playwright.

The test starts its own JupyterLab on 127.0.0.1 (free port, fresh config, data, runtime
and settings folders, a random token), opens a copy of ``notebooks/form.ipynb``, runs it,
fills the form, clicks Generate and checks the preview table and the kernel's variable.
It stops the server (and its kernel) afterwards. A screenshot is saved in the test's tmp dir.

Outside CI it is skipped when Chromium or Playwright is missing; in CI (``CI=true``) it
must run: ``make test`` installs Debian's ``chromium`` when it can.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Page

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "notebooks" / "form.ipynb"
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
CHROMIUM = os.environ.get("SYNTH_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage"]
ROWS = 7
ROWS_AGAIN = 4
SCHEMA_TEXT = re.compile(r"^title: [\s\S]*\ncolumns:\n[\s\S]*  amount: money")


def _missing() -> str | None:
    if not Path(CHROMIUM).exists():
        return f"Chromium not found at {CHROMIUM} (apt-get install chromium, or make test)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright is not installed (pip install -e '.[dev]')"
    return None


_reason = _missing()
if _reason and IN_CI:
    pytest.fail(f"The browser test must run in CI: {_reason}", pytrace=False)
pytestmark = pytest.mark.skipif(_reason is not None, reason=_reason or "")


@dataclass
class Lab:
    url: str
    token: str
    root: Path
    log: Path

    def api(self, method: str, path: str) -> object:
        request = urllib.request.Request(f"{self.url}{path}", method=method,
                                         headers={"Authorization": f"token {self.token}"})
        with urllib.request.urlopen(request, timeout=10) as response:  # our own server on 127.0.0.1
            body = response.read()
        return json.loads(body) if body else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def lab(tmp_path: Path) -> Iterator[Lab]:
    root = tmp_path / "notebooks"
    root.mkdir()
    shutil.copy(NOTEBOOK, root / "form.ipynb")
    home = tmp_path / "jupyter"
    settings = home / "settings" / "@jupyterlab" / "apputils-extension"
    settings.mkdir(parents=True)
    # no update checks or news toasts from a fresh profile
    (settings / "notification.jupyterlab-settings").write_text(
        json.dumps({"checkForUpdates": False, "fetchNews": "false"}))
    port, token = _free_port(), secrets.token_hex(16)
    env = dict(os.environ)
    src = str(ROOT)
    env.update({
        # a fresh profile; the venv's share/jupyter (widgets lab extension, kernel spec)
        # is still on Jupyter's path because it is found from sys.prefix
        "JUPYTER_CONFIG_DIR": str(home / "config"),
        "JUPYTER_DATA_DIR": str(home / "data"),
        "JUPYTER_RUNTIME_DIR": str(home / "runtime"),
        "JUPYTERLAB_SETTINGS_DIR": str(home / "settings"),
        "JUPYTERLAB_WORKSPACES_DIR": str(home / "workspaces"),
        "IPYTHONDIR": str(home / "ipython"),
        "JUPYTER_PLATFORM_DIRS": "1",
        "PYTHONPATH": os.pathsep.join(p for p in (src, env.get("PYTHONPATH", "")) if p),
    })
    log = tmp_path / "jupyterlab.log"
    with log.open("wb") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "jupyterlab", "--ip=127.0.0.1", f"--port={port}", "--no-browser",
             "--ServerApp.open_browser=False", "--allow-root", f"--IdentityProvider.token={token}",
             f"--ServerApp.root_dir={root}", "--ServerApp.port_retries=0",
             "--LabApp.news_url=", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"],
            cwd=root, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    lab = Lab(f"http://127.0.0.1:{port}", token, root, log)
    try:
        deadline = time.monotonic() + 45
        while True:
            if server.poll() is not None:
                pytest.fail(f"JupyterLab exited with {server.returncode}:\n{log.read_text()[-3000:]}")
            try:
                lab.api("GET", "/api/status")
                break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                if time.monotonic() > deadline:
                    pytest.fail(f"JupyterLab did not start in 45 s:\n{log.read_text()[-3000:]}")
                time.sleep(0.3)
        yield lab
    finally:
        try:  # stops the kernels it started, then itself
            lab.api("POST", "/api/shutdown")
            server.wait(15)
        except Exception:
            if server.poll() is None:
                os.killpg(server.pid, signal.SIGTERM)
                try:
                    server.wait(10)
                except subprocess.TimeoutExpired:
                    os.killpg(server.pid, signal.SIGKILL)
                    server.wait(5)


def test_form_generates_in_jupyterlab(lab: Lab, tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    started = time.monotonic()
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.set_default_timeout(30_000)
            console: list[str] = []
            page.on("console", lambda msg: console.append(f"{msg.type}: {msg.text}"))
            page.goto(f"{lab.url}/lab/tree/form.ipynb?token={lab.token}")
            try:
                _run_form(page, tmp_path)
            except Exception:
                print("browser console:", *console[-40:], sep="\n")
                raise
            finally:
                page.screenshot(path=str(tmp_path / "lab.png"))
        finally:
            browser.close()
    assert (tmp_path / "form.png").stat().st_size > 0 and (tmp_path / "lab.png").stat().st_size > 0
    assert time.monotonic() - started < 90


def _run_form(page: Page, tmp_path: Path) -> None:
    from playwright.sync_api import expect

    notebook = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden)")
    expect(notebook.locator(".jp-Notebook")).to_be_visible(timeout=45_000)
    # the status bar says Idle only once the kernel is connected (running earlier is lost)
    expect(page.get_by_text("Python 3 (ipykernel) | Idle")).to_be_visible(timeout=45_000)

    # Run ▸ Run All Cells
    page.get_by_role("menuitem", name="Run", exact=True).click()
    page.get_by_role("menuitem", name="Run All Cells", exact=True).click()

    form = notebook.locator(".synth-form")
    expect(form).to_be_visible(timeout=45_000)
    form.locator(".synth-description textarea").fill("finance transactions with amount between 1 and 500")
    form.locator(".synth-rows input").fill(str(ROWS))
    form.locator(".synth-seed input").fill("42")
    form.locator(".synth-name input").fill("tx")
    form.locator(".synth-name input").press("Tab")
    generate = form.locator("button.synth-generate")
    expect(generate).to_be_enabled()
    generate.click()

    rows = form.locator(".synth-preview table.synth-preview-table tbody tr")
    expect(rows).to_have_count(ROWS, timeout=30_000)
    expect(form.locator(".synth-preview table th", has_text="amount").first).to_be_visible()
    expect(form.locator(".synth-preview table th", has_text="float64").first).to_be_visible()
    expect(form.locator(".synth-summary")).to_contain_text(f"{ROWS} rows × ")
    expect(form.locator(".synth-summary")).to_contain_text("seed 42")
    expect(form.locator(".synth-schema textarea")).to_have_value(SCHEMA_TEXT)
    expect(generate).to_be_enabled()
    expect(form.locator(".synth-messages .synth-message")).to_have_count(0)
    form.screenshot(path=str(tmp_path / "form.png"))

    # an error shows as one red line in the form, and the form keeps working after it
    form.locator(".synth-rows input").fill("lots")
    form.locator(".synth-rows input").press("Tab")
    generate.click()
    expect(form.locator(".synth-messages .synth-message")).to_have_count(1)
    expect(form.locator(".synth-messages .synth-message")).to_contain_text("rows must be a whole number")
    expect(generate).to_be_enabled()
    form.locator(".synth-rows input").fill(str(ROWS_AGAIN))
    form.locator(".synth-rows input").press("Tab")
    generate.click()
    expect(rows).to_have_count(ROWS_AGAIN, timeout=30_000)
    expect(form.locator(".synth-messages .synth-message")).to_have_count(0)
    expect(form.locator(".synth-summary")).to_contain_text(f"{ROWS_AGAIN} rows × ")

    # the variable exists in the kernel: add a cell below and print from it
    notebook.locator(".jp-Cell").last.locator(".jp-InputPrompt").click()
    page.keyboard.press("Escape")
    page.keyboard.press("b")
    page.keyboard.press("Enter")
    page.keyboard.type("print('len', len(tx), type(tx).__name__, tx['amount'].between(1, 500).all())")
    page.keyboard.press("Shift+Enter")
    expect(notebook.locator(".jp-OutputArea-output", has_text="len ")).to_contain_text(
        f"len {ROWS_AGAIN} DataFrame True", timeout=30_000)
