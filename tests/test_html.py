"""The HTML report: self-contained, everything from a report escaped, every evidence
linked both ways, and — in headless Chromium — rendered with no console error and no
network request. Screenshots go to tests/artifacts/ (gitignored)."""
from __future__ import annotations

import base64
import fcntl
import json
import os
import re
import select
import shutil
import subprocess
import tempfile
import time
from html.parser import HTMLParser
from pathlib import Path

import pytest
from typer.testing import CliRunner

from checker import batch
from checker.cli import app
from checker.config import Resolver
from checker.render import html as html_r
from checker.render.matrix import named_columns

from conftest import CORPUS, REPO, SEEDS

runner = CliRunner()
ARTIFACTS = REPO / "tests" / "artifacts"
SAMPLE = CORPUS / "sample-county-2023.txt"
NO_THREE = CORPUS / "district-2024-no-three-systems.txt"
HOSTILE_NAME = 'x"><img src=x onerror=alert(1)>.txt'
HOSTILE_TEXT = """\
青禾县人民政府关于2023年度法治政府建设情况的报告<script>alert("title")</script>
一、2023年法治政府建设主要举措和成效
（一）全面推行行政执法公示、执法全过程记录、重大执法决定法制审核制度，全年公示执法信息1200余条。<img src=x onerror="alert('body')">
县长主持召开县政府常务会议3次研究法治政府建设</td></tr></table><style>body{display:none}</style>。
二、存在的不足和原因
一是普法宣传针对性不强。究其原因，一是部分干部法治意识不强&amp;<!-- 注释 -->。
三、2024年工作安排
继续深入推进法治政府建设，完善行政执法三项制度，加强法律顾问工作。
"""


def render_rows(auditor, paths) -> tuple[list, str]:
    rows = batch.run([str(p) for p in paths], auditor, Resolver(use_config=False))
    page = html_r.render([r.report for r in rows], texts=[r.text for r in rows], columns=named_columns(auditor.registry))
    return rows, page


