"""Showing a compiled report (``FairReport.data``, see ``report_format.md``) in a locale:
message ids through gettext, code values as their labels, numbers, shares, dates and
durations formatted — shared by the report page, the charts and the PDF/XLSX/CSV exports.

Everything here is a pure function of the report and a locale: no database, no request.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from babel.dates import format_date
from babel.numbers import format_decimal, format_percent

from jobfair import i18n
from jobfair.i18n import N_
from jobfair.reference import disability, education, employer_types, kbji, kbli, regions
from jobfair.services import times
from jobfair.stats.definitions import (
    IPK_EDUCATION_ROWS,
    LEGACY_NOT_STATED,
    NOT_STATED,
    NOT_STATED_CODE,
)

# Row values that are words or marks stored as codes or message ids (of any column
# kind: a code list falls back to these when it does not know the value).
TEXT_CODES: dict[str, str] = {
    "Total": N_("Total"),
    NOT_STATED_CODE: NOT_STATED,
    # Office statistics compiled before the code stored the label itself.
    LEGACY_NOT_STATED: NOT_STATED,
}
SEX_LABELS = {"L": N_("Men (L)"), "P": N_("Women (P)")}
NUMERIC_KINDS = frozenset({"int", "float", "duration_hours", "duration_minutes"})


@dataclass(frozen=True)
class Presenter:
    """Labels and formats in one locale (``id`` or ``en``)."""

    locale: str = i18n.DEFAULT_LOCALE

    @classmethod
    def of(cls, locale: str | None) -> Presenter:
        return cls(locale if locale in i18n.LOCALES else i18n.DEFAULT_LOCALE)

    # ----------------------------------------------------------------- words

    def _(self, message: str | None) -> str:
        if not message:
            return ""
        return i18n.translations(self.locale).gettext(message)

    def _pick(self, item: Any) -> str:
        return str(item.label_en if self.locale == "en" else item.label_id)

    # ----------------------------------------------------------------- numbers

    def number(self, value: float | int | None, digits: int = 2) -> str:
        if value is None:
            return "–"
        if isinstance(value, float) and not value.is_integer():
            pattern = "#,##0." + "#" * digits
            return format_decimal(value, format=pattern, locale=self.locale)
        return format_decimal(int(value), locale=self.locale)

    def share(self, value: float | None) -> str:
        if value is None:
            return "–"
        return format_percent(value, format="#,##0.#%", locale=self.locale)

    def hours(self, value: float | None) -> str:
        if value is None:
            return "–"
        return self._("%(hours)s h") % {"hours": self.number(round(value, 1), 1)}

    def minutes(self, value: float | None) -> str:
        """A wait in whole minutes, rounded up ("4 min"): the report's median wait in the
        queue and the estimated waits of the booth chats, wherever they are shown."""
        if value is None:
            return "–"
        return self._("%(minutes)s min") % {"minutes": self.number(math.ceil(value))}

    def day(self, value: str | date | None) -> str:
        if value in (None, ""):
            return "–"
        try:
            parsed = value if isinstance(value, date) else date.fromisoformat(str(value))
        except ValueError:
            return self._(str(value))
        return format_date(parsed, "EEE d MMM y", locale=self.locale)

    def moment(self, value: str | None, timezone: str = times.DEFAULT_TIMEZONE) -> str:
        """A stored ISO time as the screens show it, in ``timezone`` (its abbreviation
        after it): the rule of :mod:`jobfair.services.times`."""
        if not value:
            return "–"
        try:
            parsed = datetime.fromisoformat(value)
        except ValueError:
            return value
        return times.local_datetime(parsed, timezone, self.locale)

    # ----------------------------------------------------------------- codes

    def code_label(self, kind: str, value: Any) -> str:
        """The label of a code value of a code-list column (the code when unknown)."""
        text = "" if value is None else str(value)
        try:
            if kind == "education":
                return self._pick(education.education_level(text))
            if kind == "kbli_section":
                return f"{text} · {self._pick(kbli.section(text))}"
            if kind == "kbji_group":
                return f"{text} · {self._pick(kbji.kbji_major_group(text))}"
            if kind == "employer_type":
                return f"{text} · {self._pick(employer_types.employer_type(int(text)))}"
            if kind == "regency":
                return regions.regency(text).display_name
            if kind == "sex":
                return self._(SEX_LABELS.get(text, text))
            if kind == "disability":
                return next(self._pick(k) for k in disability.DISABILITY_KINDS if k.code == text)
            if kind == "ipk_iii_8_row":
                return f"{text} · {self.ipk_row_label(int(text))}"
        except (KeyError, ValueError, StopIteration):
            # A totals row ("Total") or a code the lists do not know.
            return self._(TEXT_CODES.get(text, text))
        # "text" and "label" (an English message id) and any kind added later.
        return self._(TEXT_CODES.get(text, text))

    def ipk_row_label(self, code: int) -> str:
        """Rows 11–17 (education) and 21–26 (employer type) of IPK III/8."""
        if code in IPK_EDUCATION_ROWS:
            return self._(IPK_EDUCATION_ROWS[code])
        return self._pick(employer_types.employer_type(code))

    # ----------------------------------------------------------------- cells

    def cell(self, value: Any, column: Mapping[str, Any]) -> str:
        """A cell as text for a page or a PDF."""
        kind = column.get("kind", "text")
        if value is None:
            return "–"
        if kind == "int":
            return self.number(value) if isinstance(value, int | float) else self._(str(value))
        if kind == "float":
            if not isinstance(value, int | float):
                return self._(str(value))
            return self.share(value) if column.get("unit") == "share" else self.number(value)
        if kind == "duration_hours":
            return self.hours(value) if isinstance(value, int | float) else str(value)
        if kind == "duration_minutes":
            return self.minutes(value) if isinstance(value, int | float) else str(value)
        if kind == "date":
            return self.day(value)
        return self.code_label(kind, value)

    def raw(self, value: Any, column: Mapping[str, Any]) -> Any:
        """A cell for a spreadsheet: numbers stay numbers (shares as 0–1), labels text."""
        kind = column.get("kind", "text")
        if value is None:
            return None
        if kind in NUMERIC_KINDS and isinstance(value, int | float):
            return value
        if kind == "date":
            try:
                return date.fromisoformat(str(value))
            except ValueError:
                return self._(str(value))
        return self.code_label(kind, value) if kind != "int" else self._(str(value))

    def headline_value(self, item: Mapping[str, Any]) -> str:
        value = item.get("value")
        if item.get("unit") == "share" and isinstance(value, int | float):
            return self.share(value)
        if isinstance(value, int | float) or value is None:
            return self.number(value)
        return str(value)

    def period(self, report: Mapping[str, Any]) -> str:
        fair = report.get("fair", {})
        return f"{self.day(fair.get('period_start'))} – {self.day(fair.get('period_end'))}"


def table(report: Mapping[str, Any], key: str) -> dict[str, Any] | None:
    """The table with ``key``, or None when the report has none."""
    for item in report.get("tables", []):
        if item.get("key") == key:
            return dict(item)
    return None


def headline(report: Mapping[str, Any], key: str) -> Any:
    for item in report.get("headline", []):
        if item.get("key") == key:
            return item.get("value")
    return None


def all_rows(item: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """The table's rows followed by its totals row, when it has one."""
    rows = list(item.get("rows", []))
    if item.get("totals"):
        rows.append(item["totals"])
    return rows
