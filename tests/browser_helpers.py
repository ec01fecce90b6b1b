"""Helpers for the real-browser tests (tests/test_browser.py): Debian chromium + chromedriver driven by
Selenium, and a JupyterLab server started from the venv on a free loopback port, isolated from the
machine's Jupyter set-up (its own HOME, config, data, runtime and settings folders)."""
from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def find_chromium() -> tuple[str, str] | None:
    """(browser, driver) of Debian's chromium and chromium-driver, or None. They are installed
    before pytest starts (the set-up step of ``make test``); the tests never install anything."""
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver")
    return (browser, driver) if browser and driver else None


def make_driver(browser: str, driver: str, profile: Path, width: int = 1400, height: int = 1000):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    opts.binary_location = browser
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--no-first-run", "--no-default-browser-check", "--disable-extensions",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                f"--user-data-dir={profile}", f"--window-size={width},{height}", "--lang=en-US"):
        opts.add_argument(arg)
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    # an explicit driver path: Selenium Manager never tries to download a browser or driver
    drv = webdriver.Chrome(service=Service(executable_path=driver), options=opts)
    drv.set_page_load_timeout(60)
    return drv


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def isolated_env(home: Path, **extra: str) -> dict:
    """Environment for a Jupyter server that reads and writes nothing outside ``home``, and whose
    kernels show what a student's do: without pytest's variables (under ``PYTEST_CURRENT_TEST``
    ipykernel does not show what is written to file descriptor 2, where TensorFlow logs)."""
    env = dict(os.environ)
    for var in [k for k in env if k.startswith(("JUPYTER", "JPY_", "IPYTHON", "PYTEST_"))]:
        del env[var]
    settings = home / ".jupyter" / "lab" / "user-settings"
    env.update(
        HOME=str(home),
        JUPYTER_CONFIG_DIR=str(home / ".jupyter"),
        JUPYTER_DATA_DIR=str(home / ".local" / "share" / "jupyter"),
        JUPYTER_RUNTIME_DIR=str(home / "runtime"),
        JUPYTERLAB_SETTINGS_DIR=str(settings),
        JUPYTERLAB_WORKSPACES_DIR=str(home / ".jupyter" / "lab" / "workspaces"),
        IPYTHONDIR=str(home / ".ipython"),
        MPLCONFIGDIR=str(home / ".mplconfig"),
        PATH=str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", ""),
        PYTHONUNBUFFERED="1",
    )
    env.update(extra)
    # Lab settings: every cell in the DOM (no virtual scrolling), no news or update pop-ups.
    for plugin, values in {
        "@jupyterlab/notebook-extension/tracker": {"windowingMode": "none"},
        "@jupyterlab/apputils-extension/notification": {"fetchNews": "false", "checkForUpdates": False},
    }.items():
        path = settings / f"{plugin}.jupyterlab-settings"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values))
    return env


class JupyterServer:
    def __init__(self, proc: subprocess.Popen, port: int, token: str, log: Path):
        self.proc, self.port, self.token, self.log = proc, port, token, log

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def url(self, path: str) -> str:
        sep = "&" if "?" in path else "?"
        return f"{self.base}/{path.lstrip('/')}{sep}token={self.token}"

    def get_json(self, path: str):
        with urllib.request.urlopen(self.url(path), timeout=10) as resp:
            return json.loads(resp.read())


@contextmanager
def jupyter_lab(root: Path, home: Path, cwd: Path | None = None, env: dict | None = None, timeout: float = 90):
    """``jupyter lab`` from the venv, --no-browser, on a free loopback port with a random token."""
    port, token = free_port(), secrets.token_hex(16)
    home.mkdir(parents=True, exist_ok=True)
    log = home / "jupyter-server.log"
    cmd = [sys.executable, "-m", "jupyterlab", "--no-browser", f"--port={port}", "--ServerApp.ip=127.0.0.1",
           "--ServerApp.port_retries=0", f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}",
           "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate", "--ServerApp.open_browser=False"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        cmd.append("--allow-root")   # CI containers run as root
    with open(log, "wb") as fh:
        proc = subprocess.Popen(cmd, cwd=cwd or root, env=env or isolated_env(home), stdout=fh,
                                stderr=subprocess.STDOUT, start_new_session=True)
    server = JupyterServer(proc, port, token, log)
    try:
        deadline = time.monotonic() + timeout
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"jupyter lab exited ({proc.returncode}):\n{log.read_text()[-3000:]}")
            try:
                server.get_json("api/status")
                break
            except OSError as exc:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"jupyter lab did not answer in {timeout:.0f} s:\n{log.read_text()[-3000:]}") from exc
                time.sleep(0.3)
        yield server
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)   # the server and the kernels it started (own session)
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()


class Steps:
    """Wall-clock time of each named step of a scenario, printed at the end of the test."""

    def __init__(self, name: str):
        self.name, self.times, self._t = name, [], time.monotonic()
        self.started = self._t

    def done(self, step: str) -> None:
        now = time.monotonic()
        self.times.append((step, now - self._t))
        self._t = now

    def report(self) -> str:
        lines = [f"{self.name}: {time.monotonic() - self.started:.1f} s"]
        lines += [f"  {seconds:6.1f} s  {step}" for step, seconds in self.times]
        return "\n".join(lines)


def artifacts_dir(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("BROWSER_ARTIFACTS") or tmp_path / "browser-artifacts")
    folder.mkdir(parents=True, exist_ok=True)
    return folder
