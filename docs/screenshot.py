"""Retake the README's screenshot: the demo park's chain map in Chinese, signed in as the park office.

    .venv/bin/python docs/screenshot.py [page path] [output.png]

Starts ``semipark demo`` in a throw-away data folder on a free port, drives Chromium (SEMIPARK_CHROMIUM,
default /usr/bin/chromium) at 1400 x 900 and stops the server again.
"""

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

DOCS = Path(__file__).resolve().parent
CHROMIUM = os.environ.get("SEMIPARK_CHROMIUM", "/usr/bin/chromium")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            urllib.request.urlopen(url, timeout=2).close()  # noqa: S310 - our own local server
            return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


def shoot(base: str, path: str, output: Path) -> None:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page(locale="zh-CN", viewport={"width": 1400, "height": 900})
        page.goto(f"{base}/login/")
        page.fill("input[name=username]", "office")
        page.fill("input[name=password]", "demo")
        page.click("button[type=submit]")
        page.wait_for_url(f"{base}/")
        page.goto(f"{base}{path}")
        page.wait_for_load_state("networkidle")
        page.wait_for_timeout(1500)  # let the charts finish their entry animation
        page.screenshot(path=str(output))
        browser.close()


def main(path: str = "/park/chain/", output: str = str(DOCS / "screenshot.png")) -> None:
    port = free_port()
    with tempfile.TemporaryDirectory() as data:
        env = {**os.environ, "SEMIPARK_DEMO": "1", "SEMIPARK_DATA_DIR": data}
        command = [sys.executable, "-m", "semipark", "demo", "--no-simulator", "--port", str(port)]
        server = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL)  # noqa: S603
        try:
            wait_for(f"http://127.0.0.1:{port}/login/")
            shoot(f"http://127.0.0.1:{port}", path, Path(output))
        finally:
            server.terminate()
            server.wait(timeout=30)
    print(f"{output}: {Path(output).stat().st_size} bytes")


if __name__ == "__main__":
    main(*sys.argv[1:])
