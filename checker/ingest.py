"""Ingest: read a report file, detect its encoding, normalise its text.

``read(path) -> Source`` is the only entry point the pipeline needs; ``decode`` and
``normalise`` are public so tests and tools can use the two halves on their own.

What the text goes through, in this order (each step adds a Chinese note when it did
something):

1. line endings CRLF/CR (and U+2028/2029, form feed) -> LF;
2. HTML entities copied from page source (&nbsp; &ldquo; …) restored; zero-width
   characters and stray BOMs removed, NBSP and other fixed spaces -> space,
   full-width digits / Latin letters / ％＋－．／ and the ideographic space -> half-width
   (the full-width colon only between digits, as in １０：３０ -> 10:30; Chinese
   punctuation ，。（）、；：“” is left alone, later stages handle both widths);
3. pinyin left after traditional characters by some web pages (區(qū)) removed;
4. traditional script -> simplified with OpenCC t2s, only when the text reads as
   traditional;
5. web-page leftovers (navigation, metadata block, page chrome, repeated title, trailing
   link list) removed, their values kept in ``fields``;
6. trailing whitespace stripped (leading indentation kept), runs of 3+ blank lines -> one
   blank line, blank lines at the start and end dropped.

Heavy modules (opencc, python-docx, charset_normalizer) are imported lazily.
"""
from __future__ import annotations

import hashlib
import io
import os
import re
import unicodedata
from pathlib import Path

from checker import formats, recache
from checker.errors import InputError
from checker.formats import guard as _guard  # noqa: F401 - formats.guard used in read()
from checker.formats import html as _html  # noqa: F401 - formats.html used in read()
from checker.model import Source
from checker.structure.lexicon import NAV_PATTERN

__all__ = ["read", "decode", "normalise"]

MAX_BYTES = 20 * 1024 * 1024  # a report is well under 1 MB; refuse anything absurd


class _LazyRe:
    """A regex compiled on first use: the big character classes cost ~2 ms each to compile,
    and most runs need only a few of them."""

    __slots__ = ("_args", "_compiled")

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self._args = (pattern, flags)
        self._compiled: re.Pattern | None = None

    def __getattr__(self, name: str):
        if self._compiled is None:
            from checker import recache

            self._compiled = recache.compile(*self._args)
        return getattr(self._compiled, name)


# --- character tables -------------------------------------------------------------------

# A few hundred very common characters, simplified and traditional forms. Real Chinese
# prose has 80-90 % of its CJK characters in this set; mojibake (Big5 read as GB18030 or
# the reverse, GB text read as UTF-16) has a few percent.
_COMMON = frozenset(
    "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所"
    "民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日"
    "那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想"
    "已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指"
    "几九区强放决西被干做必战先回则任取据处队南给色光门即保治北造百规热领七海口东导器压志世金增争济阶油思术极交受联什认六共权"
    "收证改清己美再采转更单风切打白教速花带安场身车例真务具万每目至达走积示议声报斗完类八离华名确才科张信马节话米整空元况今集"
    "温传土许步群广石记需段研界拉林律叫且究观越织装影算低持音众书布复容儿须际商非验连断深难近矿千周委素技备半办青省列习响约支"
    "般史感劳便团往酸历市克何除消构府称太准精值号率族维划选标写存候毛亲快效斯院查江型眼王按格养易置派层片始却专状育厂京识适属"
    "圆包火住调满县局照参红细引听该铁价严龙飞依范执审监督责推落善健策诉讼普宣贯彻纪纠纷矛盾服营环境坚告足措施镇街息培训考核检"
    "察案庭负述职這爲個國時來們於對會發動過說產種後學經進電裏現實兩體機當點從業應開還義間樣與關線內數麼質氣變條沒結問無軍並題"
    "黨員總設長頭資邊級圖統較將組見計別論運農幾區強決幹戰則據處隊給門規熱領東導壓爭濟階術極聯認權證採轉單風帶場車務萬達積議聲"
    "報鬥類離華確張馬節話況溫傳許羣廣記觀織裝衆書復兒須際驗連斷難礦備辦習響約勞團歷構稱準號維劃選標寫親養層卻專狀廠識適屬圓調"
    "滿縣參紅細聽該鐵價嚴龍飛範執審監責訴訟貫徹紀糾紛營環堅鎮訓檢負職為裡眾戶衛匯畫佈噹鬆麵係繫製"
)

# Traditional forms of common characters that simplified text does not use (each one is
# changed by OpenCC t2s). Their share among CJK characters says "this text is traditional"
# without loading OpenCC for the (usual) simplified report.
_TRAD_ONLY = frozenset(
    "這爲個國時來們於對會發動過說產種後學經進電裏現實兩體機當點從業應開還義間樣與關線內數麼質氣變條沒結問無軍並題黨員總設長頭"
    "資邊級圖統較將組見計別論運農幾區強決幹戰則據處隊給門規熱領東導壓爭濟階術極聯認權證採轉單風帶場車務萬達積議聲報鬥類離華確"
    "張馬節話況溫傳許羣廣記觀織裝衆書復兒須際驗連斷難礦備辦習響約勞團歷構稱準號維劃選標寫親養層卻專狀廠識適屬圓調滿縣參紅細聽"
    "該鐵價嚴龍飛範執審監責訴訟貫徹紀糾紛營環堅鎮訓檢負職為裡眾戶衛匯畫佈噹鬆麵係繫製"
)
_TRAD_THRESHOLD = 0.02  # share of CJK characters; simplified reports score 0, traditional ~0.25

