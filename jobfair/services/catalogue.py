"""What the public browses in a fair: approved booths and public vacancies, with the
search and filters of the fair page and the JSON API."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from typing import Annotated, Any, ClassVar, Literal

from pydantic import AfterValidator, BeforeValidator, Field
from sqlalchemy import ColumnElement, Select, and_, bindparam, func, literal, or_, select, union
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import contains_eager

from jobfair.i18n import N_
from jobfair.models import Booth, Company, Fair, Vacancy
from jobfair.models.companies import is_public_booth
from jobfair.models.vacancies import is_public
from jobfair.reference.countries import is_work_location
from jobfair.reference.education import EDUCATION_LEVELS, education_level
from jobfair.reference.kbli import KBLI_SECTIONS
from jobfair.schemas.base import FieldMessage
from jobfair.services.errors import NotFound
from jobfair.services.filters import FilterSet, blank_to_none, upper_code

MAX_KEYWORD = 100
SECTION_LETTERS = frozenset(section.letter for section in KBLI_SECTIONS)


def keyword(value: Any) -> Any:
    """A keyword with its inner runs of spaces made one."""
    value = blank_to_none(value)
    return " ".join(value.split()) if isinstance(value, str) else value


def _regency(value: str | None) -> str | None:
    """A vacancy's work location: a regency, or a country abroad (AKAN) in any case."""
    if value is None:
        return None
    value = value.upper() if len(value) == 2 else value
    if not is_work_location(value):
        raise ValueError("not a work location")
    return value


def kbli_code_or_section(value: str | None) -> str | None:
    if value is None or value in SECTION_LETTERS or (value.isdigit() and 1 <= len(value) <= 5):
        return value
    raise ValueError("not a KBLI section or code prefix")


SectionLetter = Literal[tuple(sorted(SECTION_LETTERS))]  # type: ignore[valid-type]
EducationLevel = Literal[tuple(level.code for level in EDUCATION_LEVELS)]  # type: ignore[valid-type]


class CatalogueFilters(FilterSet):
    """Filters of the booth grid and vacancy search (pages and API); every one optional.

    ``education`` is the searcher's own level: it keeps the vacancies whose minimum it
    meets. ``sector`` is a KBLI section letter; ``kbli`` a section letter or a prefix of
    a 5-digit code; ``regency`` the work regency. Codes are read in any case.
    """

    q: Annotated[str | None, BeforeValidator(keyword)] = Field(
        default=None,
        max_length=MAX_KEYWORD,
        description="keyword in title, skills, description or company name",
    )
    sector: Annotated[SectionLetter | None, BeforeValidator(upper_code)] = Field(
        default=None, description="KBLI section letter"
    )
    education: Annotated[EducationLevel | None, BeforeValidator(upper_code)] = Field(
        default=None, description="the searcher's education: vacancies whose minimum it meets"
    )
    regency: Annotated[str | None, BeforeValidator(blank_to_none), AfterValidator(_regency)] = (
        Field(
            default=None,
            description="work regency, e.g. 12.09, or a country abroad, e.g. MY",
            # Said for clients; the rule is _regency (a known regency or country).
            json_schema_extra={"pattern": r"^(\d{2}\.\d{2}|[A-Za-z]{2})$"},
        )
    )
    kbli: Annotated[
        str | None, BeforeValidator(upper_code), AfterValidator(kbli_code_or_section)
    ] = Field(
        default=None,
        description="KBLI section letter or leading digits of a KBLI code",
        json_schema_extra={"pattern": r"^([A-Ua-u]|\d{1,5})$"},
    )

    messages: ClassVar = {
        "q": FieldMessage(N_("At most %(limit)s characters."), {"limit": MAX_KEYWORD}),
        "sector": FieldMessage(N_("Unknown choice.")),
        "education": FieldMessage(N_("Choose your highest education from the list.")),
        "regency": FieldMessage(N_("Choose a regency, a city or a country from the list.")),
        "kbli": FieldMessage(N_("Give a KBLI section letter A–U or 1 to 5 digits of a KBLI code.")),
    }

    @property
    def narrows_vacancies(self) -> bool:
        return bool(self.q or self.education or self.regency)

    @property
    def active(self) -> bool:
        return bool(self.q or self.sector or self.education or self.regency or self.kbli)

    def as_params(self) -> dict[str, str]:
        return {name: value for name, value in self.model_dump().items() if value}


@dataclass(frozen=True)
class BoothCard:
    booth: Booth
    company: Company
    vacancies: int
    openings: int


@dataclass
class BoothPage:
    booth: Booth
    company: Company
    vacancies: list[Vacancy] = field(default_factory=list)


# The statements below are built once per shape (which filters are given) with the
# values as bound parameters, and kept: building them per request (expressions, the
# aliases and subqueries of the public rules, SQLAlchemy's cache key of each) was about
# a fifth of an uncached fair page's CPU (py-spy, bench/README.md, issue 14). Every
# value reaches the database as a parameter, as before.
FAIR_ID = bindparam("fair_id")


