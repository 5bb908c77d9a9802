"""PNG screenshots of a graph page with Playwright driving the system's Chromium.

Never downloads a browser: it uses ``KG_CHROMIUM`` or /usr/bin/chromium (Debian's), with
networking switched off, and waits until the page says its layout has settled.
"""

from __future__ import annotations

import logging
import os
import shutil
from pathlib import Path

from kg.errors import ConfigError, ExportError

__all__ = ["chromium_path", "CHROMIUM_ARGS", "screenshot"]

log = logging.getLogger(__name__)

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]


def chromium_path() -> str | None:
    """The Chromium executable to drive, or None when there is none."""
    env = os.environ.get("KG_CHROMIUM")
    if env:
        return env if Path(env).exists() else None
    for candidate in ("/usr/bin/chromium", "/usr/bin/chromium-browser"):
        if Path(candidate).exists():
            return candidate
    return shutil.which("chromium") or shutil.which("chromium-browser")


def screenshot(html_path: str | Path, png_path: str | Path, width: int = 1400,
               height: int = 900, timeout: float = 60.0) -> Path:
    """Open ``html_path`` in headless Chromium, wait for the graph to settle, save a PNG."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        raise ConfigError("screenshots need Playwright: pip install playwright "
                          "(kg uses the system Chromium, no browser download)") from None
    exe = chromium_path()
    if exe is None:
        raise ConfigError("no Chromium found; install it (apt-get install chromium) or set "
                          "KG_CHROMIUM to its path")
    src, out = Path(html_path).resolve(), Path(png_path)
    if not src.is_file():
        raise ExportError(f"no page at {src}; write one with `kg viz -o {src.name}` first")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=exe, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": width, "height": height})
            page.goto(src.as_uri())
            # an arrow function: a bare expression would be eval-ed, which the CSP forbids
            page.wait_for_function("() => window.kgGraph && window.kgGraph.settled === true",
                                   timeout=timeout * 1000)
            page.screenshot(path=str(out))
        finally:
            browser.close()
    log.info("screenshot %s", out)
    return out
