"""Region reference list copied from idn-area-data."""

from __future__ import annotations

from pathlib import Path

import pytest

from jobfair.reference import regions

DATA = Path(regions.__file__).parent / "data"


def test_counts_of_the_copied_release() -> None:
    assert len(regions.provinces()) == 38
    assert len(regions.regencies()) == 514
    assert sum(len(regions.districts(r.code)) for r in regions.regencies()) == 7285


def test_known_codes() -> None:
    # DOMAIN.md gives 12.08 for Asahan; the Kemendagri list has 12.08 Simalungun.
    assert regions.regency("12.09").name == "Kabupaten Asahan"
    assert regions.regency("12.08").name == "Kabupaten Simalungun"
    assert regions.regency("12.74").name == "Kota Tanjungbalai"
    assert regions.regency("32.16").name == "Kabupaten Bekasi"
    assert regions.province("12").name == "Sumatera Utara"
    assert {r.code for r in regions.regencies("12")} >= {"12.09", "12.19", "12.71"}
    assert all(r.province_code == "12" for r in regions.regencies("12"))
    assert regions.is_regency("12.09") and not regions.is_regency("12.99")
    assert not regions.is_regency("1209") and not regions.is_regency("")
    assert all(d.regency_code == "12.09" for d in regions.districts("12.09"))
    assert regions.is_district(regions.districts("12.09")[0].code)


def test_papua_split_provinces_are_present() -> None:
    codes = {p.code for p in regions.provinces()}
    assert {"91", "92", "94", "95", "96"} <= codes


def test_unknown_codes_raise() -> None:
    with pytest.raises(KeyError):
        regions.regency("99.99")
    with pytest.raises(KeyError):
        regions.province("99")
    assert regions.districts("99.99") == ()


def test_the_copy_carries_its_licence() -> None:
    licence = (DATA / "LICENSE-idn-area-data.txt").read_text()
    assert "Open Database License" in licence or "ODbL" in licence
