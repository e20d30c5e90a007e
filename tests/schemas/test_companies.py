"""The company, booth and vacancy input models: what a form may write, and the message
each field shows when it does not fit."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from jobfair import i18n
from jobfair.schemas.companies import BoothInput, CompanyInput, CompanyRegistration, VacancyInput
from jobfair.schemas.problems import parse
from jobfair.services.errors import ValidationFailed

VACANCY = {
    "title": "  Operator   Boiler ",
    "kbji_code": "8182",
    "openings_male": "2",
    "openings_female": "0",
    "openings_either": "",
    "education_min": "smk",
    "age_min": "20",
    "age_max": "35",
    "experience_years": "1",
    "salary_min": "3.600.000",
    "salary_max": "4400000",
    "work_province": "12",
    "work_regency_code": "12.09",
    "employment_type": "pkwtt",
    "skills": "Boiler\r\n\r\nK3\n",
    "deadline": "2026-11-10",
    "csrf_token": "ignored",
}

COMPANY = {
    "name": "PT Sinar Asahan",
    "nib": "1234.5678-90123",
    "npwp": "",
    "kbli": "10431",
    "employer_type": "24",
    "regency_code": "12.09",
    "website": "",
    "contact_name": "Siti Rahma",
    "contact_phone": "0812 1111 2222",
}


def refused(model: type[Any], data: dict[str, Any]) -> dict[str, str]:
    with i18n.using("en"), pytest.raises(ValidationFailed) as error:
        parse(model, data)
    return error.value.fields


def test_a_vacancy_from_the_form() -> None:
    vacancy = parse(VacancyInput, VACANCY)
    assert vacancy.title == "Operator Boiler" and vacancy.education_min == "SMK"
    assert (vacancy.openings_male, vacancy.openings_either, vacancy.salary_min) == (2, 0, 3_600_000)
    assert vacancy.deadline == date(2026, 11, 10)
    columns = vacancy.columns()
    assert columns["skills"] == "Boiler\nK3" and columns["description"] == ""
    assert columns["work_regency_code"] == "12.09" and "work_province" not in columns


def test_a_vacancy_abroad_takes_the_country() -> None:
    abroad = parse(VacancyInput, {**VACANCY, "work_place": "abroad", "work_country": "MY"})
    assert abroad.work_regency_code == "MY"
    # At home the regency control counts, whatever the country control holds.
    home = parse(VacancyInput, {**VACANCY, "work_place": "home", "work_country": "MY"})
    assert home.work_regency_code == "12.09"
    for country in ("", "ID", "my", "XK"):
        fields = refused(VacancyInput, {**VACANCY, "work_place": "abroad", "work_country": country})
        assert "work_regency_code" in fields


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"title": "x"}, "title", "Enter the job title (2 to 200 characters)."),
        ({"title": "x" * 201}, "title", "Enter the job title"),
        ({"kbji_code": "52x0"}, "kbji_code", "KBJI 2014"),
        ({"openings_male": "-1"}, "openings_male", "from 0 to 10000"),
        ({"openings_male": "10001"}, "openings_male", "from 0 to 10000"),
        ({"openings_male": "0"}, "openings_either", "at least one opening"),
        ({"education_min": "SMU"}, "education_min", "minimum education"),
        ({"age_min": "14"}, "age_min", "from 15 to 70"),
        ({"age_min": "dua"}, "age_min", "from 15 to 70"),
        ({"age_min": "40"}, "age_max", "The maximum age is below the minimum age."),
        ({"experience_years": "41"}, "experience_years", "from 0 to 40"),
        ({"salary_max": "100"}, "salary_max", "The maximum salary is below the minimum"),
        ({"salary_min": "Rp 3 juta"}, "salary_min", "rupiah per month"),
        ({"work_regency_code": "12.99"}, "work_regency_code", "a country for work abroad"),
        ({"employment_type": "kontrak"}, "employment_type", "kind of employment"),
        ({"skills": "a\n" * 31}, "skills", "At most 30 skills"),
        ({"skills": "x" * 81}, "skills", "At most 30 skills"),
        ({"description": "x" * 5001}, "description", "At most 5000 characters."),
        ({"deadline": "10/11/2026"}, "deadline", "year-month-day"),
    ],
)
def test_each_bad_vacancy_field_has_its_message(
    changes: dict[str, str], field: str, message: str
) -> None:
    fields = refused(VacancyInput, {**VACANCY, **changes})
    assert list(fields) == [field] and message in fields[field]


def test_every_bad_field_is_told_at_once() -> None:
    fields = refused(
        VacancyInput, {**VACANCY, "age_min": "40", "salary_max": "100", "kbji_code": "x"}
    )
    assert set(fields) == {"age_max", "salary_max", "kbji_code"}
    assert set(refused(VacancyInput, {})) >= {"title", "kbji_code", "education_min"}


def test_messages_follow_the_locale() -> None:
    with i18n.using("id"), pytest.raises(ValidationFailed) as error:
        parse(VacancyInput, {**VACANCY, "age_min": "40"})
    assert error.value.fields["age_max"] != "The maximum age is below the minimum age."


def test_a_company_from_the_form() -> None:
    company = parse(CompanyInput, COMPANY)
    assert company.nib == "1234567890123" and company.employer_type == 24
    assert company.npwp is None and company.website is None
    assert company.contact_phone == "+6281211112222"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"name": "P"}, "name"),
        ({"nib": "123"}, "nib"),
        ({"npwp": "12345"}, "npwp"),
        ({"kbli": "99"}, "kbli"),
        ({"employer_type": "27"}, "employer_type"),
        ({"employer_type": "swasta"}, "employer_type"),
        ({"regency_code": "MY"}, "regency_code"),
        ({"website": "ftp://x.test"}, "website"),
        ({"contact_name": ""}, "contact_name"),
        ({"contact_phone": "12"}, "contact_phone"),
    ],
)
def test_each_bad_company_field_is_refused(changes: dict[str, str], field: str) -> None:
    assert list(refused(CompanyInput, {**COMPANY, **changes})) == [field]


def test_a_registration_needs_an_email_and_a_password() -> None:
    fields = refused(CompanyRegistration, {**COMPANY, "email": "siti@", "nib": "1"})
    assert set(fields) == {"email", "nib", "password"}
    assert fields["password"] == "The password needs at least 8 characters."
    ok = parse(
        CompanyRegistration,
        {**COMPANY, "email": " Siti@Sinar.TEST ", "password": "rahasia-sekali"},
    )
    assert ok.email == "siti@sinar.test" and ok.password == "rahasia-sekali"


def test_a_booth() -> None:
    booth = parse(BoothInput, {"description": " Kami ", "contact_email": "", "video_url": ""})
    assert (booth.description, booth.contact_email, booth.video_url) == ("Kami", None, None)
    fields = refused(
        BoothInput, {"video_url": "javascript:alert(1)", "contact_email": "x", "contact_phone": "1"}
    )
    assert set(fields) == {"video_url", "contact_email", "contact_phone"}
