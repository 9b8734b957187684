"""Campaign reports for people: a terminal table and a self-contained HTML bar chart."""

from __future__ import annotations

import html

from rich.table import Table

from dccsim.clients.campaign import FINAL_STATES, CampaignReport

_COLOURS = ("#2e7d32", "#c62828", "#9e9e9e")


def report_table(reports: list[CampaignReport]) -> Table:
    table = Table(title=f"Firmware campaign over {reports[0].devices} devices")
    table.add_column("")
    for report in reports:
        table.add_column(f"baseline {report.baseline}", justify="right")
    for state in FINAL_STATES:
        table.add_row(state, *(str(r.final_states.get(state, 0)) for r in reports))
    table.add_row(
        "11.3 responses never received", *(str(r.activation_responses_missing) for r in reports)
    )
    for srv in sorted({s for r in reports for s in r.requests_by_srv}):
        table.add_row(
            f"requests: SRV {srv}", *(str(r.requests_by_srv.get(srv, 0)) for r in reports)
        )
    for code in sorted({c for r in reports for c in r.alerts_by_code}):
        table.add_row(f"alerts: {code}", *(str(r.alerts_by_code.get(code, 0)) for r in reports))
    table.add_row("virtual time (s)", *(f"{r.virtual_seconds:g}" for r in reports))
    table.add_row("wall time (s)", *(f"{r.wall_seconds:.2f}" for r in reports))
    return table


def report_html(reports: list[CampaignReport]) -> str:
    """Grouped bars: devices per final state, one group per baseline."""
    width, height, bar, gap = 640, 320, 48, 36
    top = max([1, *(n for r in reports for n in r.final_states.values())])
    plot = height - 60
    shapes = []
    x = 60
    for report in reports:
        for colour, state in zip(_COLOURS, FINAL_STATES, strict=True):
            count = report.final_states.get(state, 0)
            h = plot * count / top
            shapes.append(
                f'<rect x="{x}" y="{20 + plot - h:.1f}" width="{bar}" height="{h:.1f}" '
                f'fill="{colour}"><title>{html.escape(state)}: {count}</title></rect>'
            )
            shapes.append(
                f'<text x="{x + bar / 2}" y="{15 + plot - h:.1f}" '
                f'text-anchor="middle" font-size="12">{count}</text>'
            )
            x += bar
        shapes.append(
            f'<text x="{x - 1.5 * bar}" y="{height - 20}" text-anchor="middle" '
            f'font-size="13">{html.escape(report.baseline)}</text>'
        )
        x += gap
    legend = "".join(
        f'<span style="color:{c}">&#9632;</span> {html.escape(s)} &nbsp; '
        for c, s in zip(_COLOURS, FINAL_STATES, strict=True)
    )
    return (
        "<!doctype html><meta charset='utf-8'><title>dccsim campaign</title>"
        f"<h1>Firmware campaign over {reports[0].devices} devices</h1><p>{legend}</p>"
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{max(width, x)}" height="{height}">'
        f'<line x1="50" y1="{20 + plot}" x2="{x}" y2="{20 + plot}" stroke="#333"/>'
        + "".join(shapes)
        + "</svg>"
    )
