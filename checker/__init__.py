"""checker — 法治政府建设年度报告合规检查."""
__version__ = "0.1.0"

from checker import recache as _recache

_recache.keep_dataclass_code()  # before any of the package's dataclasses is made