_CJK_RANGES = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CJK_CLASS = f"[{_CJK_RANGES}\U00020000-\U0003134f]"

# --- binary signatures ------------------------------------------------------------------

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP = (b"PK\x03\x04", b"PK\x05\x06")
_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "PNG 图片"),
    (b"\xff\xd8\xff", "JPEG 图片"),
    (b"GIF87a", "GIF 图片"),
    (b"GIF89a", "GIF 图片"),
    (b"%PDF-", "PDF 文件"),
    (b"\x1f\x8b", "gzip 压缩包"),
    (b"7z\xbc\xaf\x27\x1c", "7z 压缩包"),
    (b"Rar!\x1a\x07", "RAR 压缩包"),
    (b"\x7fELF", "可执行文件"),
    (b"II*\x00", "TIFF 图片"),
    (b"MM\x00*", "TIFF 图片"),
)

_BINARY_MSG = "看起来是二进制文件，不是文本报告"
_UNDECODABLE_MSG = "无法识别文本编码（请另存为 UTF-8 或 GB18030 文本后再检查）"
_DOC_MSG = "不支持旧版 .doc 格式，请另存为 .docx 后再检查"
_HTML_TAG = _LazyRe(r"\A(?:\s|\ufeff)*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html)\b", re.I | re.S)


# --- public API -------------------------------------------------------------------------


def read(path: str | os.PathLike) -> Source:
    """Read ``path`` (never written to), decode and normalise it."""
    from checker import limits

    shown = limits.shown(path)
    p = Path(path)
    # a regular file only (a FIFO or device would hang or never end), its size bounded
    # before it is read; the message is one line naming the path
    raw = limits.read_bounded(path, formats.guard.MAX_FILE_BYTES, what="")
    kind = formats.sniff(p, raw[:4096])
    if kind in ("text", "docx") and len(raw) > MAX_BYTES:
        raise InputError(f"文件过大（超过 {MAX_BYTES // (1024 * 1024)} MB），不像是一份年度报告 ({shown})")

    sha = hashlib.sha256(raw).hexdigest()
    if not raw.strip():
        raise InputError(f"文件为空 ({shown})")

    notes: list[str] = []
    fields: dict[str, str] = {}
    try:
        if kind not in ("text", "docx"):
            text, encoding, more, title = _read_format(p, kind, raw)
            notes += more
            if title:
                fields["网页标题"] = title
        elif raw.startswith(_ZIP):
            text, encoding, more = _read_docx(raw)
            notes += more
        elif raw.startswith(_OLE):
            raise InputError(_DOC_MSG)
        else:
            text, encoding, more = _decode(raw)
            notes += more
            if _HTML_TAG.match(text[:4096]):
                text, title = formats.html.html_to_text(text)
                notes.append("网页文件 (HTML)：已提取正文文字，去除标签")
                if title:
                    fields["网页标题"] = title
    except InputError as exc:
        raise InputError(f"{_one_line(str(exc))} ({shown})") from None

    if not text.strip():
        raise InputError(f"文件为空 ({shown})")
    text, more, found = normalise(text)
    notes += more
    for key, value in found.items():
        fields.setdefault(key, value)
    if not text.strip():
        raise InputError(f"文件为空：去除网页残留后没有正文 ({shown})")
    return Source(path=str(path), text=text, encoding=encoding, sha256=sha, notes=tuple(notes), fields=fields)


def _read_format(p: Path, kind: str, raw: bytes) -> tuple[str, str, list[str], str]:
    """A file for a reader in checker.formats: (text, encoding label, notes, page title)."""
    if kind == "office":
        from checker.formats import office

        if raw.startswith(_OLE) and office.is_encrypted_ooxml(raw):
            raise InputError("已加密：Office 文档设有打开密码，请提供未加密的文件")
        what = {".rtf": "RTF", ".odt": "ODF 文本", ".wps": "WPS"}.get(p.suffix.lower(), "Word 97-2003 (.doc)")
        text, _, more = _read_docx(office.convert(p))
        return text, p.suffix.lower().lstrip(".") or "doc", [f"{what} 文件：已用 LibreOffice 转换为 .docx 后读取", *more], ""
    if kind == "pdf":
        from checker.formats import pdf

        text, more = pdf.read_pdf(p)
        return text, "pdf", more, ""
    if kind == "image":
        from checker.formats import ocr

        text, more = ocr.read_image(p)
        return text, "ocr", more, ""
    if kind == "mhtml":
        text, title = formats.html.html_to_text(formats.html.mhtml_html(raw))
        return text, "mhtml", ["网页文件 (MHTML)：已提取正文文字，去除标签"], title
    if kind == "zip":
        raise InputError("这是压缩包：请用 checker audit 检查（压缩包内的文件会逐个检查）")
    raise InputError(_BINARY_MSG)


def decode(raw: bytes) -> tuple[str, str]:
    """Decode report bytes; return (text, encoding name). Raises InputError."""
    text, encoding, _ = _decode(raw)
    return text, encoding


