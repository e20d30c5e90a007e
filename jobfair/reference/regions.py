"""Kemendagri region codes (dotted: ``PP``, ``PP.KK``, ``PP.KK.CC``) from the copy of
``idn-area-data`` in ``data/``, loaded lazily on first use."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from importlib import resources


@dataclass(frozen=True)
class Province:
    code: str
    name: str


@dataclass(frozen=True)
class Regency:
    code: str
    province_code: str
    name: str

    @property
    def display_name(self) -> str:
        return self.name


@dataclass(frozen=True)
class District:
    code: str
    regency_code: str
    name: str


# Province codes found in NIKs issued before a province ceased to exist. The Papua split
# of 2022 (91 → 91–96) kept 91, so old Papuan NIKs remain under a current code.
HISTORICAL_PROVINCE_CODES: dict[str, str] = {
    "54": "Timor Timur (until 1999)",
}


def _rows(name: str) -> list[dict[str, str]]:
    source = resources.files(__package__).joinpath(f"data/{name}")
    with source.open("r", encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@cache
def _provinces() -> dict[str, Province]:
    return {row["code"]: Province(row["code"], row["name"]) for row in _rows("provinces.csv")}


@cache
def _regencies() -> dict[str, Regency]:
    return {
        row["code"]: Regency(row["code"], row["province_code"], row["name"])
        for row in _rows("regencies.csv")
    }


@cache
def _districts() -> dict[str, tuple[District, ...]]:
    by_regency: dict[str, list[District]] = {}
    for row in _rows("districts.csv"):
        by_regency.setdefault(row["regency_code"], []).append(
            District(row["code"], row["regency_code"], row["name"])
        )
    return {code: tuple(items) for code, items in by_regency.items()}


def provinces() -> tuple[Province, ...]:
    return tuple(_provinces().values())


def province(code: str) -> Province:
    return _provinces()[code]


def regencies(province_code: str | None = None) -> tuple[Regency, ...]:
    return tuple(
        regency
        for regency in _regencies().values()
        if province_code is None or regency.province_code == province_code
    )


def regency(code: str) -> Regency:
    return _regencies()[code]


# A regency's code in Kepmendagri form, "12.09": province and regency, two digits each.
REGENCY_CODE_LENGTH = 5


def is_regency(code: str) -> bool:
    return isinstance(code, str) and code in _regencies()


def districts(regency_code: str) -> tuple[District, ...]:
    return _districts().get(regency_code, ())


def is_district(code: str) -> bool:
    return isinstance(code, str) and any(
        district.code == code for district in districts(code.rsplit(".", 1)[0])
    )
