"""Small accessible bar charts of a compiled report, drawn on the server.

Each chart is laid out once as a list of shapes (rectangles, lines, texts) and then
written either as SVG for the page (no script, no inline ``style``: presentation
attributes and classes only, because the CSP forbids inline styles) or as a reportlab
drawing for the PDF — so the page and the PDF show the same picture. Every SVG has
``role="img"``, a ``<title>`` and a ``<desc>`` listing the values, axis labels and the
value printed on each bar; the page has the same numbers as a table anyway.

Charts: applicants by sex × age group (grouped bars L/P), by education (bars),
applications by day (bars) and the funnel (horizontal bars). Output is deterministic
(same report and locale → same bytes) and every text is escaped.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from html import escape
from typing import Any

from jobfair.i18n import N_
from jobfair.stats.present import Presenter, table

WIDTH = 640
FONT = 12
COLOURS = {"L": "#1d5fa8", "P": "#b5451b", "total": "#2e6b4f", "funnel": "#5b4b8a"}
INK = "#1f2328"
GRID = "#d0d7de"


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    w: float
    h: float
    fill: str
    css: str


@dataclass(frozen=True)
class Line:
    x1: float
    y1: float
    x2: float
    y2: float
    stroke: str
    css: str


@dataclass(frozen=True)
class Text:
    x: float
    y: float
    text: str
    anchor: str = "start"  # start | middle | end
    size: float = FONT
    css: str = "chart-label"
    rotate: bool = False  # vertical (the y-axis title)
    bold: bool = False


Shape = Rect | Line | Text


@dataclass
class Chart:
    key: str
    title: str
    desc: str
    width: float
    height: float
    shapes: list[Shape] = field(default_factory=list)

    def svg(self) -> str:
        return to_svg(self)

    def drawing(self) -> Any:
        return to_drawing(self)


@dataclass(frozen=True)
class Series:
    key: str
    label: str
    values: list[float]


def _fmt(value: float) -> str:
    """Coordinates with at most two decimals and no trailing zeros: stable output."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def nice_max(value: float) -> float:
    """The axis maximum: ``value`` rounded up to 1, 2, 2.5 or 5 × 10^k (1 when 0)."""
    if value <= 0:
        return 1.0
    exponent = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * exponent:
            return float(step * exponent)
    return float(10 * exponent)  # pragma: no cover - the loop always returns


def _number(value: Any) -> float:
    return float(value) if isinstance(value, int | float) else 0.0


def _value_key(source: Mapping[str, Any], preferred: Sequence[str]) -> str | None:
    keys = [column["key"] for column in source.get("columns", [])]
    for key in preferred:
        if key in keys:
            return key
    for column in source.get("columns", [])[1:]:
        if column.get("kind") == "int":
            return str(column["key"])
    return None


def _column_label(source: Mapping[str, Any], key: str, p: Presenter) -> str:
    for column in source.get("columns", []):
        if column["key"] == key:
            return p._(column.get("label", key))
    return key


def _desc(p: Presenter, categories: list[str], series: list[Series]) -> str:
    parts = []
    for one in series:
        values = ", ".join(
            f"{name} {p.number(value)}" for name, value in zip(categories, one.values, strict=True)
        )
        parts.append(f"{one.label}: {values}." if values else f"{one.label}: –.")
    return " ".join(parts)


