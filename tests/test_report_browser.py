"""A county report and the portal as a reader's browser shows them (headless Chromium, offline).

Uses Debian's Chromium (``/usr/bin/chromium``) through playwright. Skipped when Chromium is
missing, except in CI (``CI=true``), where a missing browser is a failure.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

from kunnskapsgrunnlag import contents
from kunnskapsgrunnlag.publish import report
from kunnskapsgrunnlag.publish.report.shell import DOC_TITLE_LOWER

pytestmark = pytest.mark.slow

CHROMIUM = "/usr/bin/chromium"
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOT = Path(tempfile.gettempdir()) / "kg-report-46-vestland.png"


def _browser_or_skip():
    missing = None
    if not Path(CHROMIUM).is_file():
        missing = f"{CHROMIUM} is missing (apt-get install -y chromium)"
    else:
        try:
            from playwright.sync_api import sync_playwright  # noqa: F401
        except ImportError:
            missing = "python playwright is not installed"
    if missing:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"browser test cannot run in CI: {missing}")
        pytest.skip(missing)
    from playwright.sync_api import sync_playwright

    return sync_playwright


@pytest.fixture(scope="module")
def browser():
    sync_playwright = _browser_or_skip()
    with sync_playwright() as pw:  # playwright gives the browser a fresh temporary profile
        b = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        try:
            yield b
        finally:
            b.close()


def _open(browser, path: Path):
    """Open *path*; return (page, list of requests to anything but file: and data:)."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    outside: list[str] = []

    def route(r):
        url = r.request.url
        if url.startswith(("file:", "data:")):
            r.continue_()
        else:
            outside.append(url)
            r.abort()

    page.route("**/*", route)
    page.goto(path.as_uri(), wait_until="load")
    return page, outside


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    from test_report import RUN_INFO, executed_chapters, params_for

    tmp = tmp_path_factory.mktemp("browser")
    reports = tmp / "reports"
    entries = []
    for code in ("46", "03"):
        p = params_for(code)
        path = report.build_county_report(
            p, executed_chapters(tmp, code), reports / f"{p.stem}.html", RUN_INFO
        )
        entries.append({"params": p, "status": "ok", "report": path, "headline": []})
    portal = report.build_portal(entries, reports / "index.html", RUN_INFO)
    return {"46": entries[0]["report"], "03": entries[1]["report"], "portal": portal}


def test_report_renders_offline_with_contents_and_every_figure(browser, built):
    page, outside = _open(browser, built["46"])
    try:
        assert outside == []
        assert page.title() == f"Vestland fylkeskommune – {DOC_TITLE_LOWER}"
        assert page.evaluate("document.documentElement.lang") == "nn"
        toc = page.locator("nav.kg-toc")
        assert toc.locator("h2").inner_text() == "Innhald"
        links = toc.locator("a")
        assert links.count() >= 10
        for i in range(links.count()):
            target = links.nth(i).get_attribute("href")
            assert page.locator(target).count() == 1, target
        n = len(contents.chapters(available_only=False))  # one figure in each chapter
        imgs = page.locator("main img")
        assert imgs.count() == n
        for i in range(imgs.count()):
            img = imgs.nth(i)
            img.scroll_into_view_if_needed()
            assert img.evaluate("el => el.complete && el.naturalWidth > 0")
            assert img.is_visible()
            box = img.bounding_box()
            assert box and box["width"] > 300 and box["height"] > 100
        captions = page.locator("figure.kg-figure .kg-number").all_inner_texts()
        assert captions == [f"Figur {i}." for i in range(1, n + 1)]  # numbered across chapters
        # Numbers in tables are right-aligned.
        align = page.locator("table.kg-data td.num").first.evaluate(
            "el => getComputedStyle(el).textAlign"
        )
        assert align == "right"
        # The page is laid out for reading: a measure of at most ~60em.
        width = page.locator(".kg-page").evaluate("el => el.getBoundingClientRect().width")
        assert width <= 1100
        page.evaluate("window.scrollTo(0, 0)")
        page.screenshot(path=str(SCREENSHOT), full_page=False)
    finally:
        page.close()


def test_clicking_a_contents_link_scrolls_to_the_chapter(browser, built):
    page, outside = _open(browser, built["03"])
    try:
        page.locator("nav.kg-toc a", has_text="Fylkeskommunen i KOSTRA").click()
        page.wait_for_function("location.hash === '#kostra'")
        top = page.locator("#kostra").evaluate("el => el.getBoundingClientRect().top")
        assert abs(top) < 50
        assert outside == []
    finally:
        page.close()


def test_portal_renders_offline_and_links_open(browser, built):
    page, outside = _open(browser, built["portal"])
    try:
        assert page.title() == "Regionalt kunnskapsgrunnlag for fylkene"
        cards = page.locator("li.kg-card")
        assert cards.count() == 2
        page.locator("li.kg-card a", has_text="Vestland").click()
        page.wait_for_load_state("load")
        assert page.title().startswith("Vestland fylkeskommune")
        assert outside == []
    finally:
        page.close()


def test_print_layout_starts_each_chapter_on_a_new_page(browser, built):
    page, _ = _open(browser, built["46"])
    try:
        page.emulate_media(media="print")
        breaks = page.locator("section.kg-chapter-section").evaluate_all(
            "els => els.map(el => getComputedStyle(el).breakBefore)"
        )
        assert breaks == ["page"] * len(contents.chapters(available_only=False))
        inside = page.locator("figure.kg-figure").first.evaluate(
            "el => getComputedStyle(el).breakInside"
        )
        assert inside == "avoid"
        assert page.locator(".kg-skip").evaluate("el => getComputedStyle(el).display") == "none"
        pdf = page.pdf(format="A4")
        assert pdf[:4] == b"%PDF" and len(pdf) > 50_000
    finally:
        page.close()


AXE = Path(__file__).resolve().parents[1] / "node_modules" / "axe-core" / "axe.min.js"


def _axe_serious(page) -> list[str]:
    """axe-core's serious and critical violations on *page* (every «Tall bak figuren» opened)."""
    if not AXE.is_file():
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{AXE} is missing (npm ci)")
        pytest.skip(f"{AXE} is missing (npm ci)")
    page.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")
    page.evaluate(AXE.read_text(encoding="utf-8"))  # evaluated by the test, not loaded by the page
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes'][:3]]}"
        for v in result["violations"]
        if v["impact"] in {"serious", "critical"}
    ]


@pytest.mark.parametrize("which", ["46", "03", "portal"])
def test_axe_finds_no_serious_or_critical_violation(browser, built, which):
    page, outside = _open(browser, built[which])
    try:
        assert _axe_serious(page) == []
        assert outside == []
    finally:
        page.close()


def test_figure_data_downloads_as_csv_offline_under_the_csp(browser, built, tmp_path):
    page, outside = _open(browser, built["46"])
    try:
        figure = page.locator("figure.kg-figure").first
        link = figure.locator("a.kg-csv")
        assert link.inner_text() == "Tal bak figuren"
        with page.expect_download() as info:
            link.click()
        download = info.value
        assert download.suggested_filename.endswith(".csv")
        target = tmp_path / download.suggested_filename
        download.save_as(target)
        text = target.read_text(encoding="utf-8-sig")
        rows = [r.split(";") for r in text.splitlines()]
        table = figure.locator("details.kg-figure-table")
        assert not table.locator("table").is_visible()  # closed until asked for
        table.locator("summary").click()
        header = table.locator("thead th").all_inner_texts()
        assert rows[0] == header
        assert len(rows) - 1 == table.locator("tbody tr").count()
        assert outside == []
    finally:
        page.close()
