"""HTML: one self-contained page to share a review (no network, no script).

Per report: a header (how the report was read), a chart of coverage by outline part, the
results table, what to add with hints, and the report's normalised text with every piece
of evidence highlighted; a row links to its evidence in the text and each highlight links
back to its row. A batch gets an index table linking to each report.

Everything that comes from a report (file name, body, title, reasons, notes, evidence,
the text) is untrusted and goes through ``html.escape``; rule data is escaped too. The
page carries a Content-Security-Policy that allows nothing but its own inline styles, so
even a mistake could not make it load anything.
"""
from __future__ import annotations

from html import escape
from pathlib import PurePath

from checker.pipeline import summarise
from checker.render import FINDING_SEVERITY_ZH, PART_ZH, SEVERITY_ZH, STATUS_ICON, STATUS_ZH, kind_zh, level_zh, to_fix
from checker.render.matrix import MARKS, verdict, why

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"
COLOURS = {"covered": "#2e7d32", "partial": "#f9a825", "missing": "#c62828", "waived": "#1565c0"}

CSS = """
:root { --fg:#1f2328; --muted:#59636e; --line:#d1d9e0; --bg:#ffffff; --soft:#f6f8fa;
  --covered:#2e7d32; --partial:#b07800; --missing:#c62828; --na:#6e7781; --waived:#1565c0; }
* { box-sizing: border-box; }
body { margin: 0; color: var(--fg); background: var(--bg); line-height: 1.6;
  font-family: system-ui, -apple-system, "Segoe UI", "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei",
  "Noto Sans CJK SC", "Source Han Sans SC", sans-serif; font-size: 15px; }
main { max-width: 1180px; margin: 0 auto; padding: 24px 28px 64px; }
h1 { font-size: 24px; margin: 0 0 4px; }
h2 { font-size: 21px; margin: 0 0 6px; }
h3 { font-size: 17px; margin: 28px 0 10px; padding-bottom: 4px; border-bottom: 1px solid var(--line); }
a { color: #0550ae; }
.muted, .id { color: var(--muted); }
.id { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; font-size: 12px; }
.page-head { border-bottom: 3px solid #0550ae; padding-bottom: 10px; margin-bottom: 20px; }
article.report { border-top: 1px solid var(--line); margin-top: 36px; padding-top: 20px; }
.report-head { display: flex; gap: 24px; justify-content: space-between; align-items: flex-start; flex-wrap: wrap; }
.report-head .doc-title { color: var(--muted); margin: 0 0 10px; }
dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: 2px 14px; margin: 0; font-size: 14px; }
dl.meta dt { color: var(--muted); }
dl.meta dd { margin: 0; }
dl.meta .why { color: var(--muted); font-size: 13px; }
.score { min-width: 210px; text-align: center; padding: 12px 18px; border: 1px solid var(--line);
  border-radius: 8px; background: var(--soft); }
.score .big { font-size: 34px; font-weight: 700; line-height: 1.1; }
.verdict { font-weight: 700; margin-top: 4px; }
.verdict.pass { color: var(--covered); } .verdict.fail { color: var(--missing); }
.counts { font-size: 13px; color: var(--muted); }
ul.notes { margin: 10px 0 0; padding-left: 20px; color: #7a4b00; font-size: 14px; }
table { border-collapse: collapse; width: 100%; font-size: 14px; }
th, td { border-bottom: 1px solid var(--line); padding: 6px 8px; text-align: left; vertical-align: top; }
thead th { background: var(--soft); position: sticky; top: 0; }
tr.group th { background: #eef3f9; font-weight: 600; }
tr.group .gc { float: right; font-weight: normal; color: var(--muted); }
td.num, th.num { text-align: right; white-space: nowrap; }
td.sev { white-space: nowrap; }
.cov { display: flex; align-items: center; gap: 6px; min-width: 170px; }
.cov svg { flex: 1; height: 12px; }
td.info { opacity: .55; }
.st { white-space: nowrap; font-weight: 600; }
.st.covered { color: var(--covered); } .st.partial { color: var(--partial); }
.st.missing { color: var(--missing); } .st.not_applicable { color: var(--na); font-weight: normal; }
.st.waived { color: var(--waived); }
tr.not_applicable td { color: var(--na); }
tr:target td { background: #fff4d6; }
blockquote { margin: 0; padding: 0 0 0 8px; border-left: 3px solid var(--line); }
blockquote b, .doc b.hit { background: #ffe08a; font-weight: 600; }
.where { color: var(--muted); font-size: 13px; }
.more a { font-size: 13px; margin-right: 6px; }
.msg { color: var(--muted); font-size: 13px; }
.waiver { color: var(--waived); font-size: 13px; }
.chart td { border: 0; padding: 3px 8px; }
.chart .label { width: 40%; }
.chart .bar { width: 45%; }
.chart svg { display: block; width: 100%; height: 16px; }
.chart .fig { white-space: nowrap; color: var(--muted); font-size: 13px; }
.legend span { margin-right: 14px; font-size: 13px; }
.legend i { display: inline-block; width: 12px; height: 12px; vertical-align: -1px; margin-right: 4px; }
ol.fixes li { margin-bottom: 8px; }
ol.fixes .hint { display: block; }
.doc { white-space: pre-wrap; overflow-wrap: anywhere; background: var(--soft); border: 1px solid var(--line);
  border-radius: 6px; padding: 16px 20px; font-size: 15px; line-height: 1.9;
  font-family: "Songti SC", "SimSun", "Noto Serif CJK SC", "Source Han Serif SC", serif; }
.doc mark { background: #dcecff; color: inherit; border-radius: 2px; }
a.ev { display: inline-block; font: 600 11px/16px system-ui, sans-serif; min-width: 16px; padding: 0 3px;
  margin-right: 2px; text-align: center; border-radius: 8px; background: #0550ae; color: #fff;
  text-decoration: none; vertical-align: 2px; scroll-margin-top: 40vh; }
a.ev:target { background: #d4380d; outline: 3px solid #ffb38a; }
tr[id] { scroll-margin-top: 40px; }
.error-row td { color: var(--missing); }
.err { color: var(--missing); font-weight: 600; }
.scroll { overflow-x: auto; }
table.index th, table.index td:nth-child(n+3) { white-space: nowrap; }
table.index td:nth-child(2) { overflow-wrap: anywhere; min-width: 8em; }
table.index .verdict .why { white-space: normal; min-width: 11em; }
nav.toc ol { columns: 2 18em; margin: 0; padding-left: 2.2em; font-size: 14px; }
nav.toc li { break-inside: avoid; }
nav.toc .fail { color: var(--missing); } nav.toc .pass { color: var(--covered); }
.verdict .why { color: var(--missing); font-size: 12px; font-weight: normal; }
/* narrow screens (800 px and less): one column head, names never squeezed to a character a line */
@media screen and (max-width: 900px) {
  main { padding: 12px 12px 40px; }
  .report-head { flex-direction: column; gap: 10px; }
  .score { min-width: 0; width: 100%; }
  table.results td:nth-child(3) { min-width: 9em; }
  table.results td:nth-child(4), table.results th:nth-child(4) { display: none; }
  .chart .label { width: 34%; }
  .cov { min-width: 110px; }
  table.index td, table.index th { padding: 4px 5px; }
}
/* A4 print: a page break before each report, headers repeated, no links' chrome, evidence kept */
@page { size: A4; margin: 14mm 12mm 16mm; }
@media print {
  body { font-size: 10.5pt; line-height: 1.5; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  main { max-width: none; padding: 0; }
  nav.toc, .more, .where a, a.ev { display: none; }
  a { color: inherit; text-decoration: none; }
  thead th { position: static; }
  thead { display: table-header-group; }
  tr, blockquote, .chart tr, ol.fixes li { break-inside: avoid; }
  h3 { break-after: avoid; }
  article.report { break-before: page; border-top: 0; margin-top: 0; padding-top: 0; }
  .scroll { overflow: visible; }
  table.index { font-size: 9pt; }
  table.index .cov { min-width: 70px; }
  table.index .verdict .why { min-width: 8em; }
  .doc { font-size: 10.5pt; line-height: 1.7; padding: 8px 10px; border-radius: 0; }
}
"""