class Page(HTMLParser):
    """What a page is made of: tags, ids, links, and, per report text box, its text (without
    the badges) and the character ranges inside <mark> (evidence) and <b> (matched words)."""

    def __init__(self, page: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.ids: set[str] = set()
        self.hrefs: list[str] = []
        self.doc_texts: list[str] = []
        self.marks: list[list[tuple[int, int]]] = []
        self.hits: list[list[tuple[int, int]]] = []
        self._depth = 0  # inside a .doc box
        self._badge = False
        self._open: dict[str, int] = {}
        self.feed(page)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.append((tag, a))
        if "id" in a:
            assert a["id"] not in self.ids, f"duplicate id {a['id']}"
            self.ids.add(a["id"])
        if "href" in a:
            self.hrefs.append(a["href"])
        if tag == "div" and a.get("class") == "doc":
            self._depth = 1
            self.doc_texts.append("")
            self.marks.append([])
            self.hits.append([])
        elif self._depth:
            self._depth += 1
            self._badge = self._badge or (tag == "a" and a.get("class") == "ev")
            if tag in ("mark", "b"):
                self._open[tag] = len(self.doc_texts[-1])

    def handle_endtag(self, tag):
        if not self._depth:
            return
        self._depth -= 1
        if tag == "a":
            self._badge = False
        if tag in ("mark", "b"):
            (self.marks if tag == "mark" else self.hits)[-1].append((self._open.pop(tag), len(self.doc_texts[-1])))

    def handle_data(self, data):
        if self._depth and not self._badge:
            self.doc_texts[-1] += data


def covered(ranges: list[tuple[int, int]], start: int, end: int) -> bool:
    return all(any(s <= i < e for s, e in ranges) for i in range(start, end))


def test_a_report_page_is_self_contained_and_links_evidence_both_ways(auditor):
    rows, page = render_rows(auditor, [NO_THREE])
    report, text = rows[0].report, rows[0].text
    p = Page(page)
    tags = {t for t, _ in p.tags}
    assert not tags & {"script", "link", "img", "iframe", "object", "embed", "base", "form"}
    assert not any(k == "src" or k.startswith("on") for _, a in p.tags for k in a)
    assert not any(v and "://" in v for _, a in p.tags for v in a.values())
    csp = next(a["content"] for t, a in p.tags if t == "meta" and a.get("http-equiv") == "Content-Security-Policy")
    assert "default-src 'none'" in csp
    # every link is inside the page and lands somewhere
    assert p.hrefs and all(h.startswith("#") and h[1:] in p.ids for h in p.hrefs)
    # a row per result; each piece of evidence is anchored in the text and links back to its row
    for r in report.results:
        assert f"r1-row-{r.id}" in p.ids
        for k, ev in enumerate(r.evidence):
            assert f"r1-ev-{r.id}-{k}" in p.ids
            badge = next(a for t, a in p.tags if a.get("id") == f"r1-ev-{r.id}-{k}")
            assert badge["href"] == f"#r1-row-{r.id}"
    # the text box holds exactly the normalised text; every evidence sentence is highlighted
    # where its offsets say, and the matched words inside it are in bold
    assert p.doc_texts == [text]
    evidence = [ev for r in report.results for ev in r.evidence]
    assert evidence
    for ev in evidence:
        assert covered(p.marks[0], ev.start, ev.end)
        if ev.match:
            assert covered(p.hits[0], ev.match_start, ev.match_end)
    assert covered([(ev.start, ev.end) for ev in evidence], *p.marks[0][0])  # and nothing else is
    # missing items are listed with their hints
    missing = [r for r in report.results if r.status == "missing" and r.severity != "info"]
    assert missing and all(r.hint in page for r in missing if r.hint)
    assert "需要补充" in page and "按纲要部分的覆盖情况" in page


def test_everything_from_a_report_is_escaped(auditor, tmp_path):
    hostile = tmp_path / HOSTILE_NAME
    hostile.write_text(HOSTILE_TEXT, encoding="utf-8")
    rows, page = render_rows(auditor, [hostile, SAMPLE])
    assert rows[0].report.error is None and rows[0].report.results
    p = Page(page)
    assert not {t for t, _ in p.tags} & {"script", "img", "table"} - {"table"}
    assert sum(1 for t, a in p.tags if t == "table" and a.get("class") not in ("results", "chart", "index")) == 0
    assert sum(1 for t, _ in p.tags if t == "style") == 1  # only the page's own
    assert not any(k.startswith("on") for _, a in p.tags for k in a)
    assert "&lt;script&gt;alert(&quot;title&quot;)&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=&quot;alert(&#x27;body&#x27;)&quot;&gt;" in page
    assert "x&quot;&gt;&lt;img src=x onerror=alert(1)&gt;.txt" in page
    assert p.doc_texts[0] == rows[0].text  # the text survives escaping unchanged


def test_a_batch_page_has_an_index_linking_each_report(auditor, tmp_path):
    rows, page = render_rows(auditor, [SAMPLE, NO_THREE, tmp_path / "gone.txt"])
    p = Page(page)
    index = [a["href"] for t, a in p.tags if t == "a" and a.get("href", "").startswith("#r") and a["href"][2:].isdigit()]
    assert index == ["#r1", "#r2", "#r3"]
    assert {"r1", "r2", "r3", "index"} <= p.ids
    assert "无法读取：文件不存在" in page
    assert len(p.doc_texts) == 2  # the unreadable file has no text
    for n, row in enumerate(rows[:2], start=1):
        assert f"{row.report.summary.coverage}%" in page
        assert all(f"r{n}-row-{r.id}" in p.ids for r in row.report.results)


def test_html_from_the_command_line(tmp_path):
    out = tmp_path / "review.html"
    result = runner.invoke(app, ["audit", str(SAMPLE), str(NO_THREE), "--format", "html", "-o", str(out), "--no-config"])
    assert result.exit_code == 1
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and page.count('<article class="report"') == 2
    single = runner.invoke(app, ["audit", str(SAMPLE), "--format", "html", "--no-config"])
    assert single.exit_code == 0 and 'id="index"' not in single.stdout and "青岚县" in single.stdout


# --- in a real browser ------------------------------------------------------------------------

CHROMIUM = shutil.which("chromium") or ("/usr/bin/chromium" if os.path.exists("/usr/bin/chromium") else None)
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--remote-debugging-pipe"]


class Chromium:
    """Headless Chromium driven over the DevTools protocol on a pipe (fds 3 and 4), with
    only the standard library: no port, no websocket, no third-party driver."""

    def __init__(self, timeout: float = 60):
        self.timeout = timeout
        self.profile = tempfile.mkdtemp(prefix="checker-chromium-")
        self.log = tempfile.TemporaryFile()
        to_chrome, self._out = os.pipe()
        self._in, from_chrome = os.pipe()

        def child_fds():  # chromium reads commands on fd 3 and writes answers on fd 4
            a = fcntl.fcntl(to_chrome, fcntl.F_DUPFD, 10)
            b = fcntl.fcntl(from_chrome, fcntl.F_DUPFD, 10)
            os.dup2(a, 3)
            os.dup2(b, 4)

        self.proc = subprocess.Popen(
            [CHROMIUM, *FLAGS, f"--user-data-dir={self.profile}", "about:blank"],
            stdin=subprocess.DEVNULL, stdout=self.log, stderr=self.log, pass_fds=(3, 4), preexec_fn=child_fds,
        )
        os.close(to_chrome)
        os.close(from_chrome)
        self._buf = b""
        self._id = 0
        self.events: list[dict] = []

    def _message(self, deadline: float) -> dict:
        while b"\0" not in self._buf:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("chromium did not answer")
            ready, _, _ = select.select([self._in], [], [], left)
            if ready:
                chunk = os.read(self._in, 1 << 16)
                if not chunk:
                    raise EOFError("chromium closed the pipe")
                self._buf += chunk
        raw, self._buf = self._buf.split(b"\0", 1)
        return json.loads(raw)

    def send(self, method: str, params: dict | None = None, session: str | None = None) -> dict:
        self._id += 1
        msg = {"id": self._id, "method": method, "params": params or {}, **({"sessionId": session} if session else {})}
        os.write(self._out, json.dumps(msg).encode() + b"\0")
        deadline = time.monotonic() + self.timeout
        while True:
            m = self._message(deadline)
            if m.get("id") == self._id:
                if "error" in m:
                    raise RuntimeError(f"{method}: {m['error']}")
                return m.get("result", {})
            self.events.append(m)

    def wait_for(self, event: str, session: str, since: int) -> dict:
        """The first ``event`` of ``session`` among the events from index ``since`` on."""
        def wanted(m):
            return m.get("method") == event and m.get("sessionId") == session

        for m in self.events[since:]:
            if wanted(m):
                return m
        deadline = time.monotonic() + self.timeout
        while True:
            m = self._message(deadline)
            self.events.append(m)
            if wanted(m):
                return m

    def close(self) -> None:
        try:
            self.send("Browser.close")
        except Exception:
            pass
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        os.close(self._out)
        os.close(self._in)
        self.log.close()
        shutil.rmtree(self.profile, ignore_errors=True)


class Tab:
    def __init__(self, browser: Chromium, width: int = 1280, height: int = 2000):
        self.b = browser
        target = browser.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        self.s = browser.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        for domain in ("Page", "Runtime", "Log", "Network"):
            browser.send(f"{domain}.enable", session=self.s)
        browser.send("Emulation.setDeviceMetricsOverride",
                     {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False}, session=self.s)

    def open(self, url: str) -> None:
        since = len(self.b.events)
        self.b.send("Page.navigate", {"url": url}, session=self.s)
        self.b.wait_for("Page.loadEventFired", self.s, since)

    def js(self, expression: str):
        res = self.b.send("Runtime.evaluate", {"expression": expression, "returnByValue": True}, session=self.s)
        if "exceptionDetails" in res:
            raise AssertionError(f"{expression}: {res['exceptionDetails']}")
        return res["result"].get("value")

    def screenshot(self, path: Path) -> bytes:
        data = base64.b64decode(self.b.send("Page.captureScreenshot", {"format": "png"}, session=self.s)["data"])
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        return data

    def problems(self, page_url: str) -> list[str]:
        """Console errors and warnings, uncaught exceptions, log errors (CSP, network), and
        any request for something other than the page itself."""
        out = []
        for m in self.b.events:
            if m.get("sessionId") != self.s:
                continue
            method, params = m.get("method"), m.get("params", {})
            if method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "warning", "assert"):
                out.append(f"console.{params['type']}: {params.get('args')}")
            elif method == "Runtime.exceptionThrown":
                out.append(f"exception: {params['exceptionDetails'].get('text')}")
            elif method == "Log.entryAdded" and params["entry"]["level"] in ("error", "warning"):
                out.append(f"log {params['entry']['source']}: {params['entry']['text']}")
            elif method == "Network.requestWillBeSent" and params["request"]["url"].split("#")[0] != page_url:
                out.append(f"request: {params['request']['url']}")
        return out