def vertical_bars(
    key: str,
    title: str,
    categories: list[str],
    series: list[Series],
    p: Presenter,
    *,
    x_label: str,
    y_label: str,
) -> Chart:
    """Grouped vertical bars: one group per category, one bar per series."""
    height = 320.0
    left, right, top, bottom = 64.0, 16.0, 36.0 if len(series) > 1 else 16.0, 64.0
    plot_w, plot_h = WIDTH - left - right, height - top - bottom
    chart = Chart(key, title, _desc(p, categories, series), WIDTH, height)
    top_value = nice_max(max((v for one in series for v in one.values), default=0))
    base = top + plot_h
    for step in range(5):
        value = top_value * step / 4
        y = base - plot_h * step / 4
        chart.shapes.append(Line(left, y, left + plot_w, y, GRID, "chart-grid"))
        chart.shapes.append(
            Text(left - 6, y + 4, p.number(round(value, 2)), "end", 12, "chart-tick")
        )
    count = max(len(categories), 1)
    group_w = plot_w / count
    bar_w = min(48.0, group_w * 0.8 / max(len(series), 1))
    for index, category in enumerate(categories):
        centre = left + group_w * (index + 0.5)
        start = centre - bar_w * len(series) / 2
        for number, one in enumerate(series):
            value = one.values[index]
            bar_h = plot_h * value / top_value
            x = start + number * bar_w
            chart.shapes.append(
                Rect(
                    x + 1,
                    base - bar_h,
                    bar_w - 2,
                    bar_h,
                    COLOURS.get(one.key, COLOURS["total"]),
                    f"chart-bar series-{one.key.lower()}",
                )
            )
            chart.shapes.append(
                Text(x + bar_w / 2, base - bar_h - 4, p.number(value), "middle", 12, "chart-value")
            )
        chart.shapes.append(Text(centre, base + 18, category, "middle", 12, "chart-category"))
    chart.shapes.append(Line(left, base, left + plot_w, base, INK, "chart-axis"))
    chart.shapes.append(Line(left, top, left, base, INK, "chart-axis"))
    chart.shapes.append(
        Text(left + plot_w / 2, height - 12, x_label, "middle", 13, "chart-axis-label")
    )
    chart.shapes.append(Text(16, top + plot_h / 2, y_label, "middle", 13, "chart-axis-label", True))
    if len(series) > 1:
        x = left
        for one in series:
            chart.shapes.append(
                Rect(
                    x,
                    10,
                    12,
                    12,
                    COLOURS.get(one.key, COLOURS["total"]),
                    f"chart-key series-{one.key.lower()}",
                )
            )
            chart.shapes.append(Text(x + 18, 20, one.label, "start", 12, "chart-legend"))
            x += 18 + 8 * len(one.label) + 24
    return chart


def horizontal_bars(
    key: str,
    title: str,
    categories: list[str],
    values: list[float],
    p: Presenter,
    *,
    x_label: str,
    y_label: str,
) -> Chart:
    """One horizontal bar per category (the funnel), value printed after the bar."""
    bar_h, gap = 22.0, 8.0
    left, right, top, bottom = 220.0, 64.0, 12.0, 48.0
    height = top + len(categories) * (bar_h + gap) + bottom
    plot_w = WIDTH - left - right
    label = p._(y_label)
    chart = Chart(
        key, title, _desc(p, categories, [Series("funnel", label, values)]), WIDTH, height
    )
    top_value = nice_max(max(values, default=0))
    base = height - bottom + gap / 2
    for index, (category, value) in enumerate(zip(categories, values, strict=True)):
        y = top + index * (bar_h + gap)
        width = plot_w * value / top_value
        chart.shapes.append(
            Rect(left, y, width, bar_h, COLOURS["funnel"], "chart-bar series-funnel")
        )
        chart.shapes.append(
            Text(left + width + 6, y + bar_h / 2 + 4, p.number(value), "start", 12, "chart-value")
        )
        chart.shapes.append(
            Text(left - 8, y + bar_h / 2 + 4, category, "end", 12, "chart-category")
        )
    chart.shapes.append(Line(left, top - 4, left, base, INK, "chart-axis"))
    chart.shapes.append(Line(left, base, left + plot_w, base, INK, "chart-axis"))
    for step in range(5):
        x = left + plot_w * step / 4
        chart.shapes.append(
            Text(x, base + 14, p.number(round(top_value * step / 4, 2)), "middle", 12, "chart-tick")
        )
    chart.shapes.append(
        Text(left + plot_w / 2, height - 8, x_label, "middle", 13, "chart-axis-label")
    )
    return chart


# ------------------------------------------------------------------ the report's charts


def _categories(source: Mapping[str, Any], p: Presenter) -> tuple[list[Mapping[str, Any]], str]:
    first = source.get("columns", [{}])[0]
    return list(source.get("rows", [])), str(first.get("key", ""))


