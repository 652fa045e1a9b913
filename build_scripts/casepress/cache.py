"""The kind of cache that lets `mkdocs serve` redo only what an edit changed.

A `SlotCache` maps a slot (a file, a page path) to the fingerprint of everything its value
was made from, and that value. A new fingerprint replaces the slot's old entry, so the cache
never holds more than one value per slot and needs no eviction. Fingerprints must name every
input; where that is hard to pin down they name more (e.g. every document's digest), which
costs a re-render, never a stale page. `stats` counts the work done and skipped, so tests and
benchmarks can check that a rebuild skipped what it should. The caches themselves belong to
the caller that runs builds (`pipeline.BuildCache`), never to a module.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Generic, TypeVar

V = TypeVar("V")


@dataclass
class CacheStats:
    hits: int = 0
    misses: int = 0
    made: deque[str] = field(default_factory=lambda: deque(maxlen=100_000))
    """Slots whose value was (re)made, latest last."""

    def reset(self) -> None:
        self.hits = self.misses = 0
        self.made.clear()

    def miss(self, slot: str) -> None:
        self.misses += 1
        self.made.append(slot)


class SlotCache(Generic[V]):
    def __init__(self, remember: bool = True) -> None:
        """`remember=False` makes a cache for a build with none after it: each value is made
        and handed out, never kept, so that it is let go as soon as its user is done."""
        self._entries: dict[str, tuple[object, V]] = {}
        self.remember = remember
        self.stats = CacheStats()

    def get(self, slot: str, fingerprint: object, make: Callable[[], V]) -> V:
        entry = self._entries.get(slot)
        # Tuples compare element by element with an identity shortcut, so a fingerprint
        # holding a large unchanged object (the parsed bibliography) costs nothing.
        if entry is not None and entry[0] == fingerprint:
            self.stats.hits += 1
            return entry[1]
        value = make()
        if self.remember:
            self._entries[slot] = (fingerprint, value)
        self.stats.miss(slot)
        return value

    def clear(self) -> None:
        self._entries.clear()
