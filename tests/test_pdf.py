"""``kg run --pdf``: a searchable A4 PDF beside each HTML report, printed by headless Chromium.

The PDF's text is read with pdf.js (``tools/pdftext.mjs``, pdfjs-dist from ``package.json``;
``npm ci``). Like the browser test, a missing Chromium or Node skips outside CI and fails in CI.
"""

from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from kunnskapsgrunnlag import paths
from kunnskapsgrunnlag.publish import report
from kunnskapsgrunnlag.publish.report import pdf
from test_report import RUN_INFO, executed_chapters, params_for
from test_runner import OK, run

pytestmark = pytest.mark.slow

PDFTEXT = paths.ROOT / "tools" / "pdftext.mjs"


def _need(what: str, ok: bool) -> None:
    if ok:
        return
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"the PDF test cannot run in CI: {what}")
    pytest.skip(what)


def pdf_pages(path: Path) -> list[str]:
    """The text of each page of the PDF at *path*."""
    _need("node or node_modules/pdfjs-dist is missing (npm ci)",
          bool(shutil.which("node")) and (paths.ROOT / "node_modules" / "pdfjs-dist").is_dir())  # fmt: skip
    proc = subprocess.run(["node", str(PDFTEXT), str(path)], capture_output=True, text=True,
                          timeout=120, check=True)  # fmt: skip
    return re.split(r"^--- page \d+\n", proc.stdout, flags=re.M)[1:]


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@pytest.fixture(scope="module")
def printed(tmp_path_factory) -> tuple[Path, Path]:
    _need("chromium is missing (apt-get install chromium)", pdf.find_browser() is not None)
    tmp = tmp_path_factory.mktemp("pdf")
    p = params_for("46")
    page = report.build_county_report(
        p, executed_chapters(tmp, "46"), tmp / f"{p.stem}.html", RUN_INFO
    )
    done, errors = pdf.print_reports([page])
    assert errors == []
    assert done == [page.with_suffix(".pdf")]
    return page, done[0]


def test_pdf_is_a4_with_every_heading_as_text_and_page_numbers(printed):
    page, out = printed
    raw = out.read_bytes()
    assert raw.startswith(b"%PDF-")
    boxes = {
        tuple(round(float(x)) for x in m)
        for m in re.findall(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", raw)
    }
    assert boxes == {(595, 842)}  # A4 in points
    pages = pdf_pages(out)
    text = _norm(" ".join(pages))
    headings = [_norm(html.unescape(re.sub(r"<[^>]+>", "", h)))
                for h in re.findall(r"<h[23][^>]*>(.*?)</h[23]>", page.read_text(encoding="utf-8"), re.S)]  # fmt: skip
    assert len(headings) > 8
    missing = [h for h in headings if h not in text]
    assert missing == []
    n = len(pages)
    assert n > 3
    assert (
        f"2 / {n}" in pages[1] and f"{n} / {n}" in pages[-1]
    )  # page numbers, not on the front page
    assert f"/ {n}" not in pages[0]
    assert "Tal bak figuren" not in text  # the download link is for the screen only


def test_a_missing_browser_gives_one_message_and_no_pdf(tmp_path, monkeypatch):
    monkeypatch.setenv("KG_CHROMIUM", str(tmp_path / "no-such-chromium"))
    page = tmp_path / "r.html"
    page.write_text("<!DOCTYPE html><title>x</title><h1>x</h1>", encoding="utf-8")
    done, errors = pdf.print_reports([page])
    assert done == [] and errors == [pdf.MISSING_BROWSER]
    assert "apt-get install chromium" in pdf.MISSING_BROWSER
    assert not page.with_suffix(".pdf").exists()


@pytest.mark.xdist_group("kg-run-kernels")
def test_kg_run_pdf_prints_beside_the_report_and_says_when_the_browser_is_missing(
    tmp_path, monkeypatch
):
    _need("chromium is missing (apt-get install chromium)", pdf.find_browser() is not None)
    result, _, stderr = run(tmp_path, [OK], ["46"], pdf=True)
    assert result.exit_code == 0, stderr
    html_path = tmp_path / "reports" / "46-vestland.html"
    out = html_path.with_suffix(".pdf")
    assert out.is_file()
    assert "Vestland fylkeskommune" in _norm(pdf_pages(out)[0])
    printed_at = out.stat().st_mtime_ns
    result, _, _ = run(tmp_path, [OK], ["46"], pdf=True)  # up to date: not printed again
    assert result.exit_code == 0 and out.stat().st_mtime_ns == printed_at

    out.unlink()
    monkeypatch.setenv("KG_CHROMIUM", str(tmp_path / "no-such-chromium"))
    result, stdout, _ = run(tmp_path, [OK], ["46"], pdf=True, force=True)
    assert result.exit_code == 1
    assert stdout.count(pdf.MISSING_BROWSER) == 1
    assert html_path.is_file() and not out.exists()
