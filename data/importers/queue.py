"""At most ``PHANG_MAX_IMPORTS`` imports at once in this process; the others wait in line.

A first-come, first-served line: :meth:`ImportQueue.slot` returns when the caller is at
the head of the line and a slot is free, telling the caller its place while it waits
(``on_wait(position)``, 1 = next). A caller that stops waiting (a closed tab raises in
``on_wait``) leaves the line; a finished import frees its slot for the next.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager


class ImportQueue:
    """A process-wide line of imports with ``slots`` running at once."""

    def __init__(self, slots: int) -> None:
        if slots < 1:
            raise ValueError("an import queue needs at least one slot")
        self.slots = slots
        self._cond = threading.Condition()
        self._line: list[object] = []
        self._running = 0

    def snapshot(self) -> tuple[int, int]:
        """(imports running, imports waiting)."""
        with self._cond:
            return self._running, len(self._line)

    @contextmanager
    def slot(
        self, on_wait: Callable[[int], None] | None = None, *, poll: float = 0.5
    ) -> Iterator[None]:
        ticket = object()
        with self._cond:
            self._line.append(ticket)
        try:
            while True:
                with self._cond:
                    position = self._line.index(ticket)
                    if position == 0 and self._running < self.slots:
                        self._line.pop(0)
                        self._running += 1
                        self._cond.notify_all()
                        break
                if on_wait is not None:
                    on_wait(position + 1)  # every poll: a stopped page raises here
                with self._cond:
                    self._cond.wait(timeout=poll)
        except BaseException:
            with self._cond:
                if ticket in self._line:
                    self._line.remove(ticket)
                self._cond.notify_all()
            raise
        try:
            yield
        finally:
            with self._cond:
                self._running -= 1
                self._cond.notify_all()


_QUEUE: ImportQueue | None = None
_LOCK = threading.Lock()


def import_queue() -> ImportQueue:
    """This process's queue (its size read from ``PHANG_MAX_IMPORTS`` on first use)."""
    global _QUEUE
    with _LOCK:
        if _QUEUE is None:
            from data.settings import int_setting

            _QUEUE = ImportQueue(int_setting("PHANG_MAX_IMPORTS"))
        return _QUEUE
