"""Campaign reports for people: a terminal table, and one self-contained HTML page a test manager
can forward (no scripts, fonts or images fetched from anywhere: the chart is inline SVG).

Both are drawn from the same sections, so the terminal and the page never disagree. The page is
a Jinja2 template (clients/templates/) and its chart a pygal bar chart rendered to SVG here.
"""

from __future__ import annotations

from dataclasses import dataclass

import pygal
from jinja2 import Environment, PackageLoader, select_autoescape
from lxml import etree
from markupsafe import Markup
from pygal.style import Style
from rich.table import Table

from dccsim.clients.campaign import (
    COMMISSIONED_ON_NEW,
    FINAL_STATES,
    STILL_SUSPENDED,
    UNKNOWN,
    CampaignReport,
    DeviceOutcome,
)
from dccsim.clients.campaign_summary import CampaignSummary
from dccsim.devices.alerts import DeviceAlertCode
from dccsim.devices.codes import AlertCode
from dccsim.server.core.baseline import Baseline
from dccsim.server.core.codes import DccAlertCode
from dccsim.server.core.matrix import SERVICE_MATRIX

FINAL_STATE_LABELS = {
    COMMISSIONED_ON_NEW: "Commissioned on the new firmware",
    STILL_SUSPENDED: "still Suspended",
    UNKNOWN: "unknown",
}
# One colour per baseline, in run order: the current rules first, as the CLI runs them.
_SERIES_COLOURS = ("#2e7d32", "#e65100", "#1565c0", "#6a1b9a")
# The page lists at most this many devices per run: at a million devices a pre-MP105 run leaves
# about 180,000 behind, which no one reads in a browser; the JSON report lists them all.
PAGE_DEVICE_LIMIT = 500


@dataclass(frozen=True, slots=True)
class Row:
    label: str
    values: tuple[str, ...]  # one per run
    note: str = ""  # what the label means (an SRV's or an alert's name)


@dataclass(frozen=True, slots=True)
class Section:
    title: str
    rows: tuple[Row, ...]


def comparison_sections(runs: tuple[CampaignReport, ...]) -> tuple[Section, ...]:
    """The runs side by side: devices per final state, requests by SRV, alerts by code, time."""
    states = [
        Row(FINAL_STATE_LABELS[state], tuple(str(r.final_states.get(state, 0)) for r in runs))
        for state in FINAL_STATES
    ]
    states.append(
        Row(
            "11.3 responses never received",
            tuple(str(r.activation_responses_missing) for r in runs),
        )
    )
    requests = tuple(
        Row(srv, tuple(str(r.requests_by_srv.get(srv, 0)) for r in runs), srv_name(srv))
        for srv in sorted({s for r in runs for s in r.requests_by_srv})
    )
    alerts = tuple(
        Row(code, tuple(str(r.alerts_by_code.get(code, 0)) for r in runs), alert_name(code))
        for code in sorted({c for r in runs for c in r.alerts_by_code})
    )
    times = (
        Row("virtual time (s)", tuple(f"{r.virtual_seconds:g}" for r in runs)),
        Row("wall time (s)", tuple(f"{r.wall_seconds:.2f}" for r in runs)),
    )
    return (
        Section("Devices per final state", tuple(states)),
        Section("Requests by SRV", requests),
        Section("Alerts by code", alerts),
        Section("Time", times),
    )


def report_table(summary: CampaignSummary) -> Table:
    runs = summary.runs
    table = Table(
        title=f"Firmware campaign over {runs[0].devices} devices", caption=summary.verdict
    )
    table.add_column("")
    for run in runs:
        table.add_column(f"baseline {run.baseline}", justify="right")
    for section in comparison_sections(runs):
        table.add_section()
        table.add_row(f"[bold]{section.title}[/bold]")
        for row in section.rows:
            label = f"{row.label} {row.note}" if row.note else row.label
            table.add_row(label, *row.values)
    return table