def _public_vacancy() -> ColumnElement[bool]:
    """The public vacancies of the fair ``:fair_id`` (``models.vacancies.is_public`` is
    the rule)."""
    return and_(Vacancy.fair_id == FAIR_ID, is_public())


# The LIKE pattern's escape character; a keyword's own %, _ and / are escaped with it
# (what SQLAlchemy's ``autoescape`` does for a literal, which a bound value cannot use).
LIKE_ESCAPE = "/"


def _like_escaped(value: str) -> str:
    return (
        value.replace(LIKE_ESCAPE, LIKE_ESCAPE * 2)
        .replace("%", LIKE_ESCAPE + "%")
        .replace("_", LIKE_ESCAPE + "_")
    )


@dataclass(frozen=True)
class _Shape:
    """Which filters a query has, the key of its built statement: derived from the bound
    values (:func:`_bound`), so a statement has a condition for each value it is given."""

    given: frozenset[str]  # the names of the bound filter values
    kbli_code: bool  # ``kbli`` is a prefix of digits, not a section letter
    narrows_vacancies: bool  # CatalogueFilters.narrows_vacancies


def _bound(filters: CatalogueFilters, fair: Fair) -> tuple[_Shape, dict[str, Any]]:
    """The shape of the catalogue statement for ``filters`` in ``fair``, and its values."""
    values: dict[str, Any] = {}
    if filters.sector:
        values["sector"] = filters.sector
    if filters.kbli:
        values["kbli"] = filters.kbli
    if filters.education:
        rank = education_level(filters.education).rank
        values["eligible"] = [level.code for level in EDUCATION_LEVELS if level.rank <= rank]
    if filters.regency:
        values["regency"] = filters.regency
    if filters.q:
        values["q"] = _like_escaped(filters.q)
    shape = _Shape(
        given=frozenset(values),
        kbli_code=bool(filters.kbli and filters.kbli.isdigit()),
        narrows_vacancies=filters.narrows_vacancies,
    )
    return shape, {**values, "fair_id": fair.id}


def _company_conditions(shape: _Shape) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if "sector" in shape.given:
        conditions.append(Company.kbli_section == bindparam("sector"))
    if "kbli" in shape.given and shape.kbli_code:
        # Digits only (kbli_code_or_section): nothing in them for LIKE to read.
        conditions.append(Company.kbli.startswith(bindparam("kbli")))
    elif "kbli" in shape.given:
        conditions.append(Company.kbli_section == bindparam("kbli"))
    return conditions


def _vacancy_conditions(shape: _Shape) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if "eligible" in shape.given:
        conditions.append(Vacancy.education_min.in_(bindparam("eligible", expanding=True)))
    if "regency" in shape.given:
        conditions.append(Vacancy.work_regency_code == bindparam("regency"))
    if "q" in shape.given:
        conditions.append(
            or_(
                *(
                    column.icontains(bindparam("q"), escape=LIKE_ESCAPE)
                    for column in (Vacancy.title, Vacancy.skills, Vacancy.description, Company.name)
                )
            )
        )
    return conditions


@cache
def _booths_query(shape: _Shape) -> Select[tuple[Booth, Company, int, int]]:
    openings = Vacancy.openings_male + Vacancy.openings_female + Vacancy.openings_either
    vacancy_join = and_(Vacancy.booth_id == Booth.id, _public_vacancy())
    query: Select[tuple[Booth, Company, int, int]] = (
        select(
            Booth,
            Company,
            func.count(Vacancy.id),
            func.coalesce(func.sum(openings), 0),
        )
        .join(Company, Company.id == Booth.company_id)
        .where(Booth.fair_id == FAIR_ID, is_public_booth())
        .where(*_company_conditions(shape))
        .group_by(Booth.id, Company.id)
        .order_by(Company.name)
        # The booth's company is the row's own Company, not a second join of it: the
        # joined eager load wrapped the grouped query in a subquery and joined the
        # companies again outside it, for the ORM to load twice.
        .options(contains_eager(Booth.company))
    )
    if shape.narrows_vacancies:
        # Only booths that have at least one vacancy matching the search.
        return query.join(Vacancy, vacancy_join).where(*_vacancy_conditions(shape))
    return query.outerjoin(Vacancy, vacancy_join)


async def list_booths(
    session: AsyncSession, fair: Fair, filters: CatalogueFilters | None = None
) -> list[BoothCard]:
    """Approved booths with their (matching) public vacancy and opening counts."""
    filters = filters or CatalogueFilters()
    shape, values = _bound(filters, fair)
    rows = (await session.execute(_booths_query(shape), values)).all()
    return [
        BoothCard(booth=booth, company=company, vacancies=count, openings=int(total))
        for booth, company, count, total in rows
    ]