def sex_age_chart(report: Mapping[str, Any], p: Presenter) -> Chart | None:
    source = table(report, "sex_age")
    if source is None:
        return None
    rows, first = _categories(source, p)
    columns = source["columns"]
    categories = [p.cell(row.get(first), columns[0]) for row in rows]
    series = [
        Series(sex, _column_label(source, sex, p), [_number(row.get(sex)) for row in rows])
        for sex in ("L", "P")
    ]
    return vertical_bars(
        "sex_age",
        p._(source.get("title", "")),
        categories,
        series,
        p,
        x_label=_column_label(source, first, p),
        y_label=p._(N_("Applicants")),
    )


def education_chart(report: Mapping[str, Any], p: Presenter) -> Chart | None:
    source = table(report, "education")
    if source is None:
        return None
    rows, first = _categories(source, p)
    # Codes on the axis (labels are long); the table beside the chart names them.
    categories = [str(row.get(first, "")) for row in rows]
    key = _value_key(source, ("total",))
    values = [
        _number(row.get(key)) if key else _number(row.get("L")) + _number(row.get("P"))
        for row in rows
    ]
    label = p._(N_("Applicants"))
    return vertical_bars(
        "education",
        p._(source.get("title", "")),
        categories,
        [Series("total", label, values)],
        p,
        x_label=_column_label(source, first, p),
        y_label=label,
    )


def by_day_chart(report: Mapping[str, Any], p: Presenter) -> Chart | None:
    source = table(report, "by_day")
    if source is None:
        return None
    rows, first = _categories(source, p)
    key = _value_key(source, ("applications",))
    categories = []
    for row in rows:
        text = p.day(row.get(first))
        # "Sel 3 Nov 2026" → "3 Nov": the axis has little room and the caption has the year.
        parts = text.split(" ")
        categories.append(" ".join(parts[1:3]) if len(parts) == 4 else text)
    label = _column_label(source, key, p) if key else p._(N_("Applications"))
    return vertical_bars(
        "by_day",
        p._(source.get("title", "")),
        categories,
        [Series("total", label, [_number(row.get(key)) for row in rows])],
        p,
        x_label=_column_label(source, first, p),
        y_label=label,
    )


def funnel_chart(report: Mapping[str, Any], p: Presenter) -> Chart | None:
    source = table(report, "funnel")
    if source is None:
        return None
    rows, first = _categories(source, p)
    key = _value_key(source, ("count", "applications", "value"))
    columns = source["columns"]
    categories = [p.cell(row.get(first), columns[0]) for row in rows]
    label = _column_label(source, key, p) if key else p._(N_("Applications"))
    return horizontal_bars(
        "funnel",
        p._(source.get("title", "")),
        categories,
        [_number(row.get(key)) for row in rows],
        p,
        x_label=label,
        y_label=label,
    )


def registrations_chart(report: Mapping[str, Any], p: Presenter) -> Chart | None:
    """The office statistics' job seekers registered per month (or day), men and women."""
    source = table(report, "registrations")
    if source is None:
        return None
    rows, first = _categories(source, p)
    series = [
        Series(sex, _column_label(source, sex, p), [_number(row.get(sex)) for row in rows])
        for sex in ("L", "P")
    ]
    return vertical_bars(
        "registrations",
        p._(source.get("title", "")),
        [str(row.get(first, "")) for row in rows],
        series,
        p,
        x_label=_column_label(source, first, p),
        y_label=p._(N_("Job seekers")),
    )


def stock_flow_chart(report: Mapping[str, Any], p: Presenter) -> Chart | None:
    """The office statistics' job seekers through the period (IPK III/1's total row):
    carried over, registered, placed, removed, carried forward, men and women."""
    source = table(report, "ipk_iii_1")
    if source is None or report.get("kind") != "office":
        return None
    totals = source.get("totals", {})
    stages = [
        ("carried_over", N_("Carried over")),
        ("registered", N_("Registered")),
        ("placed", N_("Placed")),
        ("removed", N_("Removed")),
        ("carried_forward", N_("Carried forward")),
    ]
    series = [
        Series(sex, label, [_number(totals.get(f"{stage}_{sex}")) for stage, _ in stages])
        for sex, label in (("L", p._(N_("Men (L)"))), ("P", p._(N_("Women (P)"))))
    ]
    return vertical_bars(
        "ipk_iii_1",
        p._(N_("Job seekers through the period")),
        [p._(label) for _stage, label in stages],
        series,
        p,
        x_label=p._(N_("Stage of the stock-flow")),
        y_label=p._(N_("Job seekers")),
    )