def report_html(summary: CampaignSummary) -> str:
    environment = Environment(
        loader=PackageLoader("dccsim.clients", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    template = environment.get_template("campaign.html.j2")
    return template.render(
        summary=summary,
        parameters=summary.parameters,
        runs=summary.runs,
        run_verdicts=summary.run_verdicts,
        generated_at=summary.generated_at.strftime("%Y-%m-%d %H:%M:%S UTC"),
        rerun_command=rerun_command(summary),
        sections=comparison_sections(summary.runs),
        chart=final_states_chart(summary.runs),
        left_behind=[_left_behind(run) for run in summary.runs],
        device_limit=PAGE_DEVICE_LIMIT,
    )


def final_states_chart(runs: tuple[CampaignReport, ...]) -> Markup:
    """Grouped bars: devices per final state, one bar per baseline in each group."""
    style = Style(
        background="white",
        plot_background="white",
        font_family="system-ui, sans-serif",
        colors=_SERIES_COLOURS,
        label_font_size=13,
        major_label_font_size=13,
        legend_font_size=13,
        value_font_size=12,
    )
    chart = pygal.Bar(
        style=style,
        width=720,
        height=320,
        js=[],  # pygal links its tooltip script from the web by default: the page stays offline
        disable_xml_declaration=True,
        print_values=True,
        legend_at_bottom=True,
        show_y_guides=True,
        show_minor_y_labels=False,  # a label every few guides: the counts are printed on the bars
        y_labels_major_count=6,
        explicit_size=False,
        truncate_label=-1,  # the state names are short enough to print whole
    )
    # pygal names the SVG's id (and its CSS selectors) after a random uuid: a fixed one keeps two
    # reports of the same seed identical but for their times.
    chart.uuid = "campaign-final-states"
    chart.x_labels = [FINAL_STATE_LABELS[state] for state in FINAL_STATES]
    for run in runs:
        chart.add(f"baseline {run.baseline}", [run.final_states.get(s, 0) for s in FINAL_STATES])
    svg = chart.render_tree()
    # pygal adds an inline script of its configuration for its tooltip script, which js=[] left
    # out: without it the script is dead weight, and the page is better with none at all.
    for parent in list(svg.iter()):
        for child in list(parent):
            if isinstance(child.tag, str) and child.tag.endswith("script"):
                parent.remove(child)
    # The SVG is pygal's own output from numbers and our labels, which pygal escapes.
    return Markup(etree.tostring(svg, encoding="unicode"))


@dataclass(frozen=True, slots=True)
class LeftBehind:
    baseline: str
    devices: tuple[DeviceOutcome, ...]  # the first PAGE_DEVICE_LIMIT
    total: int


def _left_behind(run: CampaignReport) -> LeftBehind:
    devices = [*run.suspended_devices, *run.unknown_devices]
    return LeftBehind(run.baseline, tuple(devices[:PAGE_DEVICE_LIMIT]), len(devices))


def rerun_command(summary: CampaignSummary) -> str:
    """The `dccsim campaign` command line that runs this campaign again."""
    p = summary.parameters
    words = [
        "dccsim campaign",
        f"--devices {p.devices}",
        f"--smets1-share {p.smets1_share:g}",
        f"--lose-activation-responses {p.activation_response_loss:g}",
        f"--seed {p.seed}",
        f"--retries {p.retries}",
    ]
    if not p.read_remaining:
        words.append("--no-read")
    if p.future_dated_seconds is not None:
        words.append(f"--future-dated {p.future_dated_seconds:g}")
    if summary.baselines == (Baseline.CURRENT.value, Baseline.PRE_MP105.value):
        words.append("--compare-baselines")
    else:
        words.extend(f"--baseline {baseline}" for baseline in summary.baselines[:1])
    return " ".join(words)


def srv_name(srv: str) -> str:
    definition = SERVICE_MATRIX.get(srv)
    return definition.name if definition is not None else ""


def alert_name(code: str) -> str:
    """N28 -> "Device suspended", 0x8F66 -> "Future dated command actioned"."""
    if code.startswith("0x"):
        value = int(code, 16)
        for codes in (AlertCode, DeviceAlertCode):
            try:
                return _words(codes(value).name)
            except ValueError:
                continue
        return ""
    try:
        return _words(DccAlertCode(code).name)
    except ValueError:
        return ""


def _words(name: str) -> str:
    return name.replace("_", " ").capitalize()
