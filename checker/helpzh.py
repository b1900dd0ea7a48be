"""Help text entirely in Chinese: click's own words ("Usage:", "Options:", "Show this
message and exit.", "[default: …]", "[required]", ranges such as "[x>=1]") are replaced in
the formatted help of every command. Command and option names stay as they are."""
from __future__ import annotations

import re

import typer.core

WORDS = [
    ("Usage:", "用法："),
    ("[OPTIONS]", "[选项]"),
    ("COMMAND [ARGS]...", "命令 [参数]..."),
    ("Arguments:", "参数："),
    ("Positional arguments:", "参数："),
    ("Options:", "选项："),
    ("Commands:", "命令："),
    ("Show this message and exit.", "显示本帮助并退出。"),
    ("Show the version and exit.", "显示版本并退出。"),
    ("[required]", "[必填]"),
]
PATTERNS = [
    (re.compile(r"\[default:\s+([^\]]*)\]"), r"[默认：\1]"),
    (re.compile(r" <(?:list\[)?[a-z_ |]+\]?>"), ""),  # Python type names typer shows for arguments
    (re.compile(r"(?<=\s)\{([^{}\s]+)\}"), r"\1"),  # typer's {ARG} for a required argument
    (re.compile(r"\[(\d+(?:\.\d+)?)<=x<=(\d+(?:\.\d+)?)\]"), r"[\1–\2]"),
    (re.compile(r"\[x>=(\d+(?:\.\d+)?)\]"), r"[≥\1]"),
]


def translate(text: str) -> str:
    for en, zh in WORDS:
        text = text.replace(en, zh)
    for pattern, zh in PATTERNS:
        text = pattern.sub(zh, text)
    return text


class _Chinese:
    def format_help(self, ctx, formatter) -> None:
        super().format_help(ctx, formatter)
        formatter.buffer[:] = [translate(piece) for piece in formatter.buffer]

    def get_usage(self, ctx) -> str:
        return translate(super().get_usage(ctx))


class ZhCommand(_Chinese, typer.core.TyperCommand):
    pass


class ZhGroup(_Chinese, typer.core.TyperGroup):
    pass
