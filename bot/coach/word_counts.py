"""Words counted once, before the chat's lock: a small cache in front of the word counter.

Every part the officer sends is stored with its word count, which tokenizes the whole message
(half a millisecond per thousand Thai characters). Counted inside the chat's transaction, that
time holds the chat's lock, on SQLite the whole database's, while other officers wait. The
service counts the message's words first (:meth:`WordCounts.warm`, from
:meth:`bot.service.CoachService.process`), so that the engine's count inside the lock is a
look-up. The cache is the standard library's thread-safe ``lru_cache``, keyed by the text and
bounded (a message is counted when it arrives and read back at once; a few hundred entries
cover every thread of a busy process).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

#: Texts whose counts are kept per process.
DEFAULT_ENTRIES = 256


class WordCounts:
    """A word counter that counts each text once: counts kept in a bounded LRU, thread-safe."""

    def __init__(self, counter: Callable[[str], int], entries: int = DEFAULT_ENTRIES) -> None:
        """Count with ``counter``; keep at most ``entries`` counts."""
        if entries < 1:
            raise ValueError("the word-count cache needs room for at least one text")
        self.counter = counter
        self.entries = entries
        self._counts = lru_cache(maxsize=entries)(counter)

    def __call__(self, text: str) -> int:
        """Return the number of words in ``text``, counted now unless kept."""
        return self._counts(text)

    #: Count ``text`` ahead, outside any lock of the caller's, and keep the count.
    warm = __call__

    def __len__(self) -> int:
        """Return how many counts are kept."""
        return self._counts.cache_info().currsize

    def __reduce__(self) -> tuple[type[WordCounts], tuple[Callable[[str], int], int]]:
        """Pickle as an empty cache around the same counter."""
        return (WordCounts, (self.counter, self.entries))
