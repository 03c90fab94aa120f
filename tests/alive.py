"""Counting objects while they are alive: how tests check that a stream never holds everything at once."""
from __future__ import annotations

import weakref
from typing import TypeVar

T = TypeVar("T")


class AliveCount:
    """Objects handed to ``track`` that are still alive (a weakref finalizer each), and the most alive at once."""

    def __init__(self) -> None:
        self.alive = self.most = 0

    def track(self, obj: T) -> T:
        self.alive += 1
        self.most = max(self.most, self.alive)
        weakref.finalize(obj, self._gone)
        return obj

    def _gone(self) -> None:
        self.alive -= 1
