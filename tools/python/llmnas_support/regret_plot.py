"""An SVG of regret against expensive calls: one panel per (regret, dataset), one line per method, and where a curve's
points carry a half-width, its interval shaded around it."""

from typing import Dict, List, Sequence, Tuple
from xml.sax.saxutils import escape

LEGEND_COLUMNS = 4  # methods per legend row
COLORS = [
    "#7f7f7f",
    "#1f77b4",
    "#ff7f0e",
    "#2ca02c",
    "#9467bd",
    "#d62728",
    "#8c564b",
    "#e377c2",
    "#bcbd22",
    "#17becf",
    "#000000",
]
Point = Tuple[float, ...]  # (calls, mean regret) or (calls, mean regret, half-width of its interval)
WIDTH, HEIGHT, MARGIN = 300, 210, 44


def _panel(x0: float, y0: float, title: str, curves: Dict[str, List[Point]], methods: Sequence[str]) -> str:
    points = [p for c in curves.values() for p in c]
    xmax = max(p[0] for p in points) or 1.0
    ymax = max(p[1] + (p[2] if len(p) > 2 else 0) for p in points) or 1.0
    inner_w, inner_h = WIDTH - MARGIN - 10, HEIGHT - MARGIN - 24

    def sx(x: float) -> float:
        return x0 + MARGIN + inner_w * x / xmax

    def sy(y: float) -> float:
        return y0 + 24 + inner_h * (1 - y / ymax)

    out = [
        f'<text x="{x0 + WIDTH / 2:.1f}" y="{y0 + 14:.1f}" text-anchor="middle" font-size="12">{escape(title)}</text>',
        f'<rect x="{x0 + MARGIN:.1f}" y="{y0 + 24:.1f}" width="{inner_w}" height="{inner_h}" fill="none" '
        'stroke="#999"/>',
    ]
    for k in range(5):
        y = ymax * k / 4
        out.append(
            f'<text x="{x0 + MARGIN - 4:.1f}" y="{sy(y) + 3:.1f}" text-anchor="end" font-size="9">{y:.2f}</text>'
        )
        x = xmax * k / 4
        out.append(
            f'<text x="{sx(x):.1f}" y="{y0 + HEIGHT - MARGIN + 12:.1f}" text-anchor="middle" '
            f'font-size="9">{x:.0f}</text>'
        )
    out.append(
        f'<text x="{x0 + MARGIN + inner_w / 2:.1f}" y="{y0 + HEIGHT - MARGIN + 26:.1f}" text-anchor="middle" '
        'font-size="9">expensive calls</text>'
    )
    for i, method in enumerate(methods):
        curve = curves.get(method)
        if not curve:
            continue
        color = COLORS[i % len(COLORS)]
        if any(len(p) > 2 and p[2] > 0 for p in curve):
            upper = [f"{sx(p[0]):.1f},{sy(p[1] + p[2]):.1f}" for p in curve]
            lower = [f"{sx(p[0]):.1f},{sy(max(p[1] - p[2], 0)):.1f}" for p in reversed(curve)]
            band = " ".join(upper + lower)
            out.append(f'<polygon fill="{color}" fill-opacity="0.15" stroke="none" points="{band}"/>')
        path = " ".join(f"{sx(p[0]):.1f},{sy(p[1]):.1f}" for p in curve)
        out.append(f'<polyline fill="none" stroke="{color}" stroke-width="1.5" points="{path}"/>')
    return "\n".join(out)


def write(
    path: str,
    panels: List[Tuple[str, Dict[str, List[Point]]]],
    methods: Sequence[str],
    columns: int,
    caption: str,
) -> None:
    """Writes `panels` (title, {method: [(calls, mean regret[, half-width])]}) in a grid of `columns`, with a legend."""
    rows = (len(panels) + columns - 1) // columns
    legend_rows = (len(methods) + LEGEND_COLUMNS - 1) // LEGEND_COLUMNS
    width, height = columns * WIDTH, rows * HEIGHT + 44 + 16 * legend_rows
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-family="sans-serif">',
        f'<rect width="{width}" height="{height}" fill="white"/>',
    ]
    for n, (title, curves) in enumerate(panels):
        parts.append(_panel((n % columns) * WIDTH, (n // columns) * HEIGHT, title, curves, methods))
    for i, method in enumerate(methods):
        x = 10 + (i % LEGEND_COLUMNS) * (width - 20) / LEGEND_COLUMNS
        y = rows * HEIGHT + 16 + 16 * (i // LEGEND_COLUMNS)
        parts.append(
            f'<line x1="{x:.1f}" y1="{y:.1f}" x2="{x + 18:.1f}" y2="{y:.1f}" stroke="{COLORS[i % len(COLORS)]}" '
            'stroke-width="2"/>'
        )
        parts.append(f'<text x="{x + 22:.1f}" y="{y + 4:.1f}" font-size="11">{escape(method)}</text>')
    parts.append(
        f'<text x="10" y="{rows * HEIGHT + 16 * legend_rows + 30:.1f}" font-size="10">{escape(caption)}</text>'
    )
    parts.append("</svg>")
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        f.write("\n".join(parts) + "\n")
    import os

    os.replace(tmp, path)
