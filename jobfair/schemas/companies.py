"""The input models of a company's own data: the company (registration and edit), its
booth and its vacancies (Perpres 57/2023 fields). The web forms parse into them with
:func:`jobfair.schemas.problems.parse`; the ``events/`` definitions share their field
types and :class:`VacancyRules`, so a vacancy obeys one set of rules wherever it comes
from."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, ClassVar

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)

from jobfair.i18n import N_
from jobfair.reference.kbji import kbji_code_of
from jobfair.reference.nik import MAX_AGE, MIN_AGE
from jobfair.schemas.base import FieldMessage
from jobfair.schemas.codes import (
    EducationLevel,
    EmployerTypeCode,
    EmploymentTypeCode,
    KbjiCode,
    KbliCode,
    Nib,
    Npwp,
    RegencyCode,
    WorkLocation,
)
from jobfair.schemas.fields import (
    ContactPhone,
    Email,
    HttpUrl,
    Phone,
    between,
    form_blanks,
    form_number,
    text,
)
from jobfair.schemas.problems import refuse, refuse_told
from jobfair.services.auth import password_error

# The limits of a vacancy, for forms and files alike.
OPENINGS_MAX = 10_000
EXPERIENCE_MAX = 40
SALARY_MAX = 1_000_000_000
SKILLS_MAX = 30
DESCRIPTION_MAX = 5000
TITLE_MIN, TITLE_MAX = 2, 200

Openings = between(0, OPENINGS_MAX)
Age = between(MIN_AGE, MAX_AGE)
Experience = between(0, EXPERIENCE_MAX)
Salary = between(0, SALARY_MAX)
Title = text(TITLE_MAX, least=TITLE_MIN, one_line=True)
Description = text(DESCRIPTION_MAX)


def _skill(value: Any) -> Any:
    if isinstance(value, str) and "\n" in value.strip():
        raise refuse("skill", "must be a one-line text of 1 to 80 characters")
    return value


Skill = Annotated[text(80), BeforeValidator(_skill)]
_DESCRIPTION = FieldMessage(N_("At most %(limit)s characters."), {"limit": DESCRIPTION_MAX})


class _Form(BaseModel):
    """A form's fields: empty ones take their defaults, unknown ones (the CSRF token,
    the picker's province) are ignored."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    messages: ClassVar[dict[str, FieldMessage]] = {}

    @model_validator(mode="before")
    @classmethod
    def _blanks(cls, data: Any) -> Any:
        return form_blanks(data)


# ---------------------------------------------------------------------- company


class CompanyInput(_Form):
    """The company's details, as the owner registers and edits them."""

    name: Title
    nib: Nib
    npwp: Npwp | None = None
    kbli: KbliCode
    employer_type: Annotated[EmployerTypeCode, BeforeValidator(form_number)]
    regency_code: RegencyCode
    website: HttpUrl | None = None
    description: Description = ""
    contact_name: Title
    contact_phone: Phone | None = None

    messages: ClassVar = {
        "name": FieldMessage(
            N_("Enter the company's registered name (%(least)s to %(limit)s characters)."),
            {"least": TITLE_MIN, "limit": TITLE_MAX},
        ),
        "nib": FieldMessage(N_("The NIB (Nomor Induk Berusaha) has 13 digits.")),
        "npwp": FieldMessage(N_("The NPWP has 16 digits (15 for an old NPWP).")),
        "kbli": FieldMessage(N_("Enter the 5-digit KBLI 2020 code of the main business.")),
        "employer_type": FieldMessage(N_("Choose the kind of employer from the list.")),
        "regency_code": FieldMessage(N_("Choose a regency or city from the list.")),
        "website": FieldMessage(N_("Enter an address starting with https://")),
        "description": _DESCRIPTION,
        "contact_name": FieldMessage(N_("Enter the name of the contact person.")),
        "contact_phone": FieldMessage(
            N_("Enter an Indonesian mobile number such as 0812 3456 7890.")
        ),
    }


class CompanyRegistration(CompanyInput):
    """A new company and its owner's sign-in. The password's rule and its message are
    the accounts' (:func:`jobfair.services.auth.password_error`)."""

    email: Email
    password: str = Field(default="", validate_default=True)

    @field_validator("password")
    @classmethod
    def _password(cls, password: str) -> str:
        if message := password_error(password):
            raise refuse_told("password", "the password does not fit the rule", message)
        return password

    messages: ClassVar = {
        **CompanyInput.messages,
        "email": FieldMessage(N_("Enter a valid e-mail address.")),
    }


# ------------------------------------------------------------------------ booth


class BoothInput(_Form):
    """What a company says on its booth."""

    description: Description = ""
    video_url: HttpUrl | None = None
    contact_email: Email | None = None
    contact_phone: ContactPhone | None = None

    messages: ClassVar = {
        "description": _DESCRIPTION,
        "video_url": FieldMessage(N_("Enter an address starting with https://")),
        "contact_email": FieldMessage(N_("Enter a valid e-mail address.")),
        "contact_phone": FieldMessage(
            N_(
                "Enter a mobile number such as 0812 3456 7890, or a landline with its "
                "area code such as (021) 555 1234."
            )
        ),
    }


# --------------------------------------------------------------------- vacancy


