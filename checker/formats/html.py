"""Web pages: .html/.htm saved by a browser or by LibreOffice, and .mhtml (a browser's
"save as single file"). Text comes out one block per line; ``<br>`` and table rows are
lines, table cells are separated by tabs, and ``<pre>`` (LibreOffice's HTML export of a
text document puts the whole body in one) keeps its own line breaks.
"""
from __future__ import annotations

import re

from checker.errors import InputError

def html_to_text(markup: str) -> tuple[str, str]:
    """(text, page title) of an HTML page."""
    from checker.formats.htmltext import _Text  # html.parser only when a page is read

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
