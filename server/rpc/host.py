"""The DSP as the server holds it: one lock around the core (which is single-threaded by design),
a condition that wakes delivery streams when a message is queued, and a ticker that runs
future-dated work while the virtual clock is running."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from typing import Protocol, TypeVar

from dccsim.server.core.dsp import Dsp
from dccsim.server.core.journal import Event
from dccsim.server.core.outbox import OutboxEntry

# How often an idle stream checks that its client is still there.
STREAM_WAKE_SECONDS = 0.5


class _Sequenced(Protocol):
    @property
    def sequence(self) -> int: ...


T = TypeVar("T", bound=_Sequenced)


class _Call(Protocol):
    def is_active(self) -> bool: ...


class DspHost:
    def __init__(self, dsp: Dsp, *, tick_seconds: float = 0.05) -> None:
        self.lock = threading.RLock()
        self.changed = threading.Condition(self.lock)
        self._tick_seconds = tick_seconds
        self._stopping = threading.Event()
        self._ticker: threading.Thread | None = None
        self.dsp = dsp
        self._attach(dsp)

    def _attach(self, dsp: Dsp) -> None:
        dsp.state.outboxes.subscribe(self._on_delivery)
        dsp.journal.subscribe(self._on_event)

    def _on_delivery(self, entry: OutboxEntry) -> None:
        self.changed.notify_all()  # called with the lock held, from inside the core

    def _on_event(self, event: Event) -> None:
        self.changed.notify_all()

    def replace(self, dsp: Dsp) -> None:
        """Swap in a new DSP (LoadFleet); streams pick it up on their next wake-up."""
        with self.lock:
            self.dsp = dsp
            self._attach(dsp)
            self.changed.notify_all()

    def follow(
        self, context: _Call, fetch: Callable[[Dsp, int], list[T]], after: int
    ) -> Iterator[T]:
        """Yield what `fetch(dsp, after)` returns, oldest first, waiting for more whenever
        there is none, until the client hangs up or the server stops. Every stream (outbox
        deliveries, typed or DUIS, and the event journal) is this loop."""
        while context.is_active() and not self.stopping:
            with self.lock:
                items = fetch(self.dsp, after)
                if not items:
                    self.changed.wait(STREAM_WAKE_SECONDS)
                    continue
            for item in items:
                yield item
                after = item.sequence

    # -- the clock ticker ---------------------------------------------------------------------

    def start(self) -> None:
        self._ticker = threading.Thread(target=self._tick, name="dccsim-clock", daemon=True)
        self._ticker.start()

    def stop(self) -> None:
        self._stopping.set()
        with self.lock:
            self.changed.notify_all()
        if self._ticker is not None:
            self._ticker.join(timeout=2)

    @property
    def stopping(self) -> bool:
        return self._stopping.is_set()

    def _tick(self) -> None:
        while not self._stopping.wait(self._tick_seconds):
            with self.lock:
                if not self.dsp.clock.frozen:
                    self.dsp.run_due()