def drive_progress_chart(report: Mapping[str, Any], p: Presenter) -> Chart | None:
    """A drive's progress file (``stats.drive_report``): the page's chart of the weeks."""
    source = table(report, "drive_weeks")
    if source is None:
        return None
    weeks = [(int(row["week"]), int(row["placed"])) for row in source.get("rows", [])]
    return drive_weeks_chart(weeks, p)


CHARTS = {
    "sex_age": sex_age_chart,
    "education": education_chart,
    "by_day": by_day_chart,
    "funnel": funnel_chart,
    "ipk_iii_1": stock_flow_chart,
    "registrations": registrations_chart,
    "drive_weeks": drive_progress_chart,
}


def drive_weeks_chart(weeks: Sequence[tuple[int, int]], p: Presenter) -> Chart:
    """A hiring drive's people placed per week (``(week number, placed)``), as the
    report's bars: the drive's page (services.drives.Progress.weeks)."""
    label = p._(N_("People placed"))
    return vertical_bars(
        "drive_weeks",
        p._(N_("People placed per week")),
        [p._(N_("W%(week)s")) % {"week": number} for number, _placed in weeks],
        [Series("total", label, [float(placed) for _number, placed in weeks])],
        p,
        x_label=p._(N_("Week of the drive")),
        y_label=label,
    )


def report_charts(report: Mapping[str, Any], p: Presenter) -> dict[str, Chart]:
    """The charts the report has data for, by table key."""
    charts = {}
    for key, build in CHARTS.items():
        chart = build(report, p)
        if chart is not None:
            charts[key] = chart
    return charts


# ------------------------------------------------------------------ the live dashboard

LIVE_WIDTH = 400.0
LIVE_HEIGHT = 180.0
# Every how many minutes the live chart's time axis has a label.
LIVE_LABEL_EVERY = 10


def minutes_ago_label(ago: int, p: Presenter) -> str:
    return p._(N_("now")) if ago == 0 else p._(N_("%(minutes)s min ago")) % {"minutes": ago}


def per_minute_chart(per_minute: Sequence[int], p: Presenter) -> Chart:
    """The live dashboard's applications per minute, oldest first, the last bar the
    current minute: a bar a minute, the count axis from 0 to a round maximum, the time
    axis labelled every :data:`LIVE_LABEL_EVERY` minutes. Drawn smaller than the
    report's charts (it sits in a column beside the counters) but never below 300 px on
    the page: the stylesheet stretches it to the column."""
    width, height = LIVE_WIDTH, LIVE_HEIGHT
    left, right, top, bottom = 48.0, 12.0, 12.0, 36.0
    plot_w, plot_h = width - left - right, height - top - bottom
    count = len(per_minute)
    label = p._(N_("Applications"))
    categories = [minutes_ago_label(count - 1 - index, p) for index in range(count)]
    title = p._(N_("Applications per minute, last %(minutes)s minutes")) % {"minutes": count}
    chart = Chart(
        "per-minute",
        title,
        _desc(p, categories, [Series("total", label, [float(n) for n in per_minute])]),
        width,
        height,
    )
    # Counts are whole: ticks a whole, round step apart, up to four of them above 0.
    peak = max(per_minute, default=0)
    step = max(1, math.ceil(nice_max(peak / 4)))
    top_value = float(step * max(2, math.ceil(peak / step)))
    base = top + plot_h
    for value in range(0, int(top_value) + 1, step):
        y = base - plot_h * value / top_value
        chart.shapes.append(Line(left, y, left + plot_w, y, GRID, "chart-grid"))
        chart.shapes.append(Text(left - 6, y + 4, p.number(value), "end", 12, "chart-tick"))
    slot = plot_w / max(count, 1)
    for index, value in enumerate(per_minute):
        bar_h = plot_h * value / top_value
        x = left + slot * index
        chart.shapes.append(
            Rect(x + 1, base - bar_h, max(slot - 2, 1), bar_h, COLOURS["total"], "chart-bar")
        )
        ago = count - 1 - index
        if ago % LIVE_LABEL_EVERY == 0:
            anchor = "end" if ago == 0 else "middle"
            at = x + slot if ago == 0 else x + slot / 2
            tick = x + slot / 2
            chart.shapes.append(Line(tick, base, tick, base + 4, INK, "chart-axis"))
            chart.shapes.append(
                Text(at, base + 18, categories[index], anchor, 12, "chart-category")
            )
    chart.shapes.append(Line(left, base, left + plot_w, base, INK, "chart-axis"))
    chart.shapes.append(Line(left, top, left, base, INK, "chart-axis"))
    chart.shapes.append(Text(14, top + plot_h / 2, label, "middle", 12, "chart-axis-label", True))
    return chart


