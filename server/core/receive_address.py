"""A User's Receive Response Service address (BOXED-02): where its responses and alerts are POSTed.

The address is state (a restart keeps it, the state file records every change), so it lives on
the `User` record and changes only by command. The POSTing itself is a transport's job
(`dccsim.server.http.delivery`); what the core keeps of it is the acknowledgement a 2xx makes and
a journal event per attempt, so the control API's event stream shows how deliveries go.

Decisions:
- DCC Boxed's web UI takes the address without a scheme (`192.168.0.5:1880/smartdcc/duis`); such
  an address is read as `http://…`. Only http and https URLs with a host are accepted, without
  credentials or a fragment, at most `MAX_URL_CHARS` characters.
- Putting a User again (PutUser, a fleet reload of the same user) without an address keeps the
  address it had: the address is set and cleared by its own command (`SetReceiveUrl`, "" clears).
"""

from __future__ import annotations

from dataclasses import replace
from urllib.parse import urlsplit

from dccsim.server.core.dsp import Dsp
from dccsim.server.core.errors import InvalidField, NotFound
from dccsim.server.core.eui import parse_eui64
from dccsim.server.core.journal import EventKind
from dccsim.server.core.records import User

MAX_URL_CHARS = 2048
_SCHEMES = ("http", "https")


def normalise_receive_url(text: str, field: str = "receive_url") -> str:
    """The canonical form of an address; "" stays "" (no address). Raise InvalidField."""
    text = text.strip()
    if not text:
        return ""
    if len(text) > MAX_URL_CHARS:
        raise InvalidField(field, f"is longer than {MAX_URL_CHARS} characters")
    if "://" not in text:
        text = f"http://{text}"  # DCC Boxed's form: host:port/path
    try:
        parts = urlsplit(text)
        _ = parts.port  # raises ValueError for a port that is not a number or out of range
    except ValueError as error:
        raise InvalidField(field, f"{text!r} is not a URL: {error}") from None
    if parts.scheme.lower() not in _SCHEMES:
        raise InvalidField(field, f"{text!r}: the scheme must be http or https")
    if not parts.hostname:
        raise InvalidField(field, f"{text!r} names no host")
    if parts.username is not None or parts.password is not None:
        raise InvalidField(field, "credentials do not belong in the address")
    if parts.fragment:
        raise InvalidField(field, f"{text!r}: a fragment is never sent to a server")
    if any(ord(c) <= 0x20 or ord(c) == 0x7F for c in text):
        raise InvalidField(field, "contains spaces or control characters")
    return parts.geturl()


def set_receive_url(dsp: Dsp, user_id: str, url: str) -> User:
    """Give a User its address ("" removes it); return the User as it now is."""
    canonical = parse_eui64(user_id, "user_id")
    address = normalise_receive_url(url)  # checked before anything changes
    user = dsp.state.users.get(canonical)
    if user is None:
        raise NotFound("user", canonical)
    updated = replace(user, receive_url=address)
    dsp.state.users[canonical] = updated
    dsp.journal.record(
        dsp.now(),
        EventKind.CONTROL,
        "receive response service address set"
        if address
        else "receive response service address removed",
        user=canonical,
        url=address,
    )
    return updated


def keep_receive_url(dsp: Dsp, user: User) -> User:
    """The record to store when a User is put again: without an address, it keeps its own."""
    if user.receive_url:
        return replace(user, receive_url=normalise_receive_url(user.receive_url))
    old = dsp.state.users.get(parse_eui64(user.user_id, "user.user_id"))
    if old is not None and old.receive_url:
        return replace(user, receive_url=old.receive_url)
    return user


def receive_urls(dsp: Dsp) -> dict[str, str]:
    """User ID -> address, for every User that has one."""
    return {user_id: u.receive_url for user_id, u in dsp.state.users.items() if u.receive_url}


def delivered(dsp: Dsp, user_id: str, sequence: int, url: str, status: int) -> int:
    """A 2xx answered the POST of `sequence`: acknowledge it (and anything before it). Return how
    many messages left the outbox: 0 when a Subscribe client acknowledged it first, or a Reset
    emptied the outbox meanwhile."""
    outbox = dsp.outbox(user_id)
    removed = outbox.acknowledge(sequence) if sequence <= outbox.last_sequence else 0
    dsp.journal.record(
        dsp.now(),
        EventKind.DELIVERY,
        "delivered by POST",
        user=user_id,
        url=url,
        sequence=sequence,
        status=status,
        queued=len(outbox),
    )
    return removed


def delivery_failed(
    dsp: Dsp, user_id: str, sequence: int, url: str, error: str, attempt: int, retry_in: float
) -> None:
    """A POST failed (not a 2xx, a timeout, no connection): the message stays queued."""
    dsp.journal.record(
        dsp.now(),
        EventKind.DELIVERY,
        "delivery by POST failed",
        user=user_id,
        url=url,
        sequence=sequence,
        error=error,
        attempt=attempt,
        retry_in=f"{retry_in:.2f}s",
        queued=len(dsp.outbox(user_id)),
    )
