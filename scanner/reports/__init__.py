"""Output formats: an Enum mapped exhaustively to renderers of the report document."""
from __future__ import annotations

import enum


class Format(str, enum.Enum):
    CONSOLE = "console"
    JSON = "json"