class VacancyRules(BaseModel):
    """The fields and rules every vacancy obeys, from a form or from a file. The
    occupation's code is named by each (``kbji_code`` on the form, ``kbji`` in files)."""

    title: Title
    openings_male: Openings = 0
    openings_female: Openings = 0
    openings_either: Openings = Field(default=0, validate_default=True)
    education_min: EducationLevel
    age_min: Age | None = None
    age_max: Age | None = None
    experience_years: Experience = 0
    salary_min: Salary | None = None
    salary_max: Salary | None = None
    # A regency or city, or a country for a placement abroad (AKAN).
    work_regency_code: WorkLocation
    employment_type: EmploymentTypeCode
    deadline: date | None = None
    description: Description | None = None

    # Rules over two fields run as soon as both are valid, beside the other fields'
    # problems, so a form or a file is fixed in one pass.
    @field_validator("openings_either")
    @classmethod
    def _some_openings(cls, either: int, info: ValidationInfo) -> int:
        male, female = info.data.get("openings_male"), info.data.get("openings_female")
        if male is not None and female is not None and male + female + either < 1:
            raise refuse(
                "no_openings",
                "has no openings; set openings_male, openings_female or openings_either",
                N_("Enter at least one opening (men, women or either)."),
            )
        return either

    @field_validator("age_max")
    @classmethod
    def _ages_in_order(cls, age_max: int | None, info: ValidationInfo) -> int | None:
        age_min = info.data.get("age_min")
        if age_min and age_max and age_min > age_max:
            raise refuse(
                "order",
                f"{age_max} is below age_min {age_min}",
                N_("The maximum age is below the minimum age."),
            )
        return age_max

    @field_validator("salary_max")
    @classmethod
    def _salaries_in_order(cls, salary_max: int | None, info: ValidationInfo) -> int | None:
        salary_min = info.data.get("salary_min")
        if salary_min is not None and salary_max is not None and salary_min > salary_max:
            raise refuse(
                "order",
                f"{salary_max} is below salary_min {salary_min}",
                N_("The maximum salary is below the minimum salary."),
            )
        return salary_max


def _lines(value: Any) -> Any:
    # The form's skills are one per line.
    return (
        [line for line in value.splitlines() if line.strip()] if isinstance(value, str) else value
    )


def _work_place(data: Any) -> Any:
    """The location control: a regency, or "abroad" and a country."""
    if isinstance(data, dict) and data.get("work_place") == "abroad":
        return {**data, "work_regency_code": data.get("work_country", "")}
    return data


_NUMBER = FieldMessage(N_("Enter a whole number from 0 to 10000."))
_AGE = FieldMessage(N_("Enter an age from %(low)s to %(high)s."), {"low": MIN_AGE, "high": MAX_AGE})
_SALARY = FieldMessage(N_("Enter an amount in rupiah per month, digits only."))


def _kbji_typed(value: Any) -> Any:
    return kbji_code_of(value) if isinstance(value, str) else value


class VacancyInput(_Form, VacancyRules):
    """A vacancy as the company's form writes it."""

    # Chosen from the list by name, or typed as a code (reference.kbji.kbji_code_of).
    kbji_code: Annotated[KbjiCode, BeforeValidator(_kbji_typed)]
    skills: Annotated[tuple[Skill, ...], BeforeValidator(_lines)] = Field(
        default=(), max_length=SKILLS_MAX
    )
    description: Description = ""

    messages: ClassVar = {
        "title": FieldMessage(
            N_("Enter the job title (%(least)s to %(limit)s characters)."),
            {"least": TITLE_MIN, "limit": TITLE_MAX},
        ),
        "kbji_code": FieldMessage(
            N_("Choose the occupation from the list, or enter its KBJI 2014 code (1 to 6 digits).")
        ),
        "openings_male": _NUMBER,
        "openings_female": _NUMBER,
        "openings_either": _NUMBER,
        "education_min": FieldMessage(N_("Choose the minimum education from the list.")),
        "age_min": _AGE,
        "age_max": _AGE,
        "experience_years": FieldMessage(N_("Enter a whole number from 0 to 40.")),
        "salary_min": _SALARY,
        "salary_max": _SALARY,
        "work_regency_code": FieldMessage(
            N_("Choose a regency or city from the list, or a country for work abroad.")
        ),
        "employment_type": FieldMessage(N_("Choose the kind of employment from the list.")),
        "skills": FieldMessage(N_("At most 30 skills, one per line, each up to 80 characters.")),
        "description": _DESCRIPTION,
        "deadline": FieldMessage(N_("Enter a date (year-month-day).")),
    }

    @model_validator(mode="before")
    @classmethod
    def _form_text(cls, data: Any) -> Any:
        data = _work_place(form_blanks(data))
        if isinstance(data, dict):
            data = {
                key: form_number(value)
                if key.startswith(("openings_", "age_", "salary_"))
                else value
                for key, value in data.items()
            }
            if isinstance(data.get("experience_years"), str):
                data["experience_years"] = form_number(data["experience_years"])
        return data

    def columns(self) -> dict[str, Any]:
        """The values as the ``vacancies`` table stores them."""
        values = self.model_dump(exclude={"skills"})
        values["skills"] = "\n".join(self.skills)
        return values
