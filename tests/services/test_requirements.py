"""The requirement rules of applying: education, age, openings by sex and experience,
each with its plain-language message in both languages."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from jobfair import i18n
from jobfair.services.requirements import Rule, meets, open_to_sex, shortfalls

ON = date(2026, 11, 5)


@dataclass
class Person:
    sex: str = "L"
    birth_date: date = date(1999, 8, 15)  # 27 on ON
    education_level: str = "SMK"
    experience_years: int | None = 2


@dataclass
class Opening:
    education_min: str = "SMA"
    age_min: int | None = 18
    age_max: int | None = 35
    openings_male: int = 0
    openings_female: int = 0
    openings_either: int = 1
    experience_years: int = 0


def _rules(person: Person, opening: Opening) -> list[Rule]:
    return [shortfall.rule for shortfall in shortfalls(person, opening, ON)]


def test_a_person_who_meets_everything_has_no_shortfall() -> None:
    assert meets(Person(), Opening(), ON)
    assert meets(Person(sex="P"), Opening(openings_female=1, openings_either=0), ON)


@pytest.mark.parametrize(
    ("male", "female", "either", "man", "woman"),
    [
        (2, 0, 0, True, False),  # men only
        (0, 3, 0, False, True),  # women only
        (0, 0, 4, True, True),  # either
        (1, 1, 0, True, True),  # some of each
        (1, 0, 1, True, True),  # men, or either
        (0, 0, 0, True, True),  # no openings stated by sex: nobody is turned away on it
    ],
)
def test_openings_by_sex(male: int, female: int, either: int, man: bool, woman: bool) -> None:
    opening = Opening(openings_male=male, openings_female=female, openings_either=either)
    assert (open_to_sex(opening, "L"), open_to_sex(opening, "P")) == (man, woman)
    assert (Rule.SEX in _rules(Person(sex="L"), opening)) is not man
    assert (Rule.SEX in _rules(Person(sex="P"), opening)) is not woman


def test_the_sex_message_says_who_the_openings_are_for() -> None:
    with i18n.using("en"):
        (men_only,) = shortfalls(Person(sex="P"), Opening(openings_male=2, openings_either=0), ON)
        (women_only,) = shortfalls(
            Person(sex="L"), Opening(openings_female=1, openings_either=0), ON
        )
        assert men_only.message == "The openings of this vacancy are for men only."
        assert women_only.message == "The openings of this vacancy are for women only."
    with i18n.using("id"):
        assert "laki-laki" in men_only.message.lower()
        assert "perempuan" in women_only.message.lower()


@pytest.mark.parametrize(
    ("have", "required", "short"),
    [
        (2, 0, False),
        (None, 0, False),
        (0, 0, False),
        (3, 3, False),
        (5, 3, False),
        (2, 3, True),
        (0, 1, True),
        (None, 1, True),
    ],
)
def test_experience(have: int | None, required: int, short: bool) -> None:
    rules = _rules(Person(experience_years=have), Opening(experience_years=required))
    assert (Rule.EXPERIENCE in rules) is short


def test_the_experience_message_says_what_is_asked_and_what_the_profile_says() -> None:
    with i18n.using("en"):
        (fewer,) = shortfalls(Person(experience_years=1), Opening(experience_years=3), ON)
        assert fewer.message == (
            "This vacancy asks for at least 3 years of work experience; your profile says 1."
        )
        (one,) = shortfalls(Person(experience_years=0), Opening(experience_years=1), ON)
        assert "at least 1 year of work experience" in one.message
        (unsaid,) = shortfalls(Person(experience_years=None), Opening(experience_years=2), ON)
        assert "does not say" in unsaid.message and "Add them to your profile" in unsaid.message
    with i18n.using("id"):
        assert "3 tahun" in fewer.message and "pengalaman kerja" in fewer.message
        assert "profil" in unsaid.message


def test_education_and_age_keep_their_messages() -> None:
    person = Person(education_level="SMP", birth_date=date(2010, 1, 1))
    with i18n.using("en"):
        messages = [s.message for s in shortfalls(person, Opening(), ON)]
    assert messages == [
        "This vacancy asks for at least Senior secondary school; your profile says "
        "Junior secondary school.",
        "This vacancy is for people aged 18 or older; you are 16.",
    ]
    old = Person(birth_date=date(1980, 1, 1))
    assert _rules(old, Opening()) == [Rule.AGE_MAX]
