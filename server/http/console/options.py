"""What `dccsim serve` says about the web console (issue 19)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)
class ConsoleOptions:
    """The console on the DUIS HTTP port, and who may change things through it (SEC-02).

    Changes (the CPL, fault rules, the clock, sending requests) are open to a browser that
    presents `operator_token` (an `Authorization: Bearer` header, or the cookie its login form
    sets). With no token, they are open when the server listens on loopback only, or when
    `allow_changes` opens them explicitly; `allow_changes=False` makes the console read-only
    whatever else is set."""

    enabled: bool = True
    operator_token: str | None = None
    allow_changes: bool | None = None
    # DUIS request templates offered on the send page (e.g. DCC's RTDS folder), besides the
    # console's own examples.
    templates_dir: Path | None = None

    def __post_init__(self) -> None:
        if self.operator_token is not None and not self.operator_token.strip():
            raise ValueError("the console's operator token cannot be empty")
