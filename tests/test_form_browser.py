"""The form in a real JupyterLab, driven by headless Chromium through Playwright.

The test starts its own JupyterLab on 127.0.0.1 (free port, fresh config, data, runtime
and settings folders, a random token), opens a copy of ``notebooks/form.ipynb``, runs it,
fills the form, clicks Generate and checks the preview table and the kernel's variable;
then where errors appear (under the button that caused them, the stale result dimmed),
that the preview is the one thing that scrolls sideways, Regenerate from an edited schema
(pressed from the keyboard) and "save as CSV" writing one file however often it runs.
It stops the server (and its kernel) afterwards.

Screenshots of each step are kept as test artefacts in ``build/test-artifacts/form-browser/``
(or ``$SYNTH_TEST_ARTIFACTS/form-browser/``): form.png, generate-error.png,
regenerate-error.png, regenerated.png, saved.png and lab.png (the whole page at the end).

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
ARTIFACTS = Path(os.environ.get("SYNTH_TEST_ARTIFACTS") or ROOT / "build" / "test-artifacts") / "form-browser"
WIDE = ("users with uuid, username, full name, email, phone, country, city, street address, signup date, "
        "last login, plan, verified flag and churned flag")
# Elements of the form that scroll sideways right now (overflow-x auto/scroll and content wider)
SCROLLING = """form => [...form.querySelectorAll('*')].filter(e => {
    const s = getComputedStyle(e);
    return (s.overflowX === 'auto' || s.overflowX === 'scroll') && e.scrollWidth > e.clientWidth + 1;
}).map(e => e.className)"""
DEBUG = """form => [...form.querySelectorAll('*')].filter(e => {
    const s = getComputedStyle(e);
    return (s.overflowX === 'auto' || s.overflowX === 'scroll') && e.scrollWidth > e.clientWidth + 1;
}).map(e => e.className + ' ' + e.scrollWidth + '/' + e.clientWidth + ' :: ' +
   [...e.children].map(c => c.className + '=' + c.scrollWidth + '/' + c.offsetWidth).join(' | '))"""
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


def test_form_generates_in_jupyterlab(lab: Lab) -> None:
    from playwright.sync_api import sync_playwright

    shutil.rmtree(ARTIFACTS, ignore_errors=True)
    ARTIFACTS.mkdir(parents=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.set_default_timeout(30_000)
            console: list[str] = []
            page.on("console", lambda msg: console.append(f"{msg.type}: {msg.text}"))
            page.goto(f"{lab.url}/lab/tree/form.ipynb?token={lab.token}")
            try:
                _run_form(page, lab)
            except Exception:
                print("browser console:", *console[-40:], sep="\n")
                raise
            finally:
                page.screenshot(path=str(ARTIFACTS / "lab.png"))
        finally:
            browser.close()
    for name in ("form", "generate-error", "regenerate-error", "regenerated", "saved", "lab"):
        assert (ARTIFACTS / f"{name}.png").stat().st_size > 0, name


def _run_form(page: Page, lab: Lab) -> None:
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
    form.screenshot(path=str(ARTIFACTS / "form.png"))

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

    _errors_next_to_their_button(page, form)
    _save_writes_one_file(form, lab)

    # the variable exists in the kernel: add a cell below and print from it
    notebook.locator(".jp-Cell").last.locator(".jp-InputPrompt").click()
    page.keyboard.press("Escape")
    page.keyboard.press("b")
    page.keyboard.press("Enter")
    page.keyboard.type("print('len', len(tx), type(tx).__name__, 'username' in tx.columns)")  # the last run's
    page.keyboard.press("Shift+Enter")
    expect(notebook.locator(".jp-OutputArea-output", has_text="len ")).to_contain_text(
        f"len {ROWS_AGAIN} DataFrame True", timeout=30_000)


def _below(upper, lower) -> float:
    """Pixels from the bottom of ``upper`` to the top of ``lower`` (both visible)."""
    a, b = upper.bounding_box(), lower.bounding_box()
    assert a and b
    return b["y"] - (a["y"] + a["height"])


def _opacity(locator) -> float:
    return float(locator.evaluate("e => getComputedStyle(e).opacity"))


def _errors_next_to_their_button(page: Page, form) -> None:
    from playwright.sync_api import expect

    generate, regenerate = form.locator("button.synth-generate"), form.locator("button.synth-regenerate")
    preview, summary = form.locator(".synth-preview"), form.locator(".synth-summary")

    # a wide table in a narrow window: the preview's own box is the one thing that scrolls sideways
    page.set_viewport_size({"width": 900, "height": 1000})
    form.locator(".synth-description textarea").fill(WIDE)
    form.locator(".synth-rows input").fill("3")
    form.locator(".synth-rows input").press("Tab")
    generate.click()
    expect(form.locator(".synth-preview table.synth-preview-table tbody tr")).to_have_count(3, timeout=30_000)
    assert form.evaluate(SCROLLING) == ["synth-preview-scroll"], form.evaluate(DEBUG)
    cell_output = form.locator("xpath=ancestor::div[contains(@class, 'jp-OutputArea-output')][1]")
    assert cell_output.evaluate("e => e.scrollWidth <= e.clientWidth + 1"), "the cell scrolls as well"
    uuid_cell = form.locator(".synth-preview tbody tr td").first
    one_line = "e => { const r = document.createRange(); r.selectNodeContents(e); return r.getClientRects().length; }"
    assert uuid_cell.evaluate(one_line) == 1, "the UUID wraps"

    # Generate's error: right under Generate, the stale result dimmed
    form.locator(".synth-rows input").fill("lots")
    form.locator(".synth-rows input").press("Tab")
    generate.click()
    message = form.locator(".synth-messages .synth-message")
    expect(message).to_contain_text("rows must be a whole number")
    assert 0 <= _below(generate, message) < 40
    expect(preview).to_have_class(re.compile(r"\bsynth-stale\b"))
    assert _opacity(preview) < 0.6 and _opacity(summary) < 0.6
    form.screenshot(path=str(ARTIFACTS / "generate-error.png"))
    form.locator(".synth-rows input").fill(str(ROWS))
    form.locator(".synth-rows input").press("Tab")

    # Regenerate's error, pressed from the keyboard: right under Regenerate, none under Generate
    schema = form.locator(".synth-schema textarea")
    good = schema.input_value()
    fits = ("e => e.scrollHeight <= e.clientHeight + 2"
            " || e.offsetHeight + 1 >= parseFloat(getComputedStyle(e).maxHeight)")  # or as tall as allowed
    assert schema.evaluate(fits), "the schema area is smaller than its text"
    schema.fill("title: broken\ncolumns:\n  amount: no_such_type\n")
    regenerate.focus()
    page.keyboard.press("Enter")
    schema_message = form.locator(".synth-schema-messages .synth-message")
    expect(schema_message).to_contain_text("no_such_type")
    expect(message).to_have_count(0)
    assert 0 <= _below(regenerate, schema_message) < 40
    assert _opacity(preview) < 0.6
    schema_message.scroll_into_view_if_needed()
    form.screenshot(path=str(ARTIFACTS / "regenerate-error.png"))

    # Regenerate from an edited schema: the new rows, no message, nothing dimmed
    schema.fill(re.sub(r"(?m)^  username: ", "  handle: ", good))
    regenerate.focus()
    page.keyboard.press("Enter")
    expect(form.locator(".synth-preview table th", has_text="handle").first).to_be_visible(timeout=30_000)
    expect(summary).to_contain_text("schema from text")
    expect(schema_message).to_have_count(0)
    expect(preview).not_to_have_class(re.compile(r"\bsynth-stale\b"))
    assert _opacity(preview) == 1
    form.screenshot(path=str(ARTIFACTS / "regenerated.png"))
    page.set_viewport_size({"width": 1400, "height": 1000})


def _save_writes_one_file(form, lab: Lab) -> None:
    from playwright.sync_api import expect

    generate = form.locator("button.synth-generate")
    form.locator(".synth-save input[type=checkbox]").check()
    path = form.locator(".synth-path input")
    expect(path).to_be_enabled()
    for rows in (ROWS, ROWS_AGAIN):
        form.locator(".synth-rows input").fill(str(rows))
        form.locator(".synth-rows input").press("Tab")
        generate.click()
        expect(form.locator(".synth-summary")).to_contain_text(f"{rows} rows × ", timeout=30_000)
        expect(form.locator(".synth-summary")).to_contain_text("saved to ")
    name = path.input_value()
    assert name.endswith(".csv"), name
    form.locator("button.synth-regenerate").click()
    expect(form.locator(".synth-summary")).to_contain_text("schema from text", timeout=30_000)
    assert [p.name for p in lab.root.glob("*.csv")] == [name]  # one file, written three times
    assert len((lab.root / name).read_text().splitlines()) == ROWS_AGAIN + 1
    form.screenshot(path=str(ARTIFACTS / "saved.png"))
    form.locator(".synth-save input[type=checkbox]").uncheck()