@cache
def _booth_query() -> Select[tuple[Booth, Company]]:
    return (
        select(Booth, Company)
        .join(Company, Company.id == Booth.company_id)
        .where(
            Booth.fair_id == FAIR_ID,
            is_public_booth(),
            Company.slug == bindparam("company_slug"),
        )
        .options(contains_eager(Booth.company))  # the joined Company, not a second join
    )


async def find_booth(session: AsyncSession, fair: Fair, company_slug: str) -> tuple[Booth, Company]:
    """The fair's approved booth of the company with ``company_slug``, or NotFound."""
    row = (
        await session.execute(_booth_query(), {"fair_id": fair.id, "company_slug": company_slug})
    ).first()
    if row is None:
        raise NotFound("booth not found")
    return row[0], row[1]


@cache
def _booth_vacancies_query() -> Select[tuple[Vacancy]]:
    return (
        select(Vacancy)
        .where(Vacancy.booth_id == bindparam("booth_id"), _public_vacancy())
        .order_by(Vacancy.title, Vacancy.id)
    )


async def get_booth(session: AsyncSession, fair: Fair, company_slug: str) -> BoothPage:
    booth, company = await find_booth(session, fair, company_slug)
    vacancies = await session.scalars(
        _booth_vacancies_query(), {"fair_id": fair.id, "booth_id": booth.id}
    )
    return BoothPage(booth=booth, company=company, vacancies=list(vacancies))


@cache
def _search_queries(shape: _Shape) -> tuple[Select[Any], Select[Any]]:
    """The page of matching vacancies with their total, and the total alone."""
    base = (
        select(Vacancy.id)
        .join(Booth, Booth.id == Vacancy.booth_id)
        .join(Company, Company.id == Booth.company_id)
        .where(_public_vacancy())
        .where(*_company_conditions(shape), *_vacancy_conditions(shape))
    )
    # The page and the total in one query (the window counts before LIMIT); only a page
    # past the end needs the total asked separately.
    page = (
        select(Vacancy, func.count().over())
        .join(Booth, Booth.id == Vacancy.booth_id)
        .join(Company, Company.id == Booth.company_id)
        .where(Vacancy.id.in_(base))
        # The vacancy's booth and company are the rows joined here (for the order), not
        # a second join of each by the joined eager loads.
        .options(contains_eager(Vacancy.booth).contains_eager(Booth.company))
        .order_by(Company.name, Vacancy.title, Vacancy.id)
        .limit(bindparam("limit"))
        .offset(bindparam("offset"))
    )
    return page, select(func.count()).select_from(base.subquery())


async def search_vacancies(
    session: AsyncSession,
    fair: Fair,
    filters: CatalogueFilters | None = None,
    *,
    limit: int = 100,
    offset: int = 0,
) -> tuple[list[Vacancy], int]:
    """Public vacancies matching ``filters``, and their total."""
    filters = filters or CatalogueFilters()
    shape, values = _bound(filters, fair)
    page, total_only = _search_queries(shape)
    rows = (await session.execute(page, {**values, "limit": limit, "offset": offset})).all()
    if rows:
        return [row[0] for row in rows], int(rows[0][1])
    if offset == 0:
        return [], 0
    total = await session.scalar(total_only, values) or 0
    return [], total


@cache
def _vacancy_query() -> Select[tuple[Vacancy]]:
    return select(Vacancy).where(Vacancy.id == bindparam("vacancy_id"), _public_vacancy())


async def get_vacancy(session: AsyncSession, fair: Fair, vacancy_id: int) -> Vacancy:
    vacancy = await session.scalar(_vacancy_query(), {"fair_id": fair.id, "vacancy_id": vacancy_id})
    if vacancy is None:
        raise NotFound("vacancy not found")
    return vacancy


@dataclass(frozen=True)
class Facets:
    """Values present in the fair, for the filter drop-downs."""

    sectors: list[str]
    regencies: list[str]


@cache
def _facets_query() -> Select[tuple[str, str]]:
    # One round trip for both lists (every public page of a fair shows them).
    sectors = (
        select(literal("sector").label("kind"), Company.kbli_section.label("value"))
        .join(Booth, Booth.company_id == Company.id)
        .where(Booth.fair_id == FAIR_ID, is_public_booth())
    )
    regencies = select(
        literal("regency").label("kind"), Vacancy.work_regency_code.label("value")
    ).where(_public_vacancy())
    both = union(sectors, regencies).subquery()  # UNION drops the duplicates
    return select(both.c.kind, both.c.value).order_by(both.c.value)


async def facets(session: AsyncSession, fair: Fair) -> Facets:
    rows = (await session.execute(_facets_query(), {"fair_id": fair.id})).all()
    return Facets(
        sectors=[value for kind, value in rows if kind == "sector"],
        regencies=[value for kind, value in rows if kind == "regency"],
    )
