"""Web pages: .html/.htm saved by a browser or by LibreOffice, and .mhtml (a browser's
"save as single file"). Text comes out one block per line; ``<br>`` and table rows are
lines, table cells are separated by tabs, and ``<pre>`` (LibreOffice's HTML export of a
text document puts the whole body in one) keeps its own line breaks.
"""
from __future__ import annotations

import re
from html.parser import HTMLParser

from checker.errors import InputError

_BLOCK_TAGS = frozenset(
    "address article aside blockquote br dd div dl dt fieldset figcaption figure footer form h1 h2 h3 h4 h5 h6 "
    "header hr li main nav ol p pre section table tbody thead tfoot tr ul caption".split()
)
_SKIP_TAGS = frozenset({"script", "style", "noscript", "template", "head", "svg", "iframe", "object"})
_KEEP_SPACE = frozenset({"pre", "textarea", "listing", "plaintext", "xmp"})


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0
        self.pre = 0
        self.in_title = False
        self.title: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "title":
            self.in_title = True
        elif tag in _SKIP_TAGS:
            self.skip += 1
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")
        elif tag in ("td", "th"):
            self.parts.append("\t")
        if tag in _KEEP_SPACE:
            self.pre += 1

    def handle_startendtag(self, tag, attrs):
        if tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag == "title":
            self.in_title = False
        elif tag in _SKIP_TAGS:
            self.skip = max(0, self.skip - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")
        if tag in _KEEP_SPACE:
            self.pre = max(0, self.pre - 1)

    def handle_data(self, data):
        if self.in_title:
            self.title.append(data)
        elif not self.skip:
            self.parts.append(data.replace("\r\n", "\n") if self.pre else re.sub(r"[ \t\r\n]+", " ", data))


def html_to_text(markup: str) -> tuple[str, str]:
    """(text, page title) of an HTML page."""
    parser = _Text()
    try:
        parser.feed(markup)
        parser.close()
    except Exception:  # noqa: BLE001
        raise InputError("暂不支持此网页文件 (HTML)，请复制正文为 .txt") from None
    text = "".join(parser.parts)
    lines = [re.sub(r"^[ \t]+|[ \t]+$", "", line) for line in text.split("\n")]
    text = "\n".join(line for line in lines if line)  # one block, one line
    title = " ".join("".join(parser.title).split())
    return text, title


def mhtml_html(raw: bytes) -> str:
    """The HTML part of an MHTML file, decoded by its declared charset."""
    import email
    from email import policy

    try:
        message = email.message_from_bytes(raw, policy=policy.default)
    except Exception:  # noqa: BLE001
        raise InputError("无法读取 MHTML 网页文件：格式不正确") from None
    for part in message.walk():
        if part.get_content_type() == "text/html":
            payload = part.get_payload(decode=True) or b""
            charset = part.get_content_charset() or "utf-8"
            if charset.lower().replace("-", "") in ("gb2312", "gbk", "cp936", "x936"):
                charset = "gb18030"
            try:
                return payload.decode(charset, errors="replace")
            except LookupError:
                return payload.decode("utf-8", errors="replace")
    raise InputError("MHTML 网页文件中没有 HTML 正文")
