"""The report's SVG charts: valid XML, accessible, proportional, escaped, deterministic,
and fine with empty data."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from support.report_sample import sample

from jobfair.stats.charts import nice_max, report_charts, to_drawing
from jobfair.stats.present import Presenter, table

SVG = "{http://www.w3.org/2000/svg}"


def _parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 - our own output, not untrusted input


def _bars(root: ET.Element, series: str | None = None) -> list[ET.Element]:
    bars = [rect for rect in root.iter(f"{SVG}rect") if "chart-bar" in rect.get("class", "")]
    if series:
        bars = [rect for rect in bars if f"series-{series}" in rect.get("class", "")]
    return bars


def test_every_chart_is_accessible_svg() -> None:
    charts = report_charts(sample(), Presenter.of("en"))
    assert set(charts) == {"sex_age", "education", "by_day", "funnel"}
    for key, chart in charts.items():
        root = _parse(chart.svg())
        assert root.tag == f"{SVG}svg"
        assert root.get("role") == "img"
        title = root.find(f"{SVG}title")
        desc = root.find(f"{SVG}desc")
        assert title is not None and title.text
        assert desc is not None and desc.text
        assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
        assert title.get("id") == f"chart-{key}-title"
        # No inline style (the CSP forbids it): presentation attributes only.
        assert all("style" not in element.attrib for element in root.iter())
        assert "<script" not in chart.svg()


def test_sex_age_bars_are_proportional_with_values_printed() -> None:
    chart = report_charts(sample(), Presenter.of("en"))["sex_age"]
    root = _parse(chart.svg())
    men = _bars(root, "l")
    women = _bars(root, "p")
    assert len(men) == len(women) == 5
    expected_men = [30, 98, 36, 5, 1]
    heights = [float(bar.get("height", "0")) for bar in men]
    # Height per applicant is the same for every bar (to the rounding of the output).
    per_unit = heights[1] / expected_men[1]
    for height, value in zip(heights, expected_men, strict=True):
        assert height == pytest.approx(value * per_unit, abs=0.02)
    assert float(women[1].get("height", "0")) == pytest.approx(112 * per_unit, abs=0.02)
    texts = [text.text for text in root.iter(f"{SVG}text")]
    for value in ("30", "98", "112", "15–19", "55+", "Men (L)", "Women (P)", "Age group"):
        assert value in texts
    assert "Applicants" in texts  # the y-axis label
    assert chart.title == "Applicants by sex and age group"
    assert "Men (L): 15–19 30, 20–29 98" in chart.desc


def test_funnel_is_horizontal_and_proportional() -> None:
    chart = report_charts(sample(), Presenter.of("en"))["funnel"]
    bars = _bars(_parse(chart.svg()))
    widths = [float(bar.get("width", "0")) for bar in bars]
    assert len(widths) == 7
    assert widths == sorted(widths, reverse=True)
    assert widths[-1] / widths[0] == pytest.approx(104 / 2278, rel=1e-3)
    assert len({bar.get("height") for bar in bars}) == 1


def test_labels_follow_the_locale() -> None:
    english = report_charts(sample(), Presenter.of("en"))["funnel"].svg()
    indonesian = report_charts(sample(), Presenter.of("id"))["funnel"].svg()
    assert "2,278" in english and "2.278" in indonesian
    assert english != indonesian


def test_zero_and_empty_data() -> None:
    report = sample()
    sex_age = table(report, "sex_age")
    assert sex_age is not None
    for item in report["tables"]:
        if item["key"] in ("sex_age", "education"):
            for row in item["rows"]:
                row.update(L=0, P=0, total=0)
        if item["key"] in ("by_day", "funnel"):
            item["rows"] = []
    charts = report_charts(report, Presenter.of("en"))
    for chart in charts.values():
        root = _parse(chart.svg())
        assert all(float(bar.get("height", "0")) == 0 for bar in _bars(root))
        to_drawing(chart)  # the PDF side copes as well
    assert _bars(_parse(charts["by_day"].svg())) == []
    assert nice_max(0) == 1.0
    # No table at all: no chart rather than an error.
    assert report_charts({"tables": []}, Presenter.of("en")) == {}


def test_text_is_escaped() -> None:
    report = sample()
    for item in report["tables"]:
        if item["key"] == "sex_age":
            item["title"] = 'Pelamar <script>alert("x")</script> & co'
            item["rows"][0]["group"] = "<b>15</b>"
    svg = report_charts(report, Presenter.of("en"))["sex_age"].svg()
    root = _parse(svg)  # still well-formed
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert root.find(f"{SVG}title").text == 'Pelamar <script>alert("x")</script> & co'  # type: ignore[union-attr]
    assert "<b>15</b>" in [text.text for text in root.iter(f"{SVG}text")]


def test_output_is_deterministic() -> None:
    first = {key: chart.svg() for key, chart in report_charts(sample(), Presenter.of("id")).items()}
    again = {key: chart.svg() for key, chart in report_charts(sample(), Presenter.of("id")).items()}
    assert first == again


def test_nice_axis_maximum() -> None:
    assert [nice_max(v) for v in (1, 3, 7, 112, 2278, 0.4)] == [1, 5, 10, 200, 2500, 0.5]
