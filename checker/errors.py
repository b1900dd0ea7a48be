"""Errors that end a run with one clear line and exit status 2 (never a traceback)."""
from __future__ import annotations


class CheckerError(Exception):
    """Base: the message is shown to the user as one line."""

    exit_status = 2


class InputError(CheckerError):
    """The input file cannot be read as a report (missing, empty, binary, undecodable…)."""


class ModelMissing(CheckerError):
    """The pkuseg segmentation model is not where the checker looks for it."""


class RegistryError(CheckerError):
    """A rule file or profile is invalid; the message names file, rule id and field."""


class UsageError(CheckerError):
    """A bad option value (unknown profile, level, format…)."""