def normalise(text: str) -> tuple[str, list[str], dict[str, str]]:
    """Normalise decoded text; return (text, Chinese notes, web metadata fields)."""
    notes: list[str] = []

    # 1. line endings
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        notes.append("已统一换行符（CRLF/CR → LF）")
    if _ODD_BREAKS.search(text):
        text = _ODD_BREAKS.sub("\n", text)

    # 2. entities copied from page source, invisible characters, spaces, full-width forms
    if "&" in text:
        import html  # here: its entity table is ~2 ms of a cold start, and most texts have no &…;

        text, n_entities = _ENTITY.subn(lambda m: html.unescape(m.group(0)), text)
        if n_entities:
            notes.append(f"已还原网页字符实体（如 &nbsp;）{n_entities} 处")
    n_zero = len(_ZERO_WIDTH.findall(text))
    if n_zero:
        text = _ZERO_WIDTH.sub("", text)
        notes.append(f"已删除零宽字符/BOM {n_zero} 个")
    n_ctrl = len(_CONTROLS.findall(text))
    if n_ctrl:  # bidi overrides reorder what a reader sees and split the words a rule looks for
        text = _CONTROLS.sub("", text)
        notes.append(f"已删除双向文字控制符等不可见控制字符 {n_ctrl} 个")
    n_space = len(_ODD_SPACES.findall(text))
    if n_space:
        text = _ODD_SPACES.sub(" ", text)
        notes.append(f"已将不间断空格等特殊空格转换为普通空格 {n_space} 个")
    text, n_wide = _half_width(text)
    if n_wide:
        notes.append(f"已将全角数字、字母、符号和空格转换为半角 {n_wide} 处")

    # 3. pinyin leftovers, before t2s (it follows the traditional character)
    text, n_pinyin = _remove_pinyin(text)
    if n_pinyin:
        notes.append(f"已删除繁体字后残留的拼音注音 {n_pinyin} 处")

    # 4. traditional -> simplified
    if _looks_traditional(text):
        converted = _t2s(text)
        if converted != text:
            text = converted
            notes.append("原文为繁体字，已转换为简体")

    # 5. web-page leftovers
    lines = text.split("\n")
    lines, fields, web_note = _strip_web(lines)
    if web_note:
        notes.append(web_note)

    # 6. whitespace
    lines = [line.rstrip() for line in lines]
    text = "\n".join(lines)
    text = recache.sub(r"\n{4,}", "\n\n", text)
    text = text.strip("\n")
    return text, notes, fields


# --- decoding ---------------------------------------------------------------------------


def _decode(raw: bytes) -> tuple[str, str, list[str]]:
    if not raw.strip():
        raise InputError("文件为空")

    # BOMs: deterministic
    if raw.startswith(b"\xef\xbb\xbf"):
        return _strict(raw, "utf-8-sig", "utf-8-sig"), "utf-8-sig", []
    if raw.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        return _strict(raw, "utf-32", "utf-32"), "utf-32", []
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _strict(raw, "utf-16", "utf-16"), "utf-16", []

    if raw.startswith(_OLE):
        raise InputError(_DOC_MSG)
    if raw.startswith(_ZIP):
        raise InputError(f"{_BINARY_MSG}（压缩包或 Office 文件；Word 文件请用 .docx）")
    for magic, what in _MAGIC:
        if raw.startswith(magic):
            raise InputError(f"{_BINARY_MSG}（{what}）")

    # NUL bytes: BOM-less UTF-16, or binary
    if b"\x00" in raw:
        text = _bomless_utf16(raw)
        if text is None:
            raise InputError(_BINARY_MSG)
        return text, "utf-16", ["未带 BOM 的 UTF-16 文本，已按 UTF-16 读取"]

    controls = len(raw) - len(raw.translate(None, _CONTROL_BYTES))
    if controls > max(2, len(raw) // 100):
        raise InputError(_BINARY_MSG)

    # strict UTF-8: by far the most common case, and unambiguous
    try:
        return raw.decode("utf-8"), "utf-8", []
    except UnicodeDecodeError as exc:
        utf8_error = exc

    # a file cut in the middle of its last character
    if utf8_error.reason == "unexpected end of data" and utf8_error.start >= len(raw) - 3:
        try:
            return raw[: utf8_error.start].decode("utf-8"), "utf-8", ["文件末尾有不完整的字符，已忽略"]
        except UnicodeDecodeError:
            pass

    # GB18030 vs Big5 (and UTF-16 without NULs): both often decode without error, so
    # score the decoded text by its share of common characters.
    candidates: list[tuple[float, str, str]] = []
    for codec, name in (("gb18030", "gb18030"), ("big5", "big5"), ("cp950", "big5")):
        if name == "big5" and any(n == "big5" for _, n, _ in candidates):
            continue
        try:
            text = raw.decode(codec)
        except UnicodeDecodeError:
            continue
        candidates.append((_score(text), name, text))
    if len(raw) % 2 == 0:
        for codec in ("utf-16-le", "utf-16-be"):
            try:
                text = raw.decode(codec)
            except UnicodeDecodeError:
                continue
            candidates.append((_score(text) - 0.05, "utf-16", text))  # needs a clear lead
    candidates.sort(key=lambda c: c[0], reverse=True)

    if candidates and candidates[0][0] >= 0.35:
        best = candidates[0]
        close = [c for c in candidates[1:] if c[1] != best[1] and best[0] - c[0] < 0.05]
        if close:
            chosen = _ask_charset_normalizer(raw)
            for cand in [best, *close]:
                if chosen == cand[1]:
                    best = cand
                    break
        return best[2], best[1], []

    # mostly valid UTF-8 Chinese with a few broken bytes (copied from the web)
    text = raw.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    if bad <= max(3, len(raw) // 1000) and _score(text) >= 0.35:
        return text, "utf-8", [f"有 {bad} 处无法按 UTF-8 解码的字节，已替换为 �"]

    chosen = _ask_charset_normalizer(raw, any_encoding=True)
    if chosen:
        try:
            text = raw.decode(chosen)
        except (UnicodeDecodeError, LookupError):
            text = ""
        # accept the guess only for Chinese text, or text that is nearly all ASCII anyway
        # (charset-normalizer will happily call random bytes EBCDIC)
        if text and _bad_share(text) < 0.01 and (_score(text) >= 0.35 or _ascii_share(text) >= 0.9):
            return text, chosen, [f"编码不常见，按 {chosen} 读取"]

    gb_big5 = [c for c in candidates if c[1] != "utf-16"]
    if gb_big5 and gb_big5[0][0] >= 0.1 and _bad_share(gb_big5[0][2]) < 0.01:
        return gb_big5[0][2], gb_big5[0][1], []
    raise InputError(_UNDECODABLE_MSG)


_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 12, 13, 11, 27))