@pytest.fixture(scope="module")
def browser():
    if CHROMIUM is None:
        pytest.skip("headless Chromium is not installed (Debian: apt-get install chromium)")
    b = Chromium()
    yield b
    b.close()


def _check_page(browser: Chromium, path: Path, shot: Path, rows) -> Tab:
    tab = Tab(browser)
    url = path.resolve().as_uri()
    tab.open(url)
    facts = tab.js("""JSON.stringify({
        title: document.title,
        rows: document.querySelectorAll('table.results tr[id]').length,
        reports: document.querySelectorAll('article.report').length,
        index: document.querySelectorAll('table.index tbody tr').length,
        brokenLinks: [...document.querySelectorAll('a[href]')].filter(a => !a.getAttribute('href').startsWith('#')
            || !document.getElementById(decodeURIComponent(a.getAttribute('href').slice(1)))).length,
        docHeight: Math.min(...[...document.querySelectorAll('.doc')].map(d => d.getBoundingClientRect().height)),
        bars: [...document.querySelectorAll('.chart svg rect')].filter(r => r.getBoundingClientRect().width > 0).length,
        width: document.documentElement.scrollWidth,
    })""")
    facts = json.loads(facts)
    readable = [r for r in rows if r.report.error is None]
    assert facts["reports"] == len(rows)
    assert facts["rows"] == sum(len(r.report.results) for r in readable)
    assert facts["index"] == (len(rows) if len(rows) > 1 else 0)
    assert facts["brokenLinks"] == 0
    assert facts["docHeight"] > 100 and facts["bars"] > 0
    assert facts["width"] <= 1280  # nothing overflows sideways
    tab.screenshot(shot)
    return tab


