"""Asynchronous delivery by POST (BOXED-02): each User with a Receive Response Service address
gets every response and alert in its outbox POSTed there, one at a time and in order.

- A 2xx answer acknowledges the message (a `Delivered` command: durable before the next POST, so
  after a restart nothing acknowledged is POSTed again and nothing unacknowledged is lost).
- Anything else -- another status, no complete answer within the timeout, a refused connection --
  leaves it queued; it is retried after a capped exponential backoff (`RetryPolicy`), and the
  messages behind it wait (order is kept). Each failure is one log line (no traceback) and a
  `delivery` event in the control API's event stream (a `DeliveryFailed` command), with the
  attempt, the error and the queue length.
- Each User has its own task on the event loop, so a receiver that hangs, answers slowly or
  answers garbage holds up only its own User's messages; every blocking call into the host runs
  in a worker thread.
- Users without an address keep using the gRPC Subscribe streams; a User may use both (whichever
  acknowledges first removes the message).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from concurrent.futures import Executor
from functools import partial

from dccsim.server.core import commands
from dccsim.server.core.outbox import OutboxEntry
from dccsim.server.http.duis_app import XML
from dccsim.server.http.options import RetryPolicy
from dccsim.server.http.post_client import Connection, PostFailed
from dccsim.server.runtime.duis_gateway import DuisGateway
from dccsim.server.runtime.host import DspHost
from dccsim.server.store import StateFileError

log = logging.getLogger("dccsim.delivery")

# How long the outbox watcher waits before looking again for new or changed addresses.
WATCH_SECONDS = 0.25
# How long an idle deliverer waits before looking at its outbox again without being woken.
IDLE_SECONDS = 1.0
# The most of a receiver's answer body quoted in a failure.
QUOTED_ANSWER_CHARS = 120


class Deliveries:
    """The deliverers of every User with an address, started and stopped as addresses come and
    go (control API, fleet reloads), and woken whenever an outbox they serve moves."""

    def __init__(
        self,
        host: DspHost,
        gateway: DuisGateway,
        executor: Executor,
        watch_executor: Executor,
        retry: RetryPolicy,
    ) -> None:
        self._host = host
        self._gateway = gateway
        self._executor = executor
        self._watch_executor = watch_executor  # one thread: the outbox watcher's waits
        self._retry = retry
        self._deliverers: dict[str, _Deliverer] = {}
        self._watcher: asyncio.Task[None] | None = None
        # Set when a deliverer has gone idle: only then is there anyone for the watcher to wake.
        self._went_idle = asyncio.Event()

    async def start(self) -> None:
        await self._reconcile()
        self._watcher = asyncio.create_task(self._watch(), name="dccsim-delivery-watch")

    async def stop(self) -> None:
        """Stop every deliverer; a POST in flight is abandoned (its message stays queued)."""
        tasks = [t for t in (self._watcher, *(d.task for d in self._deliverers.values())) if t]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        for deliverer in self._deliverers.values():
            deliverer.close()
        self._deliverers.clear()

    async def _watch(self) -> None:
        """Wake idle deliverers when an outbox moves. While every deliverer is busy (each looks
        at its outbox again after each delivery) the watcher does not watch: under load the
        outboxes move hundreds of times a second, and each wait is a thread hop. A deliverer
        going idle resumes it; `seen` is then from before, so whatever arrived meanwhile ends
        the next wait at once (no wake is lost)."""
        loop = asyncio.get_running_loop()
        seen = -1
        reconciled = loop.time()
        while True:
            if any(d.idle for d in self._deliverers.values()):
                users = tuple(self._deliverers)
                seen = await loop.run_in_executor(
                    self._watch_executor,
                    partial(self._host.wait_for_outboxes, users, seen, WATCH_SECONDS),
                )
            else:
                self._went_idle.clear()
                await _wait(self._went_idle, WATCH_SECONDS)
            if self._host.stopping:
                return
            # Addresses are looked at every WATCH_SECONDS, not at every wake: under load the
            # outboxes move hundreds of times a second, and each look is a worker-thread hop.
            if loop.time() - reconciled >= WATCH_SECONDS:
                await self._reconcile()
                reconciled = loop.time()
            for deliverer in self._deliverers.values():
                deliverer.wake.set()

    async def _reconcile(self) -> None:
        """Start a deliverer for each new address, retarget changed ones, stop removed ones."""
        urls = await asyncio.get_running_loop().run_in_executor(
            self._executor, self._host.receive_urls
        )
        for user_id in [u for u in self._deliverers if u not in urls]:
            stopped = self._deliverers.pop(user_id)
            stopped.task.cancel()  # its connection is closed as the task ends
            log.info("delivery by POST for %s stopped (no address)", user_id)
        for user_id, url in urls.items():
            deliverer = self._deliverers.get(user_id)
            if deliverer is None:
                self._deliverers[user_id] = _Deliverer(
                    user_id, url, self._host, self._gateway, self._executor, self._retry,
                    self._went_idle,
                )  # fmt: skip
                log.info("delivering %s's responses and alerts by POST to %s", user_id, url)
            elif deliverer.url != url:
                deliverer.retarget(url)
                log.info("delivering %s's responses and alerts by POST to %s now", user_id, url)


class _Deliverer:
    """One User's deliveries: its oldest unacknowledged message, POSTed until a 2xx."""

    def __init__(
        self,
        user_id: str,
        url: str,
        host: DspHost,
        gateway: DuisGateway,
        executor: Executor,
        retry: RetryPolicy,
        went_idle: asyncio.Event,
    ) -> None:
        self.user_id = user_id
        self.url = url
        self._host = host
        self._gateway = gateway
        self._executor = executor
        # Its own keep-alive connection: one POST at a time, so no pool, and no limit shared
        # between Users.
        self._connection = Connection()
        self._retry = retry
        self.wake = asyncio.Event()  # its outbox may have moved
        self.idle = False  # waiting for its outbox to move (only then does it need a wake)
        self._went_idle = went_idle
        self._kick = asyncio.Event()  # its address changed: end a backoff
        self._failures = 0
        # The next message and its document, fetched in the same worker-thread hop as the
        # previous one's Delivered (None: fetch it afresh).
        self._next: tuple[OutboxEntry, bytes] | None = None
        self.task = asyncio.create_task(self._run(), name=f"dccsim-delivery-{user_id}")

    def retarget(self, url: str) -> None:
        """A new address: retry at once, there."""
        self.url = url
        self._failures = 0
        self._kick.set()
        self.wake.set()

    def close(self) -> None:
        self._connection.close()

    async def _run(self) -> None:
        try:
            await self._deliver_all()
        finally:
            self._connection.close()  # stopped: a POST in flight is abandoned

    async def _deliver_all(self) -> None:
        while True:
            try:
                delivered = await self._deliver_oldest()
            except asyncio.CancelledError:
                raise
            except StateFileError as error:  # logged by the state file; try again later
                log.warning("delivery for %s paused: %s", self.user_id, error)
                delivered = False
                await _wait(self._kick, self._retry.cap)
            except Exception:  # a bug must not end this User's deliveries for good
                log.exception("delivery for %s failed unexpectedly", self.user_id)
                delivered = False
                await _wait(self._kick, self._retry.cap)
            if not delivered:
                self.idle = True
                self._went_idle.set()
                try:
                    await _wait(self.wake, IDLE_SECONDS)
                finally:
                    self.idle = False

    async def _deliver_oldest(self) -> bool:
        """POST the oldest unacknowledged message, once; False when there was none to deliver
        (the caller waits for more) or the POST failed (this waits the backoff first)."""
        loop = asyncio.get_running_loop()
        self.wake.clear()  # what happens from here on wakes the next wait
        self._kick.clear()
        # One worker-thread hop for the message and its document (none when the previous
        # delivery's hop fetched them): under load each hop costs CPU and waits behind the
        # requests queued for the same workers (dccsim bench --mode http).
        prepared, self._next = self._next, None
        if prepared is None:
            entry, document = await loop.run_in_executor(self._executor, self._oldest_document)
        else:
            entry, document = prepared
        if entry is None or document is None:
            return False
        url = self.url
        status, failure = await self._post(url, document)
        if failure is None:
            self._failures = 0
            after, next_document = await loop.run_in_executor(
                self._executor, self._acknowledge, entry, url, status
            )
            if after is None or next_document is None:
                return False  # nothing more now: wait for a wake (cleared before this hop)
            self._next = (after, next_document)
            return True
        self._failures += 1
        delay = self._retry.delay(self._failures)
        _, queued = await loop.run_in_executor(
            self._executor, self._host.oldest_pending, self.user_id
        )
        log.warning(
            "delivery to %s for %s failed: message %d, attempt %d, %d queued: %s; "
            "retrying in %.1f s",
            url, self.user_id, entry.sequence, self._failures, queued, failure, delay,
        )  # fmt: skip
        await loop.run_in_executor(
            self._executor,
            self._host.run_one,
            commands.DeliveryFailed(
                self.user_id, entry.sequence, url, failure, self._failures, delay
            ),
        )
        await _wait(self._kick, delay)  # new messages do not end a backoff; a new address does
        return True  # look again at once: the same message, or the next if it was acknowledged

    def _acknowledge(
        self, entry: OutboxEntry, url: str, status: int
    ) -> tuple[OutboxEntry | None, bytes | None]:
        """`entry`'s Delivered, durable before it returns (so no 2xx'd message is POSTed again
        after a restart), then the next message and its document (worker thread)."""
        self._host.run_one(commands.Delivered(self.user_id, entry.sequence, url, status))
        return self._oldest_document()

    def _oldest_document(self) -> tuple[OutboxEntry | None, bytes | None]:
        """The oldest unacknowledged message and the document that carries it (worker thread)."""
        entry, _ = self._host.oldest_pending(self.user_id)
        if entry is None:
            return None, None
        # An outbox shows a message as soon as its command is applied, before the state file
        # has it: it is not POSTed until then (a restart would otherwise forget the request
        # its User holds the answer to), as the Subscribe streams wait (host.follow_batches).
        self._host.wait_applied_durable()
        return entry, self._gateway.outbox_document(entry, self._gateway.user_version(self.user_id))

    async def _post(self, url: str, document: bytes) -> tuple[int, str | None]:
        """(status, None) for a 2xx; (status or 0, why) for a failure."""
        try:
            answer = await self._connection.post(
                url, document, XML, self._retry.timeout, quote=QUOTED_ANSWER_CHARS
            )
        except TimeoutError:
            return 0, f"no answer within {self._retry.timeout:g} s"
        except PostFailed as error:
            return 0, str(error)
        except (OSError, ValueError) as error:  # e.g. an address that cannot be resolved
            return 0, f"{type(error).__name__}: {error}"
        if 200 <= answer.status < 300:
            return answer.status, None
        return answer.status, f"HTTP {answer.status}{_quote(answer.body_start)}"


async def _wait(event: asyncio.Event, seconds: float) -> None:
    """Until `event` is set or `seconds` pass."""
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(event.wait(), seconds)


def _quote(body: bytes) -> str:
    """A short, printable start of a receiver's error answer, for the log."""
    text = body.decode("utf-8", "replace")
    text = "".join(c if c.isprintable() else " " for c in text).strip()
    return f": {text}" if text else ""