def _strict(raw: bytes, codec: str, name: str) -> str:
    try:
        return raw.decode(codec)
    except UnicodeDecodeError:
        raise InputError(f"{_UNDECODABLE_MSG}：带 {name} 标记，但内容不是有效的 {name}") from None


def _bomless_utf16(raw: bytes) -> str | None:
    if len(raw) % 2:
        return None
    even = raw[0::2].count(0)
    odd = raw[1::2].count(0)
    if even + odd == 0:
        return None
    order = ("utf-16-le", "utf-16-be") if odd >= even else ("utf-16-be", "utf-16-le")
    if max(even, odd) < 0.8 * (even + odd):
        return None
    for codec in order:
        try:
            text = raw.decode(codec)
        except UnicodeDecodeError:
            continue
        if _bad_share(text) < 0.01 and "\x00" not in text and (_score(text) >= 0.35 or _ascii_share(text) >= 0.9):
            return text
    return None


_BAD_RE = _LazyRe("[\x00-\x08\x0e-\x1a\x1c-\x1f\x7f-\x9f\ufffd\ue000-\uf8ff\ud800-\udfff]")
# characters outside the blocks a Chinese report is made of: checked one by one
_UNUSUAL_RE = _LazyRe("[^\x00-\x7f\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]")


def _bad_share(text: str) -> float:
    """Share of characters no text report contains: controls, U+FFFD, private use, unassigned."""
    if not text:
        return 1.0
    bad = len(_BAD_RE.findall(text))
    bad += sum(1 for ch in _UNUSUAL_RE.findall(text) if unicodedata.category(ch) == "Cn")
    return bad / len(text)


def _ascii_share(text: str) -> float:
    return 1 - len(_NON_ASCII_RE.findall(text)) / max(1, len(text))


def _score(text: str) -> float:
    """Share of non-ASCII characters that are common Chinese characters or punctuation,
    less a penalty for characters no Chinese report contains (mojibake tells)."""
    non_ascii = len(_NON_ASCII_RE.findall(text))
    if not non_ascii:
        return 0.0
    good = len(_COMMON_RE.findall(text))
    bad = len(_MOJIBAKE_RE.findall(text))
    return (good - 3 * bad) / non_ascii


_COMMON_PUNCT = "，。、；：？！“”‘’（）《》【】—…·「」『』〔〕"
_NON_ASCII_RE = _LazyRe(r"[^\x00-\x7f]")
_COMMON_RE = _LazyRe("[" + "".join(sorted(_COMMON)) + _COMMON_PUNCT + "]")
# replacement char, private use, Hangul syllables, C1 controls
_MOJIBAKE_RE = _LazyRe("[\ufffd\ue000-\uf8ff\uac00-\ud7af\x80-\x9f]")


def _ask_charset_normalizer(raw: bytes, any_encoding: bool = False) -> str | None:
    """charset-normalizer's guess, mapped to our names; None when it has none."""
    try:
        from charset_normalizer import from_bytes
    except ImportError:  # pragma: no cover - it is a declared dependency
        return None
    try:
        best = from_bytes(raw[:65536]).best()
    except Exception:  # noqa: BLE001 - a guesser must never crash ingest
        return None
    if best is None:
        return None
    enc = (best.encoding or "").lower().replace("-", "_")
    mapping = {
        "gb18030": "gb18030", "gbk": "gb18030", "gb2312": "gb18030", "cp936": "gb18030",
        "big5": "big5", "cp950": "big5", "big5hkscs": "big5",
        "utf_16": "utf-16", "utf_16_le": "utf-16", "utf_16_be": "utf-16", "utf_8": "utf-8",
    }
    if enc in mapping:
        return mapping[enc]
    return enc if any_encoding else None


# --- docx -------------------------------------------------------------------------------


