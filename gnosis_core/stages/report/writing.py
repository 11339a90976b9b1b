"""Writing a report: report.json, report.md, the PNGs and the self-contained index.html."""
from __future__ import annotations

import base64
import html
import json
import sys
from pathlib import Path

from gnosis_core import shards
from gnosis_core.markdown import cell
from gnosis_core.stages.report.plots import PLOT_CAPTIONS, PLOT_TITLES, draw_plots
from gnosis_core.stages.report.tables import Table, _who_columns, tables

PLOTS_HINT = 'plots need matplotlib: pip install "gnosis[report]"'


def write_outputs(report: dict, out_dir: Path, draw: bool) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    plots, note = {}, ""
    if draw:
        try:
            import matplotlib  # noqa: F401
        except ImportError:
            note = PLOTS_HINT
            print(f"gnosis: {PLOTS_HINT}", file=sys.stderr)
        else:
            plots = draw_plots(report)
    written = [shards.write_text(json.dumps(report, indent=1, ensure_ascii=False) + "\n", out_dir / "report.json"),
               shards.write_text(markdown(report, plots), out_dir / "report.md")]
    for name, png in plots.items():
        with shards.atomic_path(out_dir / f"{name}.png") as tmp:
            Path(tmp).write_bytes(png)
        written.append(out_dir / f"{name}.png")
    written.append(shards.write_text(html_page(report, plots, note), out_dir / "index.html"))
    return written



def markdown(report: dict, plots: dict[str, bytes]) -> str:
    lines = ["# gnosis report", "", "| run | kind | dir | rows | tasks |", "|---|---|---|---:|---|"]
    lines += [f"| {cell(r['name'])} | {r['kind']} | {cell(r['dir'], code=True)} | {r['rows']:,} | "
              f"{cell(', '.join(r['tasks']))} |" for r in report["runs"]]
    for table in tables(report):
        lines += ["", f"## {cell(table.title)}", "", "| " + " | ".join(map(cell, table.columns)) + " |",
                  "|" + "|".join("---" if i < len(_who_columns(report)) else "---:"
                                 for i in range(len(table.columns))) + "|"]
        lines += ["| " + " | ".join(map(cell, row)) + " |" for row in table.rows]
        if table.note:
            lines += ["", f"_{cell(table.note)}_"]
    if plots:
        lines += ["", "## Plots", ""]
        lines += [f"### {PLOT_TITLES[name]}\n\n{PLOT_CAPTIONS[name]}\n\n![{PLOT_TITLES[name]}]({name}.png)\n"
                  for name in plots]
    lines += ["", "Every number is in `report.json`.", ""]
    return "\n".join(lines)


def html_page(report: dict, plots: dict[str, bytes], note: str = "") -> str:
    """One self-contained page: tables and plots (PNG data URIs), no external resource."""
    parts = ["<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
             "<title>gnosis report</title>", f"<style>{_CSS}</style></head><body>",
             "<h1>gnosis report</h1>"]
    parts.append("<table><tr><th>run</th><th>kind</th><th>dir</th><th>rows</th><th>tasks</th></tr>" + "".join(
        f"<tr><td>{_e(r['name'])}</td><td>{_e(r['kind'])}</td><td><code>{_e(r['dir'])}</code></td>"
        f"<td class=n>{r['rows']:,}</td><td>{_e(', '.join(r['tasks']))}</td></tr>" for r in report["runs"])
        + "</table>")
    if note:
        parts.append(f"<p class=note>{_e(note)}</p>")
    who = len(_who_columns(report))
    main, *rest = tables(report)
    parts.append(_html_table(main, who))  # the numbers first, then the pictures, then the details
    for name, png in plots.items():
        parts.append(f"<figure><figcaption><b>{_e(PLOT_TITLES[name])}</b> {_e(PLOT_CAPTIONS[name])}</figcaption>"
                     f'<img alt="{_e(PLOT_TITLES[name])}" src="data:image/png;base64,'
                     f'{base64.b64encode(png).decode("ascii")}"></figure>')
    parts += [_html_table(table, who) for table in rest]
    parts.append("<p class=note>Every number is in report.json beside this page.</p></body></html>")
    return "\n".join(parts) + "\n"


def _html_table(table: Table, who: int) -> str:
    return (f"<h2>{_e(table.title)}</h2><table><tr>" + "".join(f"<th>{_e(c)}</th>" for c in table.columns) + "</tr>"
            + "".join("<tr>" + "".join(f"<td{'' if i < who else ' class=n'}>{_e(v)}</td>" for i, v in enumerate(row))
                      + "</tr>" for row in table.rows)
            + "</table>" + (f"<p class=note>{_e(table.note)}</p>" if table.note else ""))


def _e(text) -> str:
    return html.escape(str(text), quote=True)


_CSS = ("body{font-family:system-ui,sans-serif;margin:2em;color:#222;max-width:1400px}"
        "table{border-collapse:collapse;margin:.5em 0 1em}th,td{border:1px solid #ccc;padding:.25em .6em}"
        "th{background:#f3f3f3}td.n{text-align:right;font-variant-numeric:tabular-nums}"
        "figure{margin:1em 0}figure img{max-width:100%;border:1px solid #eee}.note{color:#666;font-size:.9em}")
