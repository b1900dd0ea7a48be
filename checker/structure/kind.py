"""What the text is: the annual rule-of-law-government report, or a text that sits next to it."""
from __future__ import annotations

import re
from typing import Sequence

from ..model import Paragraph
from .lexicon import CITED_TITLE_RE, _DOMAIN_TERMS, _KIND_END, _LEAD_TOPIC, _OTHER_KIND


def read_kind(text: str, paragraphs: Sequence[Paragraph], title: str | None) -> tuple[bool, str]:
    """(is_report, reason) from the title, the opening lines and the domain vocabulary."""
    terms = [t for t in _DOMAIN_TERMS if t in text]
    lead_src = ""
    if title and _LEAD_TOPIC.search(title):
        lead_src = "标题"
    else:
        lead_text = "".join(p.text for p in paragraphs if p.kind in ("body", "heading"))[:300]
        if _LEAD_TOPIC.search(lead_text):
            lead_src = "开头"
    is_report = (bool(lead_src) and len(terms) >= 3) or len(terms) >= 6
    shown = "、".join(terms[:6]) + ("等" if len(terms) > 6 else "")
    # what the document calls itself: its title, or short first lines that read as one
    # (an issuing office's name may stand above the title)
    candidates = [title] if title else []
    for p in paragraphs[:3]:
        line = p.text.strip()
        if len(line) <= 60 and not re.search(r"[。！？；]", line):
            candidates.append(line)
    other = None
    for line in candidates:
        outer = CITED_TITLE_RE.sub("", line)  # 关于印发《…法治建设工作要点》的通知: the kind is outside 《》
        m = _KIND_END.search(outer) if "报告" not in outer else None
        m = m or (_OTHER_KIND.search(outer) if not _LEAD_TOPIC.search(outer) else None)
        if m:
            other, heading_line = m, line
            break
    if other:
        # the title says what the document is: a legal-education summary, a government work
        # report, a notice … shares the vocabulary but is not the annual report
        is_report = False
        report_reason = f"标题“{heading_line}”表明这是另一类文件（{other.group(0)}），不是法治政府建设年度报告"
    elif is_report:
        report_reason = (f"{lead_src}提及法治政府建设；" if lead_src else "") + f"领域术语{len(terms)}个（{shown}）"
    else:
        report_reason = ("标题和开头未提及法治政府/依法行政/法治建设；" if not lead_src else "") + \
                        (f"领域术语仅{len(terms)}个" + (f"（{shown}）" if terms else ""))
    return is_report, report_reason