def e(value) -> str:
    return escape("" if value is None else str(value), quote=True)


def _anchor(n: int, *parts: str) -> str:
    return "-".join([f"r{n}", *parts])


def _bar_svg(covered: int, partial: int, missing: int, waived: int = 0) -> str:
    total = covered + partial + missing + waived
    if not total:
        return '<svg viewBox="0 0 100 10" preserveAspectRatio="none" role="img" aria-label="无适用项"><rect width="100" height="10" fill="#e5e8eb"/></svg>'
    out, x = [], 0.0
    for status, count in (("covered", covered), ("partial", partial), ("waived", waived), ("missing", missing)):
        if count:
            w = 100 * count / total
            out.append(f'<rect x="{x:.3f}" width="{w:.3f}" height="10" fill="{COLOURS[status]}">'
                       f"<title>{STATUS_ZH[status]} {count}</title></rect>")
            x += w
    label = f"已覆盖 {covered}，部分 {partial}，缺失 {missing}" + (f"，已豁免 {waived}" if waived else "")
    return (f'<svg viewBox="0 0 100 10" preserveAspectRatio="none" role="img" aria-label="{e(label)}">'
            + "".join(out) + "</svg>")


def _counts(results) -> tuple[int, int, int, int]:
    scored = [r for r in results if r.severity != "info"]
    return tuple(sum(r.status == s for r in scored) for s in ("covered", "partial", "missing", "waived"))


