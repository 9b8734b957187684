"""What a campaign run is reported as (CAMP-01): its parameters, the dccsim version and date, one
result per baseline and a verdict, with stable snake_case keys for programs (the JSON) and the
same facts for people (campaign_report.py renders them).

A run under the current rules and one under pre-MP105 on the same seed make the comparison the
SPEC asks for; the summary holds any number of runs, in the order they ran.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from importlib import metadata

from dccsim.clients.campaign import COMMISSIONED_ON_NEW, STILL_SUSPENDED, UNKNOWN, CampaignReport


@dataclass(frozen=True, slots=True)
class CampaignParameters:
    """How the campaign was set up: enough to run it again and get the same result."""

    devices: int
    smets1_share: float
    activation_response_loss: float
    seed: int
    retries: int
    read_remaining: bool
    future_dated_seconds: float | None
    from_firmware: str
    to_firmware: str


@dataclass(frozen=True, slots=True)
class CampaignSummary:
    parameters: CampaignParameters
    runs: tuple[CampaignReport, ...]
    dccsim_version: str
    generated_at: datetime  # UTC

    @property
    def baselines(self) -> tuple[str, ...]:
        return tuple(run.baseline for run in self.runs)

    @property
    def run_verdicts(self) -> tuple[str, ...]:
        return tuple(run_verdict(run) for run in self.runs)

    @property
    def verdict(self) -> str:
        """One line a test manager can quote: how each baseline's campaign ended."""
        return "; ".join(self.run_verdicts) + "."

    def as_dict(self) -> dict[str, object]:
        return {
            "dccsim_version": self.dccsim_version,
            "generated_at": self.generated_at.isoformat(timespec="seconds").replace("+00:00", "Z"),
            "parameters": asdict(self.parameters),
            "verdict": self.verdict,
            "runs": [run.as_dict() for run in self.runs],
        }


def summarise(
    parameters: CampaignParameters,
    runs: list[CampaignReport],
    *,
    generated_at: datetime | None = None,
) -> CampaignSummary:
    if not runs:
        raise ValueError("a campaign summary needs at least one run")
    return CampaignSummary(
        parameters,
        tuple(runs),
        dccsim_version(),
        generated_at or datetime.now(UTC).replace(microsecond=0),
    )


def dccsim_version() -> str:
    try:
        return metadata.version("dccsim")
    except metadata.PackageNotFoundError:  # run from a source tree that was never installed
        return "unknown"


def run_verdict(run: CampaignReport) -> str:
    """E.g. "pre-MP105: 247 of 300 devices Commissioned on firmware 0200, 53 (17.7%) left
    Suspended"."""
    target = f"Commissioned on firmware {run.firmware_version}"
    if run.complete:
        return f"{run.baseline}: all {run.devices} devices {target}"
    done = run.final_states.get(COMMISSIONED_ON_NEW, 0)
    suspended = run.final_states.get(STILL_SUSPENDED, 0)
    unknown = run.final_states.get(UNKNOWN, 0)
    parts = [f"{run.baseline}: {done} of {run.devices} devices {target}"]
    if suspended:
        parts.append(f"{suspended} ({_share(suspended, run.devices)}) left Suspended")
    if unknown:
        parts.append(f"{unknown} ({_share(unknown, run.devices)}) unknown")
    return ", ".join(parts)


def _share(count: int, total: int) -> str:
    return f"{100 * count / total:.1f}%"