@pytest.mark.browser
def test_the_report_renders_in_chromium_without_errors(auditor, browser):
    paths = sorted(SEEDS.glob("*.txt")) if SEEDS.is_dir() else [SAMPLE, NO_THREE]
    rows, page = render_rows(auditor, paths)
    out = ARTIFACTS / "review.html"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(page, encoding="utf-8")
    tab = _check_page(browser, out, ARTIFACTS / "review.png", rows)
    assert tab.problems(out.resolve().as_uri()) == []
    # following an evidence link brings its highlight into view and marks it as the target
    first = next(r for r in rows[0].report.results if r.evidence)
    target = f"r1-ev-{first.id}-0"
    state = json.loads(tab.js(f"""location.hash = '#{target}';
        (() => {{ const t = document.querySelector(':target'); const r = t.getBoundingClientRect();
          return JSON.stringify({{id: t.id, top: r.top, inView: r.top >= 0 && r.bottom <= innerHeight,
                                  colour: getComputedStyle(t).backgroundColor}}); }})()"""))
    assert state["id"] == target and state["inView"]
    assert state["colour"] == "rgb(212, 56, 13)"  # the :target style, not the plain badge's
    tab.screenshot(ARTIFACTS / "review-evidence.png")
    png = (ARTIFACTS / "review.png").read_bytes()
    assert png.startswith(b"\x89PNG") and len(png) > 50_000


@pytest.mark.browser
def test_a_hostile_report_runs_nothing_in_chromium(auditor, browser, tmp_path):
    hostile = tmp_path / HOSTILE_NAME
    hostile.write_text(HOSTILE_TEXT, encoding="utf-8")
    rows, page = render_rows(auditor, [hostile])
    out = ARTIFACTS / "hostile.html"
    out.write_text(page, encoding="utf-8")
    tab = _check_page(browser, out, ARTIFACTS / "hostile.png", rows)
    # no alert, no injected element, no request, no CSP complaint: the markup stayed text
    assert tab.problems(out.resolve().as_uri()) == []
    assert tab.js("document.querySelectorAll('img, script, .doc style, .doc table').length") == 0
    assert tab.js("getComputedStyle(document.body).display") == "block"
    assert "<script>" in tab.js("document.querySelector('.doc').textContent")