def _groups(report) -> list[tuple[str, str, list]]:
    titles = {g["id"]: g["title"] for g in report.groups}
    order = {g["id"]: i for i, g in enumerate(report.groups)}
    grouped: dict[str, list] = {}
    for r in report.results:
        grouped.setdefault(r.group, []).append(r)
    return [(gid, titles.get(gid, gid or "其他"), rows) for gid, rows in
            sorted(grouped.items(), key=lambda kv: order.get(kv[0], len(order)))]


def _row_numbers(report) -> dict[str, int]:
    """Rule id → its row number in the results table (rows run in group order)."""
    rows = [r.id for _gid, _title, results in _groups(report) for r in results]
    return {rid: i for i, rid in enumerate(rows, start=1)}


def chart(report) -> str:
    rows = []
    for _gid, title, results in _groups(report):
        c, p, m, w = _counts(results)
        scored = c + p + m
        fig = f"{summarise(results).coverage:g}%" if scored else "不计分"
        rows.append(f'<tr><td class="label">{e(title)}</td><td class="bar">{_bar_svg(c, p, m, w)}</td>'
                    f'<td class="fig">{fig} · {c}/{scored} 已覆盖</td></tr>')
    legend = "".join(f'<span><i style="background:{COLOURS[s]}"></i>{STATUS_ZH[s]}</span>'
                     for s in ("covered", "partial", "missing", "waived"))
    return (f'<table class="chart">{"".join(rows)}</table>'
            f'<p class="legend">{legend}<span class="muted">提示级（info）内容不计分</span></p>')


# what an evidence sentence is (Evidence.kind), as a reviewer reads it
KIND_ZH = {"deed": "具体做法", "passing": "顺带提及", "heading": "标题", "slogan": "口号式表述",
           "plan": "计划", "problem": "问题"}


def _quote(ev) -> str:
    """The evidence sentence with the matched words in bold."""
    text = ev.text
    s, t = ev.match_start - ev.start, ev.match_end - ev.start
    if ev.match and 0 <= s < t <= len(text):
        return f"{e(text[:s])}<b>{e(text[s:t])}</b>{e(text[t:])}"
    return e(text)


