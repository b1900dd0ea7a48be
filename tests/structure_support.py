"""Helpers shared by the structure tests (tests/test_structure_*.py)."""
from __future__ import annotations

from checker.model import LEVELS, PARTS, Document, Source
from checker.structure import build


def make(text: str, **fields: str) -> Document:
    return build(Source(path="x.txt", text=text, encoding="utf-8", sha256="0", fields=dict(fields)))


def assert_consistent(doc: Document) -> None:
    assert doc.text == doc.source.text
    index = 0
    last_end = 0
    for k, p in enumerate(doc.paragraphs):
        assert p.index == k
        assert doc.text[p.start:p.end] == p.text
        assert p.text == p.text.strip()
        assert p.start >= last_end
        last_end = p.end
        assert p.part in PARTS
        for s in p.sentences:
            assert s.index == index
            index += 1
            assert doc.text[s.start:s.end] == s.text
            assert p.start <= s.start < s.end <= p.end
        if p.heading is not None:
            assert p.kind == "heading"
            assert p.heading.paragraph == k
            assert p.heading.start == p.start and p.heading.end <= p.end
    for h in doc.headings:
        assert doc.paragraphs[h.paragraph].heading == h
    assert doc.meta.level in LEVELS + (None,)


def parts_of(doc: Document) -> list[str]:
    """The report's parts in order, one entry per run of paragraphs."""
    runs: list[str] = []
    for p in doc.paragraphs:
        if not runs or runs[-1] != p.part:
            runs.append(p.part)
    return runs


def para(doc: Document, startswith: str):
    found = [p for p in doc.paragraphs if p.text.startswith(startswith)]
    assert found, startswith
    return found[0]


HEADED = """青石镇人民政府关于2023年度法治政府建设情况的报告
县委、县政府：
2023年，青石镇在县委、县政府的领导下，深入推进依法行政，法治政府建设取得新进展。现将有关情况报告如下：
一、2023年度推进法治政府建设的主要举措和成效
（一）压实第一责任人职责。镇党委书记、镇长认真履行推进法治建设第一责任人职责，全年专题研究法治工作4次。我镇将法治建设纳入年度考核。
（二）规范行政执法
1．完善执法程序
全镇执法人员全部持证上岗，落实行政执法公示、执法全过程记录、重大执法决定法制审核制度。
（1）开展案卷评查
抽查案卷20件，发现问题3个，已全部整改。
（三）解决问题情况
针对群众反映的停车难问题，我镇依法完善了小区管理规约，并聘请法律顾问提供咨询。
二、存在的不足和原因
一是普法形式较为单一；二是执法力量不足。原因主要是基层法治人才缺乏。
三、2024年工作安排
下一步，我镇将继续推进法律顾问全覆盖，深化普法宣传和行政复议应诉工作。
特此报告。
青石镇人民政府
2024年1月15日
"""

