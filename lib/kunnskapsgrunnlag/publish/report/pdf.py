"""PDF copies of the HTML reports (``kg run --pdf``), printed by headless Chromium.

Leaders attach PDFs to political case documents, so ``outputs/reports/<code>-<slug>.pdf`` is
printed beside each HTML report by the system's Chromium (Debian's ``chromium``; nothing is
downloaded at run time). The page's print stylesheet does the layout: A4, page numbers in the
bottom margin («3 / 41», CSS page-margin boxes), every chapter on a new page, figures, tables
and key-point boxes never split, the «Tall bak figuren» tools hidden. Chromium's own header and
footer (date, file URL) are turned off. The text is real text (searchable, copyable).

A missing browser is not an error of the run: the HTML reports are written as always, and one
message says how to install it (:data:`MISSING_BROWSER`). ``$KG_CHROMIUM`` names another browser.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from kunnskapsgrunnlag import paths

CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "/usr/bin/chromium")
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--no-pdf-header-footer",
)
TIMEOUT_S = 120

MISSING_BROWSER = (
    "kg run --pdf: fant ikke nettleseren Chromium, så PDF-ene ble ikke laget (HTML-rapportene er "
    "skrevet som vanlig). Installer den med «sudo apt-get install chromium» og kjør på nytt. "
    "/ Chromium was not found, so no PDFs were printed (the HTML reports are written); install "
    "it with `sudo apt-get install chromium` and run again."
)


def find_browser() -> str | None:
    """The Chromium to print with: ``$KG_CHROMIUM``, else the first on ``PATH``; ``None``."""
    given = os.environ.get("KG_CHROMIUM")
    if given:
        return given if Path(given).is_file() and os.access(given, os.X_OK) else None
    for name in CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return None


def print_pdf(html_path: Path, pdf_path: Path, browser: str) -> None:
    """Print *html_path* to *pdf_path* (atomically: the old PDF stays if printing fails).

    Raises:
        RuntimeError: Chromium failed or wrote no PDF (its last error line is in the message).
    """
    pdf_path = Path(pdf_path)
    with tempfile.TemporaryDirectory(prefix="kg-pdf-") as tmp:
        tmp_pdf = Path(tmp) / "report.pdf"
        args = [browser, *FLAGS, f"--user-data-dir={tmp}/profile", f"--print-to-pdf={tmp_pdf}",
                Path(html_path).resolve().as_uri()]  # fmt: skip
        try:
            proc = subprocess.run(
                args, capture_output=True, text=True, timeout=TIMEOUT_S, check=False
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise RuntimeError(f"{html_path}: Chromium could not print it ({exc})") from None
        if not tmp_pdf.is_file() or tmp_pdf.read_bytes()[:5] != b"%PDF-":
            last = (proc.stderr.strip().splitlines() or ["no output"])[-1]
            raise RuntimeError(
                f"{html_path}: Chromium wrote no PDF (exit {proc.returncode}: {last})"
            )
        paths.atomic_write_bytes(pdf_path, tmp_pdf.read_bytes())


def print_reports(html_paths: Sequence[Path], jobs: int = 2) -> tuple[list[Path], list[str]]:
    """Print each HTML report to a PDF beside it, *jobs* at a time.

    Returns:
        The PDFs written and the errors (one line each; :data:`MISSING_BROWSER` alone when there
        is no browser).
    """
    browser = find_browser()
    if browser is None:
        return [], [MISSING_BROWSER]
    done: list[Path] = []
    errors: list[str] = []

    def one(html_path: Path) -> None:
        pdf = Path(html_path).with_suffix(".pdf")
        try:
            print_pdf(html_path, pdf, browser)
            done.append(pdf)
        except RuntimeError as exc:
            errors.append(str(exc))

    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        list(pool.map(one, html_paths))
    return sorted(done), errors
