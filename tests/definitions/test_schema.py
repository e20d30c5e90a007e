"""The events/ TOML format: valid files parse, every bad value is reported precisely."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from jobfair.definitions.schema import (
    DefinitionError,
    FairFile,
    check_fair_table,
    dump_fair,
    parse_fair_file,
    parse_fair_text,
)

ROOT = Path(__file__).resolve().parents[2]

MINIMAL = """\
format = 1

[office]
slug = "disnaker-asahan"
name = "Dinas Tenaga Kerja Kabupaten Asahan"
regency_code = "12.09"

[fair]
slug = "bursa-uji"
name = "Bursa Uji"
timezone = "Asia/Makassar"
opens_at = 2026-11-03 08:00:00
closes_at = 2026-11-10 16:00:00
decision_deadline = 2026-11-24 16:00:00

[[companies]]
slug = "pt-uji"
name = "PT Uji"
nib = "1234567890123"
kbli = "47111"
employer_type = 24
regency_code = "12.09"

[[companies.vacancies]]
ref = "kasir"
title = "Kasir"
kbji = "5230"
openings_either = 2
education_min = "SMA"
work_regency_code = "12.09"
employment_type = "pkwt"
"""


def problems(text: str) -> list[str]:
    with pytest.raises(DefinitionError) as error:
        parse_fair_text(text, file="uji.toml")
    return [str(problem) for problem in error.value.problems]


def one_problem(text: str) -> str:
    found = problems(text)
    assert len(found) == 1, found
    return found[0]


def test_minimal_file_with_defaults() -> None:
    parsed = parse_fair_text(MINIMAL)
    fair = parsed.fair
    # Local times are read in the fair's timezone: 08:00 WITA is 00:00 UTC.
    assert fair.opens_at == datetime(2026, 11, 3, 0, 0, tzinfo=UTC)
    assert fair.registration_opens_at == fair.opens_at
    assert fair.status == "draft" and fair.application_cap is None
    company = parsed.companies[0]
    assert company.booth is None and company.npwp is None
    vacancy = company.vacancies[0]
    assert (vacancy.status, vacancy.verification, vacancy.experience_years) == (
        "open",
        "verified",
        0,
    )
    assert vacancy.openings_either == 2 and vacancy.skills == ()


def test_offset_datetimes_are_kept_as_written() -> None:
    text = MINIMAL.replace("opens_at = 2026-11-03 08:00:00", "opens_at = 2026-11-03T01:00:00Z")
    assert parse_fair_text(text).fair.opens_at == datetime(2026, 11, 3, 1, 0, tzinfo=UTC)


def test_the_demo_file_round_trips_through_dump() -> None:
    demo = parse_fair_file(ROOT / "events" / "demo.toml")
    assert len(demo.companies) == 37
    assert sum(len(c.vacancies) for c in demo.companies) == 97
    again = parse_fair_text(dump_fair(demo))
    assert again == demo
    assert isinstance(again, FairFile)


def test_syntax_error_names_the_line() -> None:
    message = one_problem("format = 1\n\n[fair\n")
    assert message.startswith("uji.toml:3: TOML syntax:")


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ('education_min = "SMA"', 'education_min = "SMU"', "'SMU' is not allowed; allowed: TTSD"),
        ('kbli = "47111"', 'kbli = "4711"', "companies[1].kbli: '4711' is not a KBLI 2020 code"),
        ('kbli = "47111"', 'kbli = "00111"', "is not a KBLI 2020 code"),
        ('nib = "1234567890123"', 'nib = "12345"', "'12345' is not a NIB; expected 13 digits"),
        ("employer_type = 24", "employer_type = 27", "27 is not allowed; allowed: 21, 22"),
        ("employer_type = 24", 'employer_type = "24"', "must be an integer, not a string"),
        ('kbji = "5230"', 'kbji = "52x0"', "'52x0' is not a KBJI 2014 code"),
        (
            'work_regency_code = "12.09"',
            'work_regency_code = "12.99"',
            "'12.99' is not a work location",
        ),
        ('timezone = "Asia/Makassar"', 'timezone = "Asia/Singapore"', "allowed: Asia/Jakarta"),
        ('slug = "pt-uji"', 'slug = "PT Uji"', "is not a slug"),
        ('employment_type = "pkwt"', 'employment_type = "kontrak"', "allowed: pkwtt, pkwt"),
        ("openings_either = 2", "openings_either = 0", "has no openings"),
        ("openings_either = 2", "openings_either = -1", "-1 is out of range"),
        ("openings_either = 2", "openings_either = 2.5", "must be an integer, not a decimal"),
        ("openings_either = 2", "openings_either = true", "must be an integer, not true/false"),
        (
            "closes_at = 2026-11-10 16:00:00",
            "closes_at = 2026-11-03 08:00:00",
            "fair.closes_at: must be after opens_at",
        ),
        (
            "decision_deadline = 2026-11-24 16:00:00",
            "decision_deadline = 2026-11-09 16:00:00",
            "must not be before closes_at",
        ),
        (
            "opens_at = 2026-11-03 08:00:00",
            'opens_at = "3 November"',
            "must be a date-time (2026-11-02T08:00:00), not a string",
        ),
        ('title = "Kasir"', 'title = ""', "vacancies[1].title: must not be empty"),
        ('title = "Kasir"', 'title = "' + "x" * 201 + '"', "201 characters long; at most 200"),
        ('ref = "kasir"\n', 'ref = "kasir"\nshift = "pagi"\n', "unknown key 'shift'; allowed:"),
        ('ref = "kasir"\n', 'ref = "kasir"\ndeadline = 2026-11-10 12:00:00\n', "must be a date"),
        ('ref = "kasir"\n', 'ref = "kasir"\nage_min = 30\nage_max = 20\n', "20 is below age_min"),
        ('ref = "kasir"\n', 'ref = "kasir"\nage_min = 14\n', "14 is out of range; allowed: 15"),
        ('ref = "kasir"\n', 'ref = "kasir"\nsalary_min = 5\nsalary_max = 4\n', "below salary_min"),
        ('ref = "kasir"\n', 'ref = "kasir"\nskills = ["a\\nb"]\n', "skills[1]: must be a one-line"),
        ("format = 1", "format = 2", "format: must be 1"),
        (
            'regency_code = "12.09"\n\n[fair]',
            'regency_code = "12.09"\nprovince_code = "14"\n\n[fair]',
            "'14' is not the province of '12.09'",
        ),
    ],
)
def test_each_bad_value_is_named_with_what_is_allowed(old: str, new: str, expected: str) -> None:
    assert old in MINIMAL
    message = one_problem(MINIMAL.replace(old, new, 1))
    assert message.startswith("uji.toml:")
    assert expected in message


def test_problems_carry_the_line_of_the_key() -> None:
    text = MINIMAL.replace('education_min = "SMA"', 'education_min = "SMU"')
    line = text.splitlines().index('education_min = "SMU"') + 1
    assert one_problem(text).startswith(
        f"uji.toml:{line}: companies[1].vacancies[1].education_min:"
    )


def test_every_problem_is_reported_at_once() -> None:
    text = (
        MINIMAL.replace('education_min = "SMA"', 'education_min = "SMU"')
        .replace('kbli = "47111"', 'kbli = "x"')
        .replace('timezone = "Asia/Makassar"', 'timezone = "UTC"')
    )
    found = problems(text)
    assert len(found) == 3
    assert any("education_min" in p for p in found)
    assert any("kbli" in p for p in found)
    assert any("timezone" in p for p in found)


def test_missing_tables_and_keys() -> None:
    found = problems("format = 1\n")
    assert any("office: the [office] table is missing" in p for p in found)
    assert any("[fair] table is missing" in p for p in found)
    message = one_problem(MINIMAL.replace('name = "PT Uji"\n', ""))
    assert "companies[1].name: is missing" in message


def test_duplicates_inside_a_file() -> None:
    second_company = MINIMAL[MINIMAL.index("[[companies]]") :]
    found = problems(MINIMAL + "\n" + second_company)
    assert any("'pt-uji' is already used by companies[1]" in p for p in found)
    assert any("1234567890123 is already used by companies[1]" in p for p in found)
    vacancy = MINIMAL[MINIMAL.index("[[companies.vacancies]]") :]
    message = one_problem(MINIMAL + "\n" + vacancy)
    assert "companies[1].vacancies[2].ref: 'kasir' is used twice" in message


def test_host_regencies_are_checked_and_sorted() -> None:
    text = MINIMAL.replace(
        'timezone = "Asia/Makassar"',
        'timezone = "Asia/Makassar"\nhost_regency_codes = ["12.74", "12.09"]',
    )
    assert parse_fair_text(text).fair.host_regency_codes == ("12.09", "12.74")

    def hosts(codes: str) -> str:
        return MINIMAL.replace(
            'timezone = "Asia/Makassar"',
            f'timezone = "Asia/Makassar"\nhost_regency_codes = {codes}',
        )

    assert "host_regency_codes[2]: must be a string" in one_problem(hosts('["12.09", 5]'))
    assert "host_regency_codes[3]: '12.09' is listed twice" in one_problem(
        hosts('["12.09", "12.74", "12.09"]')
    )
    assert "host_regency_codes[1]: 'MY' is not a regency" in one_problem(hosts('["MY"]'))


def test_dump_writes_local_times_and_omits_defaults() -> None:
    text = dump_fair(parse_fair_text(MINIMAL))
    assert "opens_at = 2026-11-03 08:00:00" in text
    assert "verification" not in text and "openings_male" not in text
    assert parse_fair_text(text) == parse_fair_text(MINIMAL)


def test_vacancy_deadline_is_a_date() -> None:
    text = MINIMAL.replace('ref = "kasir"\n', 'ref = "kasir"\ndeadline = 2026-11-10\n')
    assert parse_fair_text(text).companies[0].vacancies[0].deadline == date(2026, 11, 10)


def test_a_vacancy_may_be_placed_abroad() -> None:
    text = MINIMAL.replace('work_regency_code = "12.09"', 'work_regency_code = "MY"')
    parsed = parse_fair_text(text)
    assert parsed.companies[0].vacancies[0].work_regency_code == "MY"
    assert parse_fair_text(dump_fair(parsed)) == parsed
    for bad in ('"ID"', '"my"', '"MYS"'):
        message = one_problem(
            MINIMAL.replace('work_regency_code = "12.09"', f"work_regency_code = {bad}")
        )
        assert "work_regency_code:" in message and "ISO 3166-1 country code" in message
    # A company's own address stays a regency.
    message = one_problem(
        MINIMAL.replace(
            'regency_code = "12.09"\n\n[[companies.vacancies]]',
            'regency_code = "MY"\n\n[[companies.vacancies]]',
        )
    )
    assert "companies[1].regency_code: 'MY' is not a regency" in message


def test_the_fair_table_alone_as_the_console_checks_it() -> None:
    table = {
        "slug": "bursa-uji",
        "name": "Bursa Uji",
        "timezone": "Asia/Jakarta",
        "opens_at": datetime(2026, 11, 3, 8),
        "closes_at": datetime(2026, 11, 3, 7),
        "decision_deadline": datetime(2026, 11, 2, 8),
        "description": "",
        "host_regency_codes": ["12.09"],
    }
    definition, fields = check_fair_table(table)
    assert definition is None
    assert fields == {
        "closes_at": "must be after opens_at",
        "decision_deadline": "must not be before closes_at",
    }
    definition, fields = check_fair_table(
        {**table, "closes_at": datetime(2026, 11, 10, 16), "decision_deadline": None}
    )
    assert definition is None and "decision_deadline" in fields
    good, fields = check_fair_table(
        {
            **table,
            "closes_at": datetime(2026, 11, 10, 16),
            "decision_deadline": datetime(2026, 11, 24, 16),
        }
    )
    assert fields == {} and good is not None
    assert good.opens_at == datetime(2026, 11, 3, 1, tzinfo=UTC) and good.description is None
    assert good.registration_opens_at == good.opens_at


def test_duplicates_are_found_beside_other_problems() -> None:
    company = MINIMAL[MINIMAL.index("[[companies]]") :]
    broken = company.replace('slug = "pt-uji"', 'slug = "pt-lain"').replace(
        'title = "Kasir"', 'title = ""'
    )
    found = problems(MINIMAL + "\n" + company + "\n" + broken)
    assert len(found) == 3, found
    assert any("companies[2].slug: 'pt-uji' is already used by companies[1]" in p for p in found)
    assert any("companies[2].nib: 1234567890123 is already used" in p for p in found)
    assert any("companies[3].vacancies[1].title: must not be empty" in p for p in found)
