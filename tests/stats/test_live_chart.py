"""The live dashboard's per-minute chart: a bar a minute, labelled axes, the numbers in
its description, the same picture in both languages."""

from __future__ import annotations

import re

from jobfair.stats.charts import LIVE_WIDTH, per_minute_chart
from jobfair.stats.present import Presenter


def test_the_chart_has_axes_labels_and_the_numbers() -> None:
    minutes = [0] * 27 + [3, 1, 4]
    svg = per_minute_chart(minutes, Presenter.of("en")).svg()
    assert LIVE_WIDTH >= 300 and f'width="{LIVE_WIDTH:g}"' in svg
    assert len(re.findall(r'<rect class="chart-bar"', svg)) == 30
    # The count axis in whole, round steps; the time axis every ten minutes.
    ticks = re.findall(r'class="chart-tick"[^>]*>([^<]+)<', svg)
    assert ticks == ["0", "1", "2", "3", "4"]
    labels = re.findall(r'class="chart-category"[^>]*>([^<]+)<', svg)
    assert labels == ["20 min ago", "10 min ago", "now"]
    assert "Applications per minute, last 30 minutes" in svg
    assert "now 4." in svg  # the description lists every minute's count


def test_an_empty_hour_still_draws_an_axis() -> None:
    svg = per_minute_chart([0] * 30, Presenter.of("id")).svg()
    assert re.findall(r'class="chart-tick"[^>]*>([^<]+)<', svg) == ["0", "1", "2"]
    assert "sekarang" in svg


def test_the_count_axis_steps_roundly() -> None:
    for peak, ticks in ((37, ["0", "10", "20", "30", "40"]), (11, ["0", "5", "10", "15"])):
        svg = per_minute_chart([peak], Presenter.of("en")).svg()
        assert re.findall(r'class="chart-tick"[^>]*>([^<]+)<', svg) == ticks