def _read_docx(raw: bytes) -> tuple[str, str, list[str]]:
    import zipfile

    from checker import limits

    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as zf:
            names = set(zf.namelist())
            limits.check_zip(zf)  # a zip bomb is refused from its directory, before unzipping
    except (zipfile.BadZipFile, OSError, ValueError):
        raise InputError(f"{_BINARY_MSG}（损坏的压缩包）") from None
    if "word/document.xml" not in names:
        raise InputError(f"{_BINARY_MSG}（压缩包或 Office 文件，不是 .docx）")
    try:
        import docx  # python-docx
        from docx.table import Table
        from docx.text.paragraph import Paragraph

        document = docx.Document(io.BytesIO(raw))
        lines: list[str] = []
        numbered = 0
        tables = 0
        numbering = _Numbering(document)
        changes = [0, 0]  # insertions counted, deletions dropped
        for element in _body_blocks(document.element.body):
            if element.tag == _W_TBL:
                tables += 1
                lines.extend(_table_lines(Table(element, document)))
                continue
            paragraph = Paragraph(element, document)
            label = numbering.label(paragraph)
            if label:
                numbered += 1
            lines.append(label + _paragraph_text(element, changes))
    except InputError:
        raise
    except Exception as exc:  # noqa: BLE001 - a broken file must end with one line
        raise InputError(f"无法读取 .docx 文件：文件已损坏或格式不正确（{exc.__class__.__name__}）") from None
    notes = ["Word 文档 (.docx)：已按文档顺序读取正文段落" + ("和表格（每行一行，单元格以制表符分隔）" if tables else "")]
    if numbered:
        notes.append(f"有 {numbered} 个段落使用 Word 自动编号，已按编号格式还原到文字中（如“一、”）")
    if any(changes):
        notes.append(
            f"文档含未接受的修订：{changes[0]} 处插入已计入正文，{changes[1]} 处删除未计入；请作者接受或拒绝修订后再定稿"
        )
    return "\n".join(lines), "docx", notes


_W_PREFIX = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_W_T, _W_TAB, _W_BR, _W_CR = _W_PREFIX + "t", _W_PREFIX + "tab", _W_PREFIX + "br", _W_PREFIX + "cr"
_W_INS, _W_DEL, _W_MOVE_FROM, _W_MOVE_TO = _W_PREFIX + "ins", _W_PREFIX + "del", _W_PREFIX + "moveFrom", _W_PREFIX + "moveTo"
_W_PPR, _W_RPR = _W_PREFIX + "pPr", _W_PREFIX + "rPr"
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"


def _paragraph_text(p, changes: list[int]) -> str:
    """A paragraph's text as it reads with tracked changes accepted: insertions (and
    moved-to text) kept, deletions (and moved-from text) dropped; comments, which live
    outside the body, never appear. ``changes`` counts [insertions, deletions]."""
    parts: list[str] = []

    def walk(el, dropped: bool) -> None:
        for child in el.iterchildren():
            tag = child.tag
            if tag in (_W_PPR, _W_RPR, _MC_FALLBACK):
                continue  # properties (a w:ins there marks a changed mark, not text); VML copy
            if tag in (_W_INS, _W_MOVE_TO):
                changes[0] += 1
            elif tag in (_W_DEL, _W_MOVE_FROM):
                changes[1] += 1
                continue
            if tag == _W_T:
                parts.append(child.text or "")
            elif tag == _W_TAB:
                parts.append("\t")
            elif tag in (_W_BR, _W_CR):
                parts.append("\n")
            else:
                walk(child, dropped)

    walk(p, False)
    return "".join(parts)


_CN_DIGITS = "零一二三四五六七八九"