def _valid(ev, text: str | None) -> bool:
    """Evidence can be highlighted: its offsets point at its sentence in ``text``."""
    return bool(text) and 0 <= ev.start < ev.end <= len(text) and text[ev.start:ev.end] == ev.text


def results_table(report, n: int, text: str | None) -> str:
    out = ['<table class="results"><thead><tr><th class="num">#</th><th>状态</th><th>要素</th><th>要求</th>'
           '<th class="num">得分</th><th>位置 · 证据</th></tr></thead>']
    row_of = _row_numbers(report)
    for _gid, title, results in _groups(report):
        c, p, m, _w = _counts(results)
        out.append(f'<tbody><tr class="group"><th colspan="6">{e(title)}'
                   f'<span class="gc">{c}/{c + p + m} 已覆盖</span></th></tr>')
        for r in results:
            cells = []
            for k, ev in enumerate(r.evidence):
                link = _valid(ev, text)
                href = f'#{_anchor(n, "ev", r.id, str(k))}'
                if k == 0:
                    where = ev.section or PART_ZH.get(ev.part, "")
                    if where.split(" › ")[-1].strip() == ev.text.strip():
                        where = " › ".join(where.split(" › ")[:-1]) or PART_ZH.get(ev.part, "")
                    go = f' <a href="{e(href)}">原文 ↓</a>' if link else ""
                    kind = KIND_ZH.get(getattr(ev, "kind", ""), "")
                    badge = f' <span class="kind muted">［{e(kind)}］</span>' if kind else ""
                    cells.append(f'<div class="where">{e(where)}{go}{badge}</div><blockquote>{_quote(ev)}</blockquote>')
                elif link:
                    cells.append(f'<span class="more"><a href="{e(href)}" title="{e(ev.text)}">另见 {k + 1}</a></span>')
            if not r.evidence:
                cells.append('<span class="muted">—</span>')
            if r.message:
                cells.append(f'<div class="msg">{e(r.message)}</div>')
            for note in r.notes:
                cells.append(f'<div class="msg">※ {e(note)}</div>')
            if r.waiver:
                w = r.waiver
                who = f"，{e(w.get('by'))}" if w.get("by") else ""
                until = f"，有效至 {e(w.get('until'))}" if w.get("until") else ""
                was = STATUS_ZH.get(w.get("was", ""), "")
                cells.append(f'<div class="waiver">⊘ 已豁免（原为{e(was)}）：{e(w.get("reason"))}{who}{until}'
                             f'<span class="id"> {e(w.get("source", ""))}</span></div>')
            refs = f'<br><span class="id">{e(" ".join(r.refs))}</span>' if r.refs else ""
            score = "" if r.status == "not_applicable" else str(r.score)
            out.append(
                f'<tr id="{e(_anchor(n, "row", r.id))}" class="{e(r.status)}"><td class="num">{row_of[r.id]}</td>'
                f'<td><span class="st {e(r.status)}">{STATUS_ICON.get(r.status, "")} {e(STATUS_ZH.get(r.status, r.status))}</span></td>'
                f'<td>{e(r.title)}<br><span class="id">{e(r.id)}</span>{refs}</td>'
                f'<td class="sev">{e(SEVERITY_ZH.get(r.severity, r.severity))}</td><td class="num">{score}</td>'
                f'<td>{"".join(cells)}</td></tr>'
            )
        out.append("</tbody>")
    out.append("</table>")
    return "".join(out)


def fixes(report, n: int) -> str:
    items = to_fix(report)
    waived = [r for r in report.results if r.status == "waived"]
    if not items and not waived:
        return '<p class="muted">没有缺失或不完整的内容。</p>'
    out = []
    if items:
        out.append('<ol class="fixes">')
        for r in items:
            notes = "".join(f'<span class="msg">※ {e(x)}</span>' for x in r.notes)
            out.append(
                f'<li><span class="st {e(r.status)}">{e(STATUS_ZH[r.status])}</span>'
                f'（{e(SEVERITY_ZH.get(r.severity, r.severity))}）'
                f'<a href="#{e(_anchor(n, "row", r.id))}">{e(r.title)}</a>'
                f'<span class="hint">{e(r.hint) or "—"}</span>{notes}</li>'
            )
        out.append("</ol>")
    if waived:
        out.append('<p>已豁免：' + "；".join(
            f'<a href="#{e(_anchor(n, "row", r.id))}">{e(r.title)}</a>（{e((r.waiver or {}).get("reason"))}）'
            for r in waived) + "</p>")
    return "".join(out)