# --- print (A4) and a narrow screen -------------------------------------------------------------


def _pdf_pages(data: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?![s\w])", data))


@pytest.mark.browser
def test_the_batch_prints_on_a4_with_a_page_per_report_and_nothing_clipped(auditor, browser, tmp_path):
    paths = [SAMPLE, NO_THREE, CORPUS / "street-2023-bare-statements.txt", CORPUS / "township-2022-causes.txt",
             CORPUS / "city-2022-dense.txt"]
    rows, page = render_rows(auditor, paths)
    out = ARTIFACTS / "print.html"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(page, encoding="utf-8")
    tab = Tab(browser, width=794, height=1123)  # A4 at 96 dpi
    tab.open(out.resolve().as_uri())
    assert tab.js("document.querySelectorAll('nav.toc li a').length") == len(paths)  # a long batch: a contents list
    browser.send("Emulation.setEmulatedMedia", {"media": "print"}, session=tab.s)
    clipped = json.loads(tab.js("""JSON.stringify([...document.querySelectorAll('main *')]
        .filter(el => getComputedStyle(el).display !== 'none' && el.scrollWidth > el.clientWidth + 1
                && getComputedStyle(el).overflowX !== 'visible')
        .map(el => el.tagName + '.' + el.className))"""))
    assert clipped == []
    assert tab.js("document.documentElement.scrollWidth <= innerWidth")
    assert tab.js("getComputedStyle(document.querySelector('nav.toc')).display") == "none"
    assert tab.js("getComputedStyle(document.querySelector('article.report')).breakBefore") == "page"
    pdf = base64.b64decode(browser.send("Page.printToPDF", {"preferCSSPageSize": True, "printBackground": True},
                                        session=tab.s)["data"])
    (ARTIFACTS / "print.pdf").write_bytes(pdf)
    pages = _pdf_pages(pdf)
    # each report starts a page after the index; each holds its text, so a few pages each
    assert len(paths) + 1 <= pages <= 12 * len(paths)
    box = re.search(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)", pdf)
    assert box and abs(float(box.group(1)) - 595.3) < 2 and abs(float(box.group(2)) - 841.9) < 2  # A4 in points
    # the evidence is kept: every highlighted sentence is still on the printed page
    assert tab.js("[...document.querySelectorAll('.doc mark')].every(m => m.getClientRects().length > 0)")


@pytest.mark.browser
def test_at_800_px_names_and_results_stay_readable(auditor, browser):
    rows, page = render_rows(auditor, [SAMPLE, NO_THREE])
    out = ARTIFACTS / "narrow.html"
    out.write_text(page, encoding="utf-8")
    tab = Tab(browser, width=800, height=1400)
    tab.open(out.resolve().as_uri())
    facts = json.loads(tab.js("""JSON.stringify({
        width: document.documentElement.scrollWidth,
        names: Math.min(...[...document.querySelectorAll('table.results td:nth-child(3)')]
                         .map(td => td.getBoundingClientRect().width)),
        status: Math.min(...[...document.querySelectorAll('table.results .st')].map(s => s.getBoundingClientRect().height)),
        line: parseFloat(getComputedStyle(document.querySelector('table.results .st')).lineHeight),
        bodies: Math.max(...[...document.querySelectorAll('table.index tbody td:nth-child(3)')]
                          .map(td => { const r = document.createRange(); r.selectNodeContents(td);
                                       return r.getBoundingClientRect().height; })),
        indexLine: parseFloat(getComputedStyle(document.querySelector('table.index td')).lineHeight),
    })"""))
    assert facts["width"] <= 800
    assert facts["names"] >= 9 * 14  # at least nine characters of a rule's name on a line
    assert facts["status"] <= facts["line"] * 1.5  # the status word on one line, not a character a line
    assert facts["bodies"] <= facts["indexLine"] * 1.5  # a body's name in the index on one line
    tab.screenshot(ARTIFACTS / "narrow-800.png")