def _chinese_count(n: int) -> str:
    if n <= 0:
        return str(n)
    if n < 10:
        return _CN_DIGITS[n]
    if n < 20:
        return "十" + (_CN_DIGITS[n % 10] if n % 10 else "")
    if n < 100:
        return _CN_DIGITS[n // 10] + "十" + (_CN_DIGITS[n % 10] if n % 10 else "")
    return str(n)


def _roman(n: int) -> str:
    out = ""
    for value, sym in ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
                       (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")):
        while n >= value:
            out, n = out + sym, n - value
    return out


def _letters(n: int) -> str:
    return chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1) if n > 0 else ""


_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


def _format_number(n: int, fmt: str) -> str | None:
    if fmt in ("decimal", "decimalZero", "arabicAbjad", ""):
        return f"{n:02d}" if fmt == "decimalZero" and n < 10 else str(n)
    if fmt in ("chineseCounting", "chineseCountingThousand", "chineseLegalSimplified", "ideographTraditional",
               "japaneseCounting", "taiwaneseCounting", "taiwaneseCountingThousand", "ideographDigital"):
        if fmt == "chineseLegalSimplified":
            return _chinese_count(n).translate(str.maketrans("一二三四五六七八九十", "壹贰叁肆伍陆柒捌玖拾"))
        if fmt == "ideographTraditional":
            return "甲乙丙丁戊己庚辛壬癸"[(n - 1) % 10]
        return _chinese_count(n)
    if fmt == "decimalEnclosedCircle" or fmt == "decimalEnclosedCircleChinese":
        return _CIRCLED[n - 1] if 0 < n <= len(_CIRCLED) else str(n)
    if fmt in ("decimalEnclosedParen",):
        return f"({n})"
    if fmt == "decimalFullWidth":
        return str(n).translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    if fmt == "lowerLetter":
        return _letters(n)
    if fmt == "upperLetter":
        return _letters(n).upper()
    if fmt == "lowerRoman":
        return _roman(n)
    if fmt == "upperRoman":
        return _roman(n).upper()
    return None  # bullet, none, and formats a report does not number headings with


class _Numbering:
    """Word's automatic numbering rendered as the text it shows: numbering.xml's levels
    (format, text like "%1、" or "（%1）", start value, restart), counted per list in
    document order, for numbering set on the paragraph or inherited from its style."""

    def __init__(self, document) -> None:
        self.nums: dict[str, tuple[str, dict[int, int]]] = {}  # numId -> (abstractNumId, start overrides)
        self.levels: dict[str, dict[int, tuple[str, str, int]]] = {}  # abstractNumId -> ilvl -> (fmt, text, start)
        self.counters: dict[str, dict[int, int]] = {}
        try:
            root = document.part.numbering_part.element
        except Exception:  # noqa: BLE001 - no numbering part
            return
        w = _W_PREFIX
        for absn in root.iterchildren(w + "abstractNum"):
            aid = absn.get(w + "abstractNumId")
            levels = {}
            for lvl in absn.iterchildren(w + "lvl"):
                ilvl = int(lvl.get(w + "ilvl", "0"))
                fmt = _val(lvl.find(w + "numFmt")) or "decimal"
                text = _val(lvl.find(w + "lvlText"))
                start = int(_val(lvl.find(w + "start")) or "1")
                levels[ilvl] = (fmt, text if text is not None else f"%{ilvl + 1}.", start)
            self.levels[aid] = levels
        for num in root.iterchildren(w + "num"):
            nid = num.get(w + "numId")
            overrides = {}
            for ov in num.iterchildren(w + "lvlOverride"):
                so = ov.find(w + "startOverride")
                if so is not None:
                    overrides[int(ov.get(w + "ilvl", "0"))] = int(_val(so) or "1")
            self.nums[nid] = (_val(num.find(w + "abstractNumId")), overrides)

    def _num_pr(self, paragraph) -> tuple[str | None, int]:
        num_id, ilvl = None, None
        ppr = paragraph._p.pPr
        if ppr is not None and ppr.numPr is not None:
            if ppr.numPr.numId is not None:
                num_id = str(ppr.numPr.numId.val)
            if ppr.numPr.ilvl is not None:
                ilvl = int(ppr.numPr.ilvl.val)
        style = paragraph.style
        while style is not None and (num_id is None or ilvl is None):
            sppr = style.element.pPr
            if sppr is not None and sppr.numPr is not None:
                if num_id is None and sppr.numPr.numId is not None:
                    num_id = str(sppr.numPr.numId.val)
                if ilvl is None and sppr.numPr.ilvl is not None:
                    ilvl = int(sppr.numPr.ilvl.val)
            style = style.base_style
        return num_id, ilvl or 0

    def label(self, paragraph) -> str:
        if not self.nums:
            return ""
        try:
            num_id, ilvl = self._num_pr(paragraph)
        except Exception:  # noqa: BLE001 - odd numbering never stops the reading
            return ""
        if num_id is None or num_id == "0" or num_id not in self.nums:
            return ""
        aid, overrides = self.nums[num_id]
        levels = self.levels.get(aid, {})
        if ilvl not in levels:
            return ""
        # lists that share a definition continue one count, unless one restarts it
        counters = self.counters.setdefault(num_id if overrides else f"abstract:{aid}", {})
        start = overrides.get(ilvl, levels[ilvl][2])
        counters[ilvl] = counters.get(ilvl, start - 1) + 1
        for deeper in [k for k in counters if k > ilvl]:
            del counters[deeper]
        fmt, text, _ = levels[ilvl]
        if fmt in ("bullet", "none"):
            return ""

        def repl(m: re.Match) -> str:
            k = int(m.group(1)) - 1
            if k not in levels:
                return ""
            value = counters.get(k, overrides.get(k, levels[k][2]))
            return _format_number(value, levels[k][0] if k != ilvl else fmt) or ""

        return recache.sub(r"%([1-9])", repl, text)


def _val(el) -> str | None:
    return None if el is None else el.get(_W_PREFIX + "val")


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_W_P, _W_TBL, _W_SDT, _W_SDT_CONTENT = _W + "p", _W + "tbl", _W + "sdt", _W + "sdtContent"


def _body_blocks(parent):
    """w:p and w:tbl elements of the body in document order, looking inside content controls."""
    for child in parent.iterchildren():
        if child.tag in (_W_P, _W_TBL):
            yield child
        elif child.tag == _W_SDT:
            for content in child.iterchildren(_W_SDT_CONTENT):
                yield from _body_blocks(content)


def _table_lines(table) -> list[str]:
    """One line per w:tr, cells joined by tabs, read from the XML: a merged cell is one w:tc
    (its gridSpan is not expanded, a vMerge continuation is empty), so a cell spanning 10^8
    columns or a column merged down 1,600 rows costs nothing (python-docx's row.cells
    expands both, quadratically and recursively)."""
    lines = []
    for tr in table._tbl.iterchildren(_W + "tr"):
        cells = []
        for tc in tr.iterchildren(_W + "tc"):
            texts = [_paragraph_text(p, [0, 0]).strip() for p in tc.iterchildren(_W_P)]
            cells.append(" ".join(t for t in texts if t))
        if any(cells):
            lines.append("\t".join(cells))
    return lines


# --- html: checker.formats.html reads web pages (LibreOffice's <pre> and .mhtml too) ---


# --- text normalisation helpers ---------------------------------------------------------

_ENTITY = _LazyRe(r"&(?:nbsp|ensp|emsp|ldquo|rdquo|lsquo|rsquo|mdash|ndash|hellip|middot|amp|lt|gt|quot|#\d{2,6}|#x[0-9a-fA-F]{2,5});")
_ODD_BREAKS = _LazyRe("[\u2028\u2029\x0b\x0c\x85]")
_ZERO_WIDTH = _LazyRe("[\u200b\u200c\u200d\u200e\u200f\u2060\u2061\u2062\u2063\u2064\ufeff\u00ad\u180e]")
_CONTROLS = _LazyRe("[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f\u061c\u202a-\u202e\u2066-\u2069]")
_ODD_SPACES = _LazyRe("[\u00a0\u2000-\u200a\u202f\u205f]")

_WIDE_MAP = {i: i - 0xFEE0 for i in range(0xFF10, 0xFF1A)}  # ０-９
_WIDE_MAP.update({i: i - 0xFEE0 for i in range(0xFF21, 0xFF3B)})  # Ａ-Ｚ
_WIDE_MAP.update({i: i - 0xFEE0 for i in range(0xFF41, 0xFF5B)})  # ａ-ｚ
_WIDE_MAP.update({ord("％"): ord("%"), ord("＋"): ord("+"), ord("－"): ord("-"), ord("．"): ord("."),
                  ord("／"): ord("/"), 0x3000: ord(" ")})
_WIDE_RE = _LazyRe("[" + "".join(map(chr, sorted(_WIDE_MAP))) + "]")
_WIDE_COLON = _LazyRe(r"(?<=\d)：(?=\d)")  # １０：３０ -> 10:30; the Chinese colon stays


def _half_width(text: str) -> tuple[str, int]:
    n = len(_WIDE_RE.findall(text))
    if n:
        text = text.translate(_WIDE_MAP)
    text, k = _WIDE_COLON.subn(":", text)
    return text, n + k


_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ"
_PINYIN_LETTERS = "a-zü" + _TONED + "ńňǹḿê\u0300\u0301\u0304\u030c\u0308"
_PINYIN = _LazyRe(f"(?<={_CJK_CLASS})[(（]([{_PINYIN_LETTERS}]{{1,10}})[)）]")
_UNTONE = str.maketrans(
    "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿê", "aaaaeeeeiiiioooouuuuvvvvvnnnme"
)
# one pinyin syllable (ü written v after un-toning); a little more liberal than the real table
_SYLLABLE = _LazyRe(
    r"(?:zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])?"
    r"(?:iang|iong|uang|ang|eng|ing|ong|ian|iao|uai|uan|van|ai|ei|ao|ou|an|en|er|in|un|vn"
    r"|ia|ie|iu|ua|uo|ue|ve|ui|a|o|e|i|u|v|n|m|ng)"
)


def _remove_pinyin(text: str) -> tuple[str, int]:
    """Drop (qū)-style pinyin right after a CJK character; keep every other parenthesis."""
    count = 0

    def repl(match: re.Match) -> str:
        nonlocal count
        content = unicodedata.normalize("NFC", match.group(1))
        if (
            1 <= len(content) <= 7
            and (any(c in _TONED for c in content) or "ü" in content)
            and _SYLLABLE.fullmatch(content.translate(_UNTONE)) is not None
        ):
            count += 1
            return ""
        return match.group(0)

    if "(" not in text and "（" not in text:
        return text, 0
    return _PINYIN.sub(repl, text), count


_TRAD_RE = _LazyRe("[" + "".join(sorted(_TRAD_ONLY)) + "]")
_HAN_RE = _LazyRe("[\u4e00-\u9fff]")


def _looks_traditional(text: str) -> bool:
    trad = len(_TRAD_RE.findall(text))
    if trad < 3:
        return False
    return trad / len(_HAN_RE.findall(text)) >= _TRAD_THRESHOLD


_OPENCC = None


def _t2s(text: str) -> str:
    global _OPENCC
    if _OPENCC is None:
        try:
            import opencc
        except ImportError:  # pragma: no cover - declared dependency
            return text
        try:
            _OPENCC = opencc.OpenCC("t2s")
        except Exception:  # noqa: BLE001 - older bindings want the .json name
            _OPENCC = opencc.OpenCC("t2s.json")
    return _OPENCC.convert(text)


# --- web-page leftovers -----------------------------------------------------------------

# keys of the metadata block government sites print above the text; only the "strong" ones
# make a line a metadata line on their own, the weak ones only next to a strong one
_STRONG_KEYS = (
    "索引号", "组配分类", "发布机构", "主题分类", "发文日期", "发布日期", "成文日期", "生效日期", "废止日期",
    "发布时间", "信息来源", "浏览次数", "点击次数", "阅读次数", "访问次数", "点击数", "浏览量", "阅读量",
    "公开方式", "公开范围", "公开时限", "公开日期", "信息分类", "体裁分类", "内容分类", "主题词", "发文机关",
    "发布单位", "所属主题", "有效性", "责任编辑", "信息索引号", "统一编号",
)
_WEAK_KEYS = ("名称", "标题", "文号", "来源", "作者", "时间", "日期", "字体", "字号", "编辑", "分类", "关键词")
_ALL_KEYS = tuple(sorted(_STRONG_KEYS + _WEAK_KEYS, key=len, reverse=True))
_KEY_RE = _LazyRe(
    r"(?:^|(?<=[\s\]】|｜,，;；0-9A-Za-z]))(" + "|".join(_ALL_KEYS) + r")\s*[:：]"
)
_NO_VALUE_KEYS = frozenset({"字体", "字号"})

_NAV = _LazyRe(NAV_PATTERN)  # the breadcrumb table is the structure lexicon's
_CHROME_PHRASES = _LazyRe(
    r"扫一扫在手机打开当前页|扫一扫在手机上打开当前页|在手机打开当前页|扫一扫|打印本页|打印此页|打印文章|关闭本页|关闭窗口|"
    r"分享到|分享|收藏本页|收藏|返回顶部|返回首页|保护视力色|我要纠错|字体|字号|打印|关闭|默认|大|中|小|[:：]"
)
_CHROME_STRONG = _LazyRe(r"扫一扫|打印|关闭|分享到|收藏本页|返回顶部|保护视力色|我要纠错|字体|字号")
_PUNCT_ONLY = _LazyRe(r"^[\s\[\]【】()（）|｜/·•,，、.。:：\-—_]*$")

_LINK_END = _LazyRe(
    r"(?:网站|网站群|门户|门户网|政府网|政务网|相关链接|友情链接|网站地图|联系我们|关于我们|返回顶部|政务微博|政务微信|信用中国)$"
)
_FOOTER = _LazyRe(
    r"版权所有|Copyright|©|ICP备|ICP证|网站标识码|公网安备|技术支持|主办单位|承办单位|维护单位|"
    r"^主办[:：]|^承办[:：]|建议使用|分辨率|浏览器"
)
_HEADING_START = _LazyRe(r"^\s*(?:[一二三四五六七八九十]+[、.]|[(（][一二三四五六七八九十\d]+[)）]|\d+[、.．])")
_TITLE_LIKE = _LazyRe(r"(?:报告|情况|总结|工作要点|通知|意见|方案)")


def _strip_web(lines: list[str]) -> tuple[list[str], dict[str, str], str]:
    fields: dict[str, str] = {}
    n = len(lines)
    drop = [False] * n
    nav_or_meta: list[int] = []
    strong_idx: list[int] = []
    key_lines: dict[int, list[re.Match]] = {}
    for i, line in enumerate(lines):
        s = line.strip()
        if not s:
            continue
        if _NAV.search(s):
            drop[i] = True
            nav_or_meta.append(i)
            continue
        if _is_chrome(s):
            drop[i] = True
            continue
        m = _KEY_RE.match(s)
        if m:
            matches = list(_KEY_RE.finditer(s))
            key_lines[i] = matches
            if any(k.group(1) in _STRONG_KEYS for k in matches):
                strong_idx.append(i)

    # weak-key lines count only near a strong one (within 3 lines)
    for i, matches in key_lines.items():
        near = any(abs(i - j) <= 3 for j in strong_idx)
        if not near:
            continue
        drop[i] = True
        nav_or_meta.append(i)
        s = lines[i].strip()
        for k, m in enumerate(matches):
            end = matches[k + 1].start() if k + 1 < len(matches) else len(s)
            key = m.group(1)
            value = recache.split(r"[【\[]", s[m.end():end], maxsplit=1)[0].strip(" \t|｜")
            if value and key not in _NO_VALUE_KEYS:
                fields.setdefault(key, value)

    # site banner lines (the site's name) above the breadcrumb / metadata block; never a
    # title-like line or an addressee
    if nav_or_meta:
        first = min(nav_or_meta)
        nonblank_before = [i for i in range(first) if lines[i].strip() and not drop[i]]
        if len(nonblank_before) <= 2:
            for i in nonblank_before:
                s = lines[i].strip()
                if len(s) <= 25 and not _TITLE_LIKE.search(s) and not s.endswith((":", "：")):
                    drop[i] = True

    meta_count = sum(drop)

    # repeated title lines: later copies of an identical title-like line, or of any
    # non-trivial line repeated right after itself
    seen: dict[str, int] = {}
    dup_count = 0
    prev_kept = None
    for i, line in enumerate(lines):
        if drop[i]:
            continue
        s = line.strip()
        if not s:
            continue
        if len(s) >= 8 and (s == prev_kept or (s in seen and _is_title_like(s))):
            drop[i] = True
            dup_count += 1
            continue
        seen.setdefault(s, i)
        prev_kept = s

    # trailing link list / footer
    link_count = 0
    i = n - 1
    while i >= 0:
        s = lines[i].strip()
        if not s or drop[i]:
            i -= 1
            continue
        if _is_link_line(s):
            drop[i] = True
            link_count += 1
            i -= 1
            continue
        break

    if not (meta_count or dup_count or link_count):
        return lines, fields, ""
    kept = [line for line, d in zip(lines, drop) if not d]
    parts = [
        f"{label} {count} 行"
        for label, count in (("导航/元数据", meta_count), ("重复标题", dup_count), ("链接列表", link_count))
        if count
    ]
    return kept, fields, "已去除网页残留：" + "，".join(parts)


def _is_chrome(s: str) -> bool:
    if len(s) > 60 or not _CHROME_STRONG.search(s):
        return False
    return bool(_PUNCT_ONLY.match(_CHROME_PHRASES.sub("", s)))


def _is_title_like(s: str) -> bool:
    return (
        10 <= len(s) <= 80
        and not _HEADING_START.match(s)
        and not recache.search(r"[。；;]", s)
        and bool(_TITLE_LIKE.search(s))
    )


def _is_link_line(s: str) -> bool:
    if len(s) > 40 or _HEADING_START.match(s):
        return False
    if recache.search(r"[。；;，,]$", s):
        return False
    return bool(_LINK_END.search(s.rstrip(":： ")) or _FOOTER.search(s))


def _one_line(s: str) -> str:
    return " ".join(s.splitlines()) if ("\n" in s or "\r" in s) else s