def highlighted_text(report, n: int, text: str) -> str:
    """The normalised text with each evidence sentence in <mark>, matched words in <b>, and
    a numbered badge at the start of each piece of evidence linking back to its row."""
    row_of = _row_numbers(report)
    sentences: list[tuple[int, int]] = []
    hits: list[tuple[int, int]] = []
    badges: dict[int, list[str]] = {}
    for r in report.results:
        for k, ev in enumerate(r.evidence):
            if not _valid(ev, text):
                continue
            sentences.append((ev.start, ev.end))
            if ev.match and 0 <= ev.match_start < ev.match_end <= len(text):
                hits.append((ev.match_start, ev.match_end))
            badges.setdefault(ev.start, []).append(
                f'<a class="ev" id="{e(_anchor(n, "ev", r.id, str(k)))}" href="#{e(_anchor(n, "row", r.id))}" '
                f'title="{e(r.title)}（{e(STATUS_ZH.get(r.status, r.status))}）">{row_of.get(r.id, "?")}</a>'
            )
    cuts = sorted({0, len(text), *badges, *(x for span in sentences + hits for x in span)})
    out = []
    for a, b in zip(cuts, cuts[1:]):
        out.extend(badges.get(a, []))
        piece = e(text[a:b])
        if any(s <= a and b <= t for s, t in hits):
            piece = f'<b class="hit">{piece}</b>'
        if any(s <= a and b <= t for s, t in sentences):
            piece = f"<mark>{piece}</mark>"
        out.append(piece)
    out.extend(badges.get(len(text), []))
    return f'<div class="doc" lang="zh-CN">{"".join(out)}</div>'


def report_section(report, n: int, text: str | None) -> str:
    label, _style = verdict(report)
    name = report.body or PurePath(report.file).name
    if report.error:
        return (f'<article class="report" id="r{n}"><h2>{e(PurePath(report.file).name)}</h2>'
                f'<p class="err">{e(label)}：{e(report.error)}</p></article>')
    s = report.summary
    meta = [
        ("文件", e(report.file)),
        ("文本类型", f'{e(kind_zh(report))} <span class="why">{e(report.kind_reason)}</span>'),
        ("报告主体", e(report.body or "未识别")),
        ("层级", f'{e(level_zh(report.level))} <span class="why">{e(report.level_reason)}</span>'),
        ("报告年度", f'{e(report.year or "未识别")} <span class="why">{e(report.year_reason)}</span>'),
        ("检查依据", f'{e(report.profile_title)} <span class="why">{e(report.profile_reason)}</span>'),
    ]
    if report.date:
        meta.append(("成文日期", e(report.date)))
    meta.append(("文件编码", f'{e(report.encoding)} <span class="id">sha256 {e(report.sha256)}</span>'))
    dl = "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in meta)
    notes = "".join(f"<li>{e(x)}</li>" for x in report.notes)
    counts = (f"已覆盖 {s.covered} · 部分 {s.partial} · 缺失 {s.missing} · 不适用 {s.not_applicable}"
              + (f" · 已豁免 {s.waived}" if s.waived else ""))
    passed = s.exit_status == 0
    why = f"{s.errors_failing} 项必备要素缺失或不完整" if s.errors_failing else ("" if passed else "覆盖率低于门槛")
    body = [
        f'<article class="report" id="r{n}">',
        '<div class="report-head"><div>',
        f'<h2>{e(name)}</h2><p class="doc-title">{e(report.title or "")}</p><dl class="meta">{dl}</dl>',
        f'<ul class="notes">{notes}</ul>' if notes else "",
        '</div><div class="score">',
        f'<div class="big">{s.coverage}%</div><div class="muted">覆盖率</div>',
        f'<div class="verdict {"pass" if passed else "fail"}">{e(label)}（退出码 {s.exit_status}）</div>',
        f'<div class="counts">{e(why)}</div>' if why else "",
        f'<div class="counts">{counts}</div></div></div>',
        f"<h3>按纲要部分的覆盖情况</h3>{chart(report)}",
        f"<h3>检查结果</h3>{results_table(report, n, text)}",
        f"<h3>需要补充</h3>{fixes(report, n)}",
    ]
    body.append(findings_section(report, text))  # 形式审查
    if text:
        body.append('<h3>报告正文 <span class="muted" style="font-size:13px;font-weight:normal">'
                    "（规范化后的文本；蓝底为证据句，黄底为匹配的词，编号对应结果表的行）</span></h3>")
        body.append(highlighted_text(report, n, text))
    body.append("</article>")
    return "".join(body)


