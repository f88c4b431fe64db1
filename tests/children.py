"""Child processes for tests that run the real thing: read their output with deadlines, and never
leave one running. Waits are on events (a line printed, a process ending), each with a deadline."""

from __future__ import annotations

import queue
import threading
import time
from typing import IO


class Lines:
    """A child's output stream read on a thread, so each wait for a line has a deadline."""

    def __init__(self, stream: IO[str]) -> None:
        self._queue: queue.Queue[str | None] = queue.Queue()
        self.seen: list[str] = []
        threading.Thread(target=self._pump, args=(stream,), daemon=True).start()

    def _pump(self, stream: IO[str]) -> None:
        for line in stream:
            self._queue.put(line)
        self._queue.put(None)

    def next(self, seconds: float) -> str:
        """The next line, or AssertionError when none comes within `seconds` or the stream ends."""
        try:
            line = self._queue.get(timeout=seconds)
        except queue.Empty:
            raise AssertionError(f"no line within {seconds} s; before: {self.seen}") from None
        assert line is not None, f"the stream ended; it said: {self.seen}"
        self.seen.append(line)
        return line

    def until(self, text: str, seconds: float) -> str:
        """The first line holding `text`, read within `seconds`."""
        deadline = time.monotonic() + seconds
        while True:
            line = self.next(max(0.0, deadline - time.monotonic()))
            if text in line:
                return line

    def rest(self, seconds: float) -> str:
        """Everything until the stream ends (the child exited), within `seconds`."""
        deadline = time.monotonic() + seconds
        lines = []
        while True:
            try:
                line = self._queue.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                raise AssertionError(f"the stream did not end within {seconds} s") from None
            if line is None:
                return "".join(lines)
            self.seen.append(line)
            lines.append(line)
