"""Option values without pydantic: a fast path in front of typer's value coercion.

typer 0.29 builds a pydantic ``TypeAdapter`` for every parameter of the invoked command on
every run (about 20 for ``checker audit``), and imports pydantic's adapter stack to do it:
about a third of a cold ``checker audit FILE -f json``. The options this command line has
are plain (str, bool, int/float with a range, a path, one of an Enum, a list of str), so
their usual values are coerced here with typer's own helpers, the same results the adapter
gives; anything else — an unusual annotation, a value the fast path does not recognise, a
value that is wrong — goes to typer's own adapter, built then, so every error message and
every edge case stays typer's. ``tests/test_speedups.py`` compares the two on every
parameter of every command.

Off with ``CHECKER_FASTCLI=0``; a typer whose internals differ leaves typer as it is.
"""
from __future__ import annotations

import os
import re
from enum import Enum
from pathlib import Path
from typing import Any, get_args, get_origin

from checker import recache  # compiled patterns kept across runs

_INT = recache.compile(r"[0-9]{1,18}", re.ASCII)
_FLOAT = recache.compile(r"[0-9]{1,15}(?:\.[0-9]{1,15})?", re.ASCII)


class _Miss(Exception):
    """The fast path does not know this value: typer's adapter decides."""


def _leaf(annotation: Any, info: Any):
    """A converter for one value of ``annotation``, or None when only typer's adapter may do it."""
    from typer._param_types import coerce_cli_choice, coerce_cli_path

    if getattr(info, "parser", None) is not None:
        return None
    if annotation in (str, bool):  # click has already made the value: it passes as it is
        def conv(value, param, ctx):
            if type(value) is not annotation:
                raise _Miss
            return value
        return conv
    if annotation in (int, float):
        if getattr(info, "clamp", False):
            return None
        lo, hi = info.min, info.max
        pattern = _INT if annotation is int else _FLOAT

        def conv(value, param, ctx):
            if type(value) is annotation:
                number = value
            elif type(value) is str and pattern.fullmatch(value):
                number = annotation(value)
            else:
                raise _Miss
            if (lo is not None and number < lo) or (hi is not None and number > hi):
                raise _Miss
            return number
        return conv
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        choices = list(annotation)
        case_sensitive = info.case_sensitive

        def conv(value, param, ctx):
            if not (type(value) is str or type(value) is annotation):
                raise _Miss
            try:
                return coerce_cli_choice(value, choices=choices, case_sensitive=case_sensitive, ctx=ctx)
            except Exception:
                raise _Miss from None
        return conv
    if annotation is Path and info.path_type is None:
        def conv(value, param, ctx):
            if type(value) is str and value and "\0" not in value:
                value = Path(value)  # what pydantic's lax str → Path does
            elif type(value) is not type(Path()):
                raise _Miss
            try:
                return coerce_cli_path(value, info, path_type=Path, param=param, ctx=ctx)
            except Exception:
                raise _Miss from None
        return conv
    return None


def _converter(annotation: Any, info: Any):
    if get_origin(annotation) is list:
        args = get_args(annotation)
        leaf = _leaf(args[0], info) if len(args) == 1 and get_origin(args[0]) is None else None
        if leaf is None:
            return None

        def conv(value, param, ctx):
            items = value if isinstance(value, (list, tuple)) else [value]
            return [leaf(item, param, ctx) for item in items]
        return conv
    return _leaf(annotation, info)


def install() -> bool:
    """Put the fast path in front of typer's ``build_runtime_param``; False when typer is
    not the one this was written for (nothing is changed then)."""
    if os.environ.get("CHECKER_FASTCLI", "1") == "0":
        return False
    try:
        import typer.core as core
        from typer._coercion import RuntimeParam
    except Exception:
        return False
    original = getattr(core, "build_runtime_param", None)
    if original is None or getattr(original, "_checker_fast", False):
        return original is not None

    from dataclasses import dataclass, field

    @dataclass(frozen=True)
    class FastRuntimeParam(RuntimeParam):
        """typer's RuntimeParam with the pydantic-free coercion of fastcli."""

        descriptor: Any = None
        convert: Any = None
        slow: list = field(default_factory=list)  # typer's own, built on the first miss

        def _coerce_value(self, value, param, ctx):
            try:
                return self.convert(value, param, ctx)
            except _Miss:
                pass
            if not self.slow:
                self.slow.append(original(self.descriptor))
            return self.slow[0]._coerce_value(value, param=param, ctx=ctx)

    def build_runtime_param(descriptor):
        convert = None
        if descriptor.file_annotation is None:
            try:
                convert = _converter(descriptor.annotation, descriptor.parameter_info)
            except Exception:
                convert = None
        if convert is None:
            return original(descriptor)
        return FastRuntimeParam(annotation=descriptor.annotation, parameter_info=descriptor.parameter_info,
                                descriptor=descriptor, convert=convert)

    build_runtime_param._checker_fast = True  # type: ignore[attr-defined]
    build_runtime_param.original = original  # type: ignore[attr-defined]
    core.build_runtime_param = build_runtime_param
    return True