# ------------------------------------------------------------------ SVG


def to_svg(chart: Chart) -> str:
    ident = f"chart-{escape(chart.key, quote=True)}"
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'viewBox="0 0 {_fmt(chart.width)} {_fmt(chart.height)}" '
        f'width="{_fmt(chart.width)}" height="{_fmt(chart.height)}" '
        f'aria-labelledby="{ident}-title {ident}-desc" '
        f'font-family="system-ui, -apple-system, Segoe UI, Roboto, sans-serif">',
        f'<title id="{ident}-title">{escape(chart.title, quote=False)}</title>',
        f'<desc id="{ident}-desc">{escape(chart.desc, quote=False)}</desc>',
    ]
    for shape in chart.shapes:
        if isinstance(shape, Rect):
            out.append(
                f'<rect class="{shape.css}" x="{_fmt(shape.x)}" y="{_fmt(shape.y)}" '
                f'width="{_fmt(max(shape.w, 0))}" height="{_fmt(max(shape.h, 0))}" '
                f'fill="{shape.fill}"/>'
            )
        elif isinstance(shape, Line):
            out.append(
                f'<line class="{shape.css}" x1="{_fmt(shape.x1)}" y1="{_fmt(shape.y1)}" '
                f'x2="{_fmt(shape.x2)}" y2="{_fmt(shape.y2)}" stroke="{shape.stroke}"/>'
            )
        else:
            rotate = (
                f' transform="rotate(-90 {_fmt(shape.x)} {_fmt(shape.y)})"' if shape.rotate else ""
            )
            weight = ' font-weight="bold"' if shape.bold else ""
            out.append(
                f'<text class="{shape.css}" x="{_fmt(shape.x)}" y="{_fmt(shape.y)}" '
                f'text-anchor="{shape.anchor}" font-size="{_fmt(shape.size)}" '
                f'fill="{INK}"{weight}{rotate}>{escape(shape.text, quote=False)}</text>'
            )
    out.append("</svg>")
    return "\n".join(out)


# ------------------------------------------------------------------ reportlab


def to_drawing(chart: Chart, font: str = "Helvetica") -> Any:
    """The chart as a reportlab ``Drawing`` (y grows upwards there: flipped here)."""
    from reportlab.graphics.shapes import Drawing, Group, String
    from reportlab.graphics.shapes import Line as RLLine
    from reportlab.graphics.shapes import Rect as RLRect
    from reportlab.lib.colors import HexColor

    drawing = Drawing(chart.width, chart.height)
    height = chart.height
    anchors = {"start": "start", "middle": "middle", "end": "end"}
    for shape in chart.shapes:
        if isinstance(shape, Rect):
            if shape.h <= 0 or shape.w <= 0:
                continue
            drawing.add(
                RLRect(
                    shape.x,
                    height - shape.y - shape.h,
                    shape.w,
                    shape.h,
                    fillColor=HexColor(shape.fill),
                    strokeColor=None,
                )
            )
        elif isinstance(shape, Line):
            drawing.add(
                RLLine(
                    shape.x1,
                    height - shape.y1,
                    shape.x2,
                    height - shape.y2,
                    strokeColor=HexColor(shape.stroke),
                    strokeWidth=0.6,
                )
            )
        else:
            text = String(
                0 if shape.rotate else shape.x,
                0 if shape.rotate else height - shape.y,
                shape.text,
                fontName=font,
                fontSize=shape.size,
                fillColor=HexColor(INK),
                textAnchor=anchors[shape.anchor],
            )
            if shape.rotate:
                group = Group(text)
                group.translate(shape.x, height - shape.y)
                group.rotate(90)
                drawing.add(group)
            else:
                drawing.add(text)
    return drawing
