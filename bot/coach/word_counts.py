"""Words counted once, before the chat's lock: a small cache in front of the word counter.

Every part the officer sends is stored with its word count, which tokenizes the whole message
(half a millisecond per thousand Thai characters). Counted inside the chat's transaction, that
time holds the chat's lock, on SQLite the whole database's, while other officers wait. The
service counts the message's words first (:meth:`WordCounts.warm`, from
:meth:`bot.service.CoachService.process`), so that the engine's count inside the lock is a
look-up. The cache is keyed by the text itself and bounded (a message is counted when it
arrives and read back at once; a few hundred entries cover every thread of a busy process).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable

#: Texts whose counts are kept per process.
DEFAULT_ENTRIES = 256


class WordCounts:
    """A word counter that counts each text once: counts kept in a bounded LRU, thread-safe."""

    def __init__(self, counter: Callable[[str], int], *, entries: int = DEFAULT_ENTRIES) -> None:
        """Count with ``counter``; keep at most ``entries`` counts."""
        if entries < 1:
            raise ValueError("the word-count cache needs room for at least one text")
        self.counter = counter
        self.entries = entries
        self._counts: OrderedDict[str, int] = OrderedDict()
        self._lock = threading.Lock()

    def __call__(self, text: str) -> int:
        """Return the number of words in ``text``, counted now unless kept."""
        with self._lock:
            count = self._counts.get(text)
            if count is not None:
                self._counts.move_to_end(text)
                return count
        return self.warm(text)

    def warm(self, text: str) -> int:
        """Count ``text`` (outside any lock of the caller's) and keep the count."""
        count = self.counter(text)
        with self._lock:
            self._counts[text] = count
            self._counts.move_to_end(text)
            while len(self._counts) > self.entries:
                self._counts.popitem(last=False)
        return count

    def __len__(self) -> int:
        """Return how many counts are kept."""
        with self._lock:
            return len(self._counts)

    def __reduce__(self) -> tuple[type[WordCounts], tuple[Callable[[str], int]], dict[str, int]]:
        """Pickle as an empty cache around the same counter (a lock does not pickle)."""
        return (WordCounts, (self.counter,), {"entries": self.entries})

    def __setstate__(self, state: dict[str, int]) -> None:
        """Take the bound of the pickled cache."""
        self.entries = int(state["entries"])