FINDING_COLOUR = {"error": "#c62828", "warning": "#b26a00", "info": "#555"}


def _finding_context(f, text: str | None) -> str:
    """The finding's line with its span highlighted (red, struck) and the suggested text."""
    if not text or not (0 <= f.start <= f.end <= len(text)) or text[f.start:f.end] != f.text or not f.text:
        return f'<q>{e(f.text[:120])}</q>' if f.text else ""
    a = text.rfind("\n", 0, f.start) + 1
    b = text.find("\n", f.end)
    b = len(text) if b < 0 else b
    a, b = max(a, f.start - 60), min(b, f.end + 60)
    fix = (f'<ins style="background:#e6f4ea;text-decoration:none">{e(f.replacement)}</ins>'
           if f.replacement is not None else "")
    return (f'{"…" if a < f.start - 59 else ""}{e(text[a:f.start])}'
            f'<mark class="lint" style="background:#fde2e1;color:#a50e0e">{e(text[f.start:f.end])}</mark>{fix}'
            f'{e(text[f.end:b])}{"…" if b < len(text) and b == f.end + 60 else ""}')


def findings_section(report, text: str | None) -> str:
    """形式审查: every finding with its place highlighted and the suggested replacement."""
    findings = getattr(report, "findings", None) or []
    if not findings:
        return '<h3>形式审查</h3><p class="muted">未发现形式问题。</p>'
    rows = []
    for f in findings:
        sev = "已豁免" if f.waiver else FINDING_SEVERITY_ZH.get(f.severity, f.severity)
        colour = "#1565c0" if f.waiver else FINDING_COLOUR.get(f.severity, "#555")
        where = e(f.section or (f"第 {f.paragraph + 1} 段" if f.paragraph is not None else ""))
        related = "".join(f'<br><span class="muted">↳ {e(r.get("body") or r.get("file", ""))} 第 {e(r.get("line", "?"))} 行</span>'
                          for r in f.related[:5])
        rows.append(f'<tr class="finding {e(f.severity)}"><td style="color:{colour};white-space:nowrap">{e(sev)}</td>'
                    f'<td>{e(f.message)}<br><span class="muted">{e(f.check)} · {where}</span></td>'
                    f'<td lang="zh-CN">{_finding_context(f, text)}{related}</td><td>{e(f.fix)}</td></tr>')
    return ('<h3>形式审查</h3><table class="findings"><thead><tr><th>级别</th><th>问题</th><th>原文</th>'
            f'<th>改法</th></tr></thead><tbody>{"".join(rows)}</tbody></table>')


