"""What `dccsim serve` says about the web console (issue 19)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)
class ConsoleOptions:
    """The console on the DUIS HTTP port, and who may read and change things through it and
    scrape /metrics (SEC-02, `access.ConsoleAccess`).

    With `operator_token` configured, every page, the live log and /metrics are for a request
    that presents it (an `Authorization: Bearer` header, or the cookie the login form sets), and
    so are changes (the CPL, fault rules, the clock, sending requests). With no token, reads and
    changes are open when the server listens on loopback only; beyond it, `open_reads` opens
    reads and `allow_changes=True` opens both. `allow_changes=False` makes the console read-only
    whatever else is set, and leaves reads as they are."""

    enabled: bool = True
    operator_token: str | None = None
    allow_changes: bool | None = None
    open_reads: bool = False
    # DUIS request templates offered on the send page (e.g. DCC's RTDS folder), besides the
    # console's own examples.
    templates_dir: Path | None = None

    def __post_init__(self) -> None:
        if self.operator_token is not None and not self.operator_token.strip():
            raise ValueError("the console's operator token cannot be empty")
