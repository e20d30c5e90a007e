"""What a vacancy asks of an applicant, and what the applicant lacks: the one home of
the requirement rules (education, age, openings by sex, work experience).

The apply service refuses on any shortfall, the vacancy page shows the same list before
the applicant tries, the refusal page lists the fair's vacancies without any, and the
demo data only applies where there is none. Every rule refuses rather than merely
flags, as education and age always did: an application the company must turn down on
a published requirement only raises a hope that will be disappointed.

A shortfall carries a message id and its values and is translated when shown, so the
page and the API speak the reader's language.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Protocol

from jobfair import i18n
from jobfair.reference.education import education_level, meets_minimum
from jobfair.reference.nik import age_on

# The applicant's work experience as a profile may hold it (DESIGN: whole years).
EXPERIENCE_MAX = 60


class Rule(StrEnum):
    EDUCATION = "education"
    AGE_MIN = "age_min"
    AGE_MAX = "age_max"
    SEX = "sex"
    EXPERIENCE = "experience"


class Qualifications(Protocol):
    """What the rules read of an applicant (the model, or the demo's rows)."""

    @property
    def sex(self) -> str: ...
    @property
    def birth_date(self) -> date: ...
    @property
    def education_level(self) -> str: ...
    @property
    def experience_years(self) -> int | None: ...


class Requirements(Protocol):
    """What the rules read of a vacancy."""

    @property
    def education_min(self) -> str: ...
    @property
    def age_min(self) -> int | None: ...
    @property
    def age_max(self) -> int | None: ...
    @property
    def openings_male(self) -> int: ...
    @property
    def openings_female(self) -> int: ...
    @property
    def openings_either(self) -> int: ...
    @property
    def experience_years(self) -> int: ...


def _education_label(code: str) -> str:
    level = education_level(code)
    return level.label_id if i18n.current_locale() == "id" else level.label_en


@dataclass(frozen=True)
class Shortfall:
    """One requirement the applicant does not meet: the rule and the values its message
    is formatted with. The message is translated when read, in the reader's language."""

    rule: Rule
    values: dict[str, object] = field(default_factory=dict)

    @property
    def message(self) -> str:
        return _MESSAGES[self.rule](self.values)


def _education(values: dict[str, object]) -> str:
    return i18n.gettext(
        "This vacancy asks for at least %(required)s; your profile says %(have)s.",
        required=_education_label(str(values["required"])),
        have=_education_label(str(values["have"])),
    )


def _age_min(values: dict[str, object]) -> str:
    return i18n.gettext(
        "This vacancy is for people aged %(low)s or older; you are %(age)s.", **values
    )


def _age_max(values: dict[str, object]) -> str:
    return i18n.gettext(
        "This vacancy is for people aged up to %(high)s; you are %(age)s.", **values
    )


def _sex(values: dict[str, object]) -> str:
    if values["open_to"] == "P":
        return i18n.gettext("The openings of this vacancy are for women only.")
    return i18n.gettext("The openings of this vacancy are for men only.")


def _experience(values: dict[str, object]) -> str:
    required = int(str(values["required"]))
    if values["have"] is None:
        return i18n.ngettext(
            "This vacancy asks for at least %(num)s year of work experience; your profile "
            "does not say how many years you have. Add them to your profile.",
            "This vacancy asks for at least %(num)s years of work experience; your profile "
            "does not say how many years you have. Add them to your profile.",
            required,
        )
    return i18n.ngettext(
        "This vacancy asks for at least %(num)s year of work experience; your profile "
        "says %(have)s.",
        "This vacancy asks for at least %(num)s years of work experience; your profile "
        "says %(have)s.",
        required,
        have=values["have"],
    )


_MESSAGES: dict[Rule, Callable[[dict[str, object]], str]] = {
    Rule.EDUCATION: _education,
    Rule.AGE_MIN: _age_min,
    Rule.AGE_MAX: _age_max,
    Rule.SEX: _sex,
    Rule.EXPERIENCE: _experience,
}


def open_to_sex(vacancy: Requirements, sex: str) -> bool:
    """Whether the vacancy has an opening a person of ``sex`` (``L``/``P``) may fill. A
    vacancy that states no openings by sex at all is open to either."""
    if not (vacancy.openings_male or vacancy.openings_female or vacancy.openings_either):
        return True
    if vacancy.openings_either:
        return True
    return bool(vacancy.openings_male if sex == "L" else vacancy.openings_female)


def shortfalls(applicant: Qualifications, vacancy: Requirements, on: date) -> list[Shortfall]:
    """What the applicant lacks for the vacancy on the fair's local date ``on``."""
    found: list[Shortfall] = []
    if not meets_minimum(applicant.education_level, vacancy.education_min):
        found.append(
            Shortfall(
                Rule.EDUCATION,
                {"required": vacancy.education_min, "have": applicant.education_level},
            )
        )
    age = age_on(applicant.birth_date, on)
    if vacancy.age_min is not None and age < vacancy.age_min:
        found.append(Shortfall(Rule.AGE_MIN, {"low": vacancy.age_min, "age": age}))
    if vacancy.age_max is not None and age > vacancy.age_max:
        found.append(Shortfall(Rule.AGE_MAX, {"high": vacancy.age_max, "age": age}))
    if not open_to_sex(vacancy, applicant.sex):
        found.append(Shortfall(Rule.SEX, {"open_to": "L" if applicant.sex == "P" else "P"}))
    required = vacancy.experience_years or 0
    have = applicant.experience_years
    # Not saying is not meeting it: the applicant is told to add it to the profile.
    if required > 0 and (have is None or have < required):
        found.append(Shortfall(Rule.EXPERIENCE, {"required": required, "have": have}))
    return found


def meets(applicant: Qualifications, vacancy: Requirements, on: date) -> bool:
    return not shortfalls(applicant, vacancy, on)
