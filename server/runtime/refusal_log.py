"""One log line per refused call, the same for every transport (issue 18): malformed or unknown
input is the caller's mistake, not a bug, so it is logged as one INFO line -- who sent it, to
what, and why it was refused -- never with a traceback. (INFO, not WARNING: a test team sends bad
input on purpose.) A bug is an exception that is not a refusal; it keeps its traceback."""

from __future__ import annotations

import logging

# A reason may quote the input; the line keeps the two ends of a long one.
MAX_REASON = 240


def _bounded(text: str) -> str:
    if len(text) <= MAX_REASON:
        return text
    return f"{text[: MAX_REASON - 70]}…[{len(text):,} characters]…{text[-40:]}"


def log_refusal(log: logging.Logger, peer: str, method: str, reason: str, *, also: int = 0) -> None:
    """`refused peer=… method=… reason=…`; `also`: how many more items of the same call (a
    batch, a stream round) were refused, counted but not listed."""
    if log.isEnabledFor(logging.INFO):
        log.info(
            "refused peer=%s method=%s reason=%s%s",
            peer,
            method,
            _bounded(reason).replace("\n", " "),  # one line, whatever the reason quotes
            f" (and {also} more in this call)" if also else "",
        )