def index_table(reports, columns) -> str:
    head = "".join(f'<th title="{e(title)}">{MARKS[i]}</th>' for i, (_rid, title) in enumerate(columns))
    out = [f'<table class="index"><thead><tr><th class="num">#</th><th>报告</th><th>主体</th><th>层级</th>'
           f'<th>年度</th>{head}<th>覆盖率</th><th>结果</th></tr></thead><tbody>']
    for n, report in enumerate(reports, start=1):
        label, _ = verdict(report)
        link = f'<a href="#r{n}">{e(PurePath(report.file).name)}</a>'
        if report.error:
            out.append(f'<tr class="error-row"><td class="num">{n}</td><td>{link}</td>'
                       f'<td colspan="{3 + len(columns) + 1}">{e(report.error)}</td><td>{e(label)}</td></tr>')
            continue
        by_id = {r.id: r for r in report.results}
        marks = "".join(
            f'<td class="st {e(by_id[rid].status)}{" info" if by_id[rid].severity == "info" else ""}" '
            f'title="{e(STATUS_ZH[by_id[rid].status])}">{STATUS_ICON[by_id[rid].status]}</td>'
            if rid in by_id else "<td>·</td>"
            for rid, _ in columns
        )
        s = report.summary
        out.append(
            f'<tr><td class="num">{n}</td><td>{link}</td><td>{e(report.body or "未识别")}</td>'
            f"<td>{e(level_zh(report.level))}</td><td>{e(report.year or '—')}</td>{marks}"
            f'<td><div class="cov">{_bar_svg(*_counts(report.results))}'
            f'<span class="fig">{s.coverage}%</span></div></td>'
            f'<td class="verdict {"pass" if s.exit_status == 0 else "fail"}">{e(label)}'
            + (f'<div class="why">{e(why(report, short=True))}</div>' if s.exit_status else "") + "</td></tr>"
        )
    out.append("</tbody></table>")
    keys = "；".join(f"{MARKS[i]} {e(title)}" for i, (_rid, title) in enumerate(columns))
    out.append(f'<p class="muted" style="font-size:13px">{keys}</p>')
    return "".join(out)


TOC_FROM = 5  # a batch this long gets a table of contents


def toc(reports) -> str:
    """目录: each report by body (or file name) with its verdict, linking to its section."""
    items = []
    for n, report in enumerate(reports, start=1):
        label, _ = verdict(report)
        cls = "pass" if report.summary.exit_status == 0 else "fail"
        items.append(f'<li><a href="#r{n}">{e(report.body or PurePath(report.file).name)}</a> '
                     f'<span class="{cls}">{e(label)}</span></li>')
    return f'<nav class="toc" aria-label="目录"><h3>目录</h3><ol>{"".join(items)}</ol></nav>'


def render(reports, texts=None, columns=(), config: str | None = None, **_opts) -> str:
    """``texts``: the normalised text of each report (aligned with ``reports``; None to leave
    the text out); ``columns``: (id, title) of the named rules for the batch index."""
    from checker import __version__

    reports = list(reports)
    texts = list(texts) if texts is not None else [None] * len(reports)
    one = len(reports) == 1
    title = (f"{reports[0].body or PurePath(reports[0].file).name}：法治政府建设年度报告检查" if one
             else f"法治政府建设年度报告检查：{len(reports)} 份报告")
    parts = [
        "<!DOCTYPE html>",
        '<html lang="zh-CN"><head><meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f'<meta name="generator" content="checker {e(__version__)}">',
        f"<title>{e(title)}</title><style>{CSS}</style></head><body><main>",
        f'<header class="page-head"><h1>{e(title)}</h1>'
        f'<p class="muted">checker {e(__version__)} · 依据《法治政府建设实施纲要》和'
        f"《法治政府建设与责任落实督察工作规定》第二十五条"
        + (f" · 配置文件：{e(config)}" if config else "") + "</p></header>",
    ]
    if not one:
        parts.append(f'<section id="index"><h3>报告一览</h3><div class="scroll">{index_table(reports, list(columns))}'
                     f"</div></section>")
    if len(reports) >= TOC_FROM:
        parts.append(toc(reports))
    for n, (report, text) in enumerate(zip(reports, texts), start=1):
        parts.append(report_section(report, n, text))
    parts.append("</main></body></html>\n")
    return "\n".join(parts)
