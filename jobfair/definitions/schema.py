"""The ``events/*.toml`` fair definition format: parsing, validation and writing.

A definition names a labour office, one fair and its companies with their booths and
vacancies — never a person. The tables are pydantic models (strict: a TOML value of the
wrong type is refused, never converted); their field types and the vacancy's rules are
the ones the company forms use (``jobfair.schemas``). Parsing collects *every* problem
before refusing a file, each with the file, the line (when the key can be found), the
key path, what is wrong and what is allowed, so an organiser can fix a file in one pass.
``events/README.md`` documents the format; ``dump_fair`` writes it back (used by
``jobfair events export``).
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any
from zoneinfo import ZoneInfo

import tomli_w
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import ErrorDetails, InitErrorDetails, PydanticCustomError

from jobfair.models.companies import BoothStatus
from jobfair.models.fairs import FAIR_TIMEZONES, FairStatus
from jobfair.models.vacancies import VacancyStatus, VacancyVerification
from jobfair.schemas.codes import (
    EmployerTypeCode,
    KbjiCode,
    KbliCode,
    Nib,
    Npwp,
    ProvinceCode,
    RegencyCode,
    Timezone,
    one_of,
    slug,
)
from jobfair.schemas.companies import Description, Skill, Title, VacancyRules
from jobfair.schemas.fields import Email, HttpUrl, between
from jobfair.schemas.problems import describe, file_message, refuse, refuse_all
from jobfair.services.errors import ValidationFailed
from jobfair.services.fair_window import check_window

FORMAT_VERSION = 1

# Words of the organiser console's addresses (/organiser/fairs/new) that no fair may take.
RESERVED_FAIR_SLUGS = frozenset({"new"})


def _integer(value: Any) -> Any:
    # A code that is a number is written as one; "24" is a string, not the code 24.
    if not isinstance(value, int) or isinstance(value, bool):
        raise refuse("int_type", f"must be an integer, not {describe(value)}")
    return value


# --------------------------------------------------------------------------- model


class _Table(BaseModel):
    """A TOML table: known keys only, values of the documented type."""

    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)

    @model_validator(mode="before")
    @classmethod
    def _blank_is_unset(cls, data: Any) -> Any:
        # An optional text left empty ("") is the key left out; a required one is
        # refused as empty by its type.
        if not isinstance(data, dict):
            return data
        return {
            key: value
            for key, value in data.items()
            if not (
                isinstance(value, str)
                and not value.strip()
                and key in cls.model_fields
                and not cls.model_fields[key].is_required()
            )
        }


class OfficeDefinition(_Table):
    slug: slug(60)
    name: Title
    regency_code: RegencyCode | None = None
    province_code: ProvinceCode | None = None

    @field_validator("province_code")
    @classmethod
    def _province_of_the_regency(cls, province: str | None, info: ValidationInfo) -> str | None:
        regency = info.data.get("regency_code")
        if regency and province and not regency.startswith(province + "."):
            raise refuse("province", f"{province!r} is not the province of {regency!r}")
        return province


# The limits of a fair's own fields, for the form's messages as well as the rules.
FAIR_SLUG_MAX = 80
HIRING_TARGET_MAX = 100  # a percentage
APPLICATION_CAP_MAX = 100  # applications per applicant in one fair


class FairDefinition(_Table):
    slug: slug(FAIR_SLUG_MAX, RESERVED_FAIR_SLUGS)
    name: Title
    timezone: Timezone
    # Local date-times are read in the fair's timezone; kept aware, in UTC. Left out,
    # registration opens with the fair.
    registration_opens_at: datetime | None = None
    opens_at: datetime
    closes_at: datetime
    decision_deadline: datetime
    description: Description | None = None
    host_regency_codes: tuple[RegencyCode, ...] = Field(default=(), strict=False)
    local_hiring_target: between(0, HIRING_TARGET_MAX) | None = None
    application_cap: between(1, APPLICATION_CAP_MAX) | None = None
    status: one_of(status.value for status in FairStatus) = FairStatus.DRAFT.value

    @model_validator(mode="before")
    @classmethod
    def _in_the_fairs_timezone(cls, data: Any) -> Any:
        if not isinstance(data, dict) or data.get("timezone") not in FAIR_TIMEZONES:
            return data
        zone = ZoneInfo(data["timezone"])
        data = dict(data)
        for key in MOMENTS:
            if isinstance(value := data.get(key), datetime):
                data[key] = _in_zone(value, zone)
        if data.get("registration_opens_at") is None and isinstance(data.get("opens_at"), datetime):
            data["registration_opens_at"] = data["opens_at"]
        return data

    @field_validator("host_regency_codes")
    @classmethod
    def _hosts_once(cls, codes: tuple[str, ...]) -> tuple[str, ...]:
        seen: set[str] = set()
        twice = []
        for index, code in enumerate(codes):
            if code in seen:
                twice.append(((index,), refuse("twice", f"{code!r} is listed twice"), code))
            seen.add(code)
        if twice:
            raise refuse_all("host_regency_codes", twice)
        return tuple(sorted(codes))

    @model_validator(mode="wrap")
    @classmethod
    def _window(cls, data: Any, handler: Any) -> Any:
        """One window rule for files and the organiser console (services.fairs), over
        every moment that can be read, also when other keys of the table are wrong, so
        a file is fixed in one pass."""
        problems: list[InitErrorDetails] = []
        fair = None
        try:
            fair = handler(data)
        except ValidationError as error:
            problems = [_again(problem) for problem in error.errors()]
        moments = _moments(data)
        if moments is not None:
            told = {problem["loc"][0] for problem in problems if problem["loc"]}
            try:
                check_window(**moments)
            except ValidationFailed as error:
                problems += [
                    InitErrorDetails(
                        type=refuse("window", message), loc=(key,), input=data.get(key)
                    )
                    for key, message in error.fields.items()
                    if key not in told
                ]
        if problems:
            raise ValidationError.from_exception_data(cls.__name__, problems)
        return fair


MOMENTS = ("registration_opens_at", "opens_at", "closes_at", "decision_deadline")


def _in_zone(value: datetime, zone: ZoneInfo) -> datetime:
    # An offset date-time is kept as written; a local one is the fair's.
    return (value if value.tzinfo else value.replace(tzinfo=zone)).astimezone(UTC)


def _moments(data: Any) -> dict[str, datetime | None] | None:
    """The window's moments of a raw ``[fair]`` table that can be read, in UTC (None
    for the others); None when the timezone they are read in is not known."""
    if not isinstance(data, dict) or data.get("timezone") not in FAIR_TIMEZONES:
        return None
    zone = ZoneInfo(data["timezone"])
    moments = {
        key: _in_zone(value, zone) if isinstance(value := data.get(key), datetime) else None
        for key in MOMENTS
    }
    if "registration_opens_at" not in data:
        moments["registration_opens_at"] = moments["opens_at"]
    return moments


def _again(problem: ErrorDetails) -> InitErrorDetails:
    """A reported problem as one to raise again: pydantic's own by its type, a refusal
    of ours (``refuse``) with its text and context."""
    context = problem.get("ctx")
    if context is not None and "message_id" in context:
        kind: Any = PydanticCustomError(problem["type"], problem["msg"], context)
        return InitErrorDetails(type=kind, loc=problem["loc"], input=problem["input"])
    details = InitErrorDetails(type=problem["type"], loc=problem["loc"], input=problem["input"])
    if context is not None:
        details["ctx"] = context
    return details


class BoothDefinition(_Table):
    status: one_of(status.value for status in BoothStatus) = BoothStatus.APPROVED.value
    description: Description | None = None
    video_url: HttpUrl | None = None
    contact_email: Email | None = None


class VacancyDefinition(_Table, VacancyRules):
    """A vacancy of a file: the form's fields and rules (:class:`VacancyRules`), its
    ``ref`` within the company, and the state it is loaded in."""

    ref: slug(60)
    kbji: KbjiCode
    skills: tuple[Skill, ...] = Field(default=(), strict=False)
    status: one_of(status.value for status in VacancyStatus) = VacancyStatus.OPEN.value
    verification: one_of(value.value for value in VacancyVerification) = (
        VacancyVerification.VERIFIED.value
    )


def _once(items: Any, key: str, told: str) -> list[tuple[tuple[str | int, ...], Any, object]]:
    """The items whose ``key`` an earlier item already has; ``items`` is a sequence or
    ``(index, item)`` pairs (the valid items of a list that also holds invalid ones)."""
    first: dict[Any, int] = {}
    twice = []
    pairs = items if isinstance(items, list) else list(enumerate(items))
    for index, item in pairs:
        value = getattr(item, key)
        if value in first:
            message = told.format(value=value, first=first[value] + 1)
            twice.append(((index, key), refuse("twice", message), value))
        first.setdefault(value, index)
    return twice


class CompanyDefinition(_Table):
    slug: slug(80)
    name: Title
    nib: Nib
    kbli: KbliCode
    employer_type: Annotated[EmployerTypeCode, BeforeValidator(_integer)]
    regency_code: RegencyCode
    npwp: Npwp | None = None
    website: HttpUrl | None = None
    description: Description | None = None
    booth: BoothDefinition | None = None
    vacancies: tuple[VacancyDefinition, ...] = Field(default=(), strict=False)

    @field_validator("vacancies")
    @classmethod
    def _refs_once(cls, vacancies: tuple[VacancyDefinition, ...]) -> tuple[VacancyDefinition, ...]:
        twice = _once(
            vacancies,
            "ref",
            "{value!r} is used twice in this company; refs must be unique",
        )
        if twice:
            raise refuse_all("vacancies", twice)
        return vacancies


class FairFile(_Table):
    office: OfficeDefinition
    fair: FairDefinition
    companies: tuple[CompanyDefinition, ...] = Field(default=(), strict=False)

    @field_validator("companies", mode="wrap")
    @classmethod
    def _companies_once(cls, raw: Any, handler: Any) -> tuple[CompanyDefinition, ...]:
        """A slug or a NIB used by two companies, among the companies that are valid,
        reported beside the problems of the others."""
        try:
            companies = handler(raw)
        except ValidationError as error:
            problems = [_again(problem) for problem in error.errors()]
            valid = []
            for index, item in enumerate(raw if isinstance(raw, list) else []):
                try:
                    valid.append((index, CompanyDefinition.model_validate(item)))
                except ValidationError:
                    continue
            problems += [
                InitErrorDetails(type=refusal, loc=loc, input=value)
                for loc, refusal, value in _companies_twice(valid)
            ]
            raise ValidationError.from_exception_data("companies", problems) from None
        if twice := _companies_twice(companies):
            raise refuse_all("companies", twice)
        return companies


def _companies_twice(companies: Any) -> list[tuple[tuple[str | int, ...], Any, object]]:
    return [
        *_once(companies, "slug", "{value!r} is already used by companies[{first}]"),
        *_once(companies, "nib", "{value} is already used by companies[{first}]"),
    ]


class _Document(FairFile):
    """A whole file: the tables and the version of the format it is written in."""

    format: int

    @field_validator("format", mode="before")
    @classmethod
    def _this_format(cls, version: Any) -> int:
        if version != FORMAT_VERSION or isinstance(version, bool):
            raise refuse(
                "format",
                f"must be {FORMAT_VERSION} (the format this version reads), not {version!r}",
            )
        return FORMAT_VERSION


@dataclass(frozen=True)
class DefinitionProblem:
    file: str
    where: str
    message: str
    line: int | None = None

    def __str__(self) -> str:
        place = f"{self.file}:{self.line}" if self.line else self.file
        return (
            f"{place}: {self.where}: {self.message}" if self.where else f"{place}: {self.message}"
        )


class DefinitionError(ValueError):
    """A definition file that cannot be used; ``problems`` lists every reason."""

    def __init__(self, problems: list[DefinitionProblem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(problem) for problem in problems))


# --------------------------------------------------------------------- key lines

Path_ = tuple[str | int, ...]
_HEADER = re.compile(r"^\s*(\[\[?)\s*([A-Za-z0-9_.\-\s\"']+?)\s*\]\]?\s*(?:#.*)?$")
_KEY = re.compile(r"^\s*([A-Za-z0-9_\-]+)\s*=")


def _key_lines(text: str) -> dict[Path_, int]:
    """Map key paths such as ``("companies", 2, "vacancies", 0, "title")`` to the line
    they start on. tomllib gives no positions, so this follows table headers; a value
    spread over several lines is attributed to its first line."""
    lines: dict[Path_, int] = {}
    counters: dict[tuple[Path_, str], int] = {}
    current: Path_ = ()
    in_multiline: str | None = None
    for number, raw in enumerate(text.splitlines(), start=1):
        if in_multiline:
            if raw.count(in_multiline) % 2 == 1:
                in_multiline = None
            continue
        header = _HEADER.match(raw)
        if header:
            names = [part.strip().strip("\"'") for part in header.group(2).split(".")]
            path: list[str | int] = []
            for depth, name in enumerate(names):
                path.append(name)
                is_last = depth == len(names) - 1
                if is_last and header.group(1) == "[[":
                    key = (tuple(path), name)
                    counters[key] = counters.get(key, -1) + 1
                    # A new parent element restarts the numbering of its children.
                    for other in [k for k in counters if k[0][: len(path)] == tuple(path)]:
                        if len(other[0]) > len(path):
                            del counters[other]
                    path.append(counters[key])
                    lines[tuple(path)] = number
                elif not is_last or header.group(1) == "[":
                    index = counters.get((tuple(path), name))
                    if index is not None:
                        path.append(index)
            current = tuple(path)
            lines.setdefault(current, number)
            continue
        key = _KEY.match(raw)
        if key:
            lines[(*current, key.group(1))] = number
            for quote in ('"""', "'''"):
                if raw.count(quote) % 2 == 1:
                    in_multiline = quote
    return lines


# ------------------------------------------------------------------- validation


def _where(path: Path_) -> str:
    out = ""
    for part in path:
        out += f"[{part + 1}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out


def _line(lines: dict[Path_, int], path: Path_) -> int | None:
    for end in range(len(path), 0, -1):
        found = lines.get(tuple(path[:end]))
        if found:
            return found
    return None


def _path(problem: ErrorDetails) -> Path_:
    path = tuple(problem["loc"])
    # The tables' after-rules name their field; the nested one is where it belongs.
    named = (problem.get("ctx") or {}).get("field")
    return (*path, named) if named else path


def _message(problem: ErrorDetails, model: type[BaseModel] | None) -> str:
    if problem["type"] == "extra_forbidden" and model is not None:
        key = problem["loc"][-1]
        return f"unknown key {key!r}; allowed: {', '.join(model.model_fields)}"
    if problem["type"] == "missing" and problem["loc"] in (("office",), ("fair",)):
        return f"the [{problem['loc'][0]}] table is missing"
    return file_message(problem)


_TABLES: dict[str, type[BaseModel]] = {
    "": _Document,
    "office": OfficeDefinition,
    "fair": FairDefinition,
    "companies": CompanyDefinition,
    "companies.booth": BoothDefinition,
    "companies.vacancies": VacancyDefinition,
}


def _table_of(path: Path_) -> type[BaseModel] | None:
    """The model of the table a key path ends in (its parent's)."""
    return _TABLES.get(".".join(str(part) for part in path[:-1] if isinstance(part, str)))


def _problems(
    error: ValidationError, file: str, lines: dict[Path_, int]
) -> list[DefinitionProblem]:
    problems = []
    for problem in error.errors():
        path = _path(problem)
        problems.append(
            DefinitionProblem(
                file, _where(path), _message(problem, _table_of(path)), _line(lines, path)
            )
        )
    return problems


def check_fair_table(data: Mapping[str, Any]) -> tuple[FairDefinition | None, dict[str, str]]:
    """Check one ``[fair]`` table by exactly the rules a definition file obeys (the
    organiser console builds the table from its form): the definition, or None and the
    first problem of each key (``"fair"`` for the table as a whole)."""
    try:
        return FairDefinition.model_validate(dict(data)), {}
    except ValidationError as error:
        fields: dict[str, str] = {}
        for problem in error.errors():
            path = _path(problem)
            key = path[0] if path and isinstance(path[0], str) else "fair"
            fields.setdefault(str(key), _message(problem, FairDefinition))
        return None, fields


def parse_fair_text(text: str, *, file: str = "<definition>") -> FairFile:
    """Parse and validate a definition; raise :class:`DefinitionError` with every problem."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        message = str(error)
        found = re.search(r"\(at line (\d+), column \d+\)", message)
        line = int(found.group(1)) if found else None
        reason = re.sub(r"\s*\(at line \d+, column \d+\)", "", message)
        raise DefinitionError([DefinitionProblem(file, "TOML syntax", f"{reason}", line)]) from None
    try:
        document = _Document.model_validate(data)
    except ValidationError as error:
        raise DefinitionError(_problems(error, file, _key_lines(text))) from None
    return FairFile(office=document.office, fair=document.fair, companies=document.companies)


def parse_fair_file(path: Path) -> FairFile:
    """Read and parse one definition file; ``OSError`` if it cannot be read."""
    return parse_fair_text(Path(path).read_text(encoding="utf-8"), file=str(path))


# ----------------------------------------------------------------------- writing


def _drop_empty(values: dict[str, Any], defaults: dict[str, Any] | None = None) -> dict[str, Any]:
    defaults = defaults or {}
    return {
        key: value
        for key, value in values.items()
        if value is not None and value != () and (key not in defaults or defaults[key] != value)
    }


def dump_fair(fair_file: FairFile) -> str:
    """Write a definition in the documented format; parsing it gives ``fair_file`` back."""
    fair = fair_file.fair
    zone = ZoneInfo(fair.timezone)

    def local(moment: datetime) -> datetime:
        # Written as local date-times in the fair's timezone, as organisers write them.
        return moment.astimezone(zone).replace(tzinfo=None)

    document: dict[str, Any] = {
        "format": FORMAT_VERSION,
        "office": _drop_empty(
            {
                "slug": fair_file.office.slug,
                "name": fair_file.office.name,
                "regency_code": fair_file.office.regency_code,
                "province_code": fair_file.office.province_code,
            }
        ),
        "fair": _drop_empty(
            {
                "slug": fair.slug,
                "name": fair.name,
                "description": fair.description,
                "timezone": fair.timezone,
                "registration_opens_at": local(fair.registration_opens_at),
                "opens_at": local(fair.opens_at),
                "closes_at": local(fair.closes_at),
                "decision_deadline": local(fair.decision_deadline),
                "host_regency_codes": list(fair.host_regency_codes) or None,
                "local_hiring_target": fair.local_hiring_target,
                "application_cap": fair.application_cap,
                "status": fair.status,
            }
        ),
    }
    companies = []
    for company in fair_file.companies:
        entry = _drop_empty(
            {
                "slug": company.slug,
                "name": company.name,
                "nib": company.nib,
                "npwp": company.npwp,
                "kbli": company.kbli,
                "employer_type": company.employer_type,
                "regency_code": company.regency_code,
                "website": company.website,
                "description": company.description,
            }
        )
        if company.booth is not None:
            entry["booth"] = _drop_empty(
                {
                    "status": company.booth.status,
                    "description": company.booth.description,
                    "video_url": company.booth.video_url,
                    "contact_email": company.booth.contact_email,
                }
            )
        vacancies = []
        for vacancy in company.vacancies:
            vacancies.append(
                _drop_empty(
                    {
                        "ref": vacancy.ref,
                        "title": vacancy.title,
                        "kbji": vacancy.kbji,
                        "openings_male": vacancy.openings_male,
                        "openings_female": vacancy.openings_female,
                        "openings_either": vacancy.openings_either,
                        "education_min": vacancy.education_min,
                        "age_min": vacancy.age_min,
                        "age_max": vacancy.age_max,
                        "experience_years": vacancy.experience_years,
                        "skills": list(vacancy.skills) or None,
                        "salary_min": vacancy.salary_min,
                        "salary_max": vacancy.salary_max,
                        "work_regency_code": vacancy.work_regency_code,
                        "employment_type": vacancy.employment_type,
                        "deadline": vacancy.deadline,
                        "status": vacancy.status,
                        "verification": vacancy.verification,
                        "description": vacancy.description,
                    },
                    defaults={
                        "openings_male": 0,
                        "openings_female": 0,
                        "openings_either": 0,
                        "experience_years": 0,
                        "status": VacancyStatus.OPEN,
                        "verification": VacancyVerification.VERIFIED,
                    },
                )
            )
        if vacancies:
            entry["vacancies"] = vacancies
        companies.append(entry)
    if companies:
        document["companies"] = companies
    header = (
        "# Fair definition (format 1) — see events/README.md.\n"
        f"# Dates are local time in {fair.timezone}.\n\n"
    )
    return header + tomli_w.dumps(document, multiline_strings=True)


__all__ = [
    "BoothDefinition",
    "CompanyDefinition",
    "DefinitionError",
    "DefinitionProblem",
    "FairDefinition",
    "FairFile",
    "OfficeDefinition",
    "VacancyDefinition",
    "check_fair_table",
    "dump_fair",
    "parse_fair_file",
    "parse_fair_text",
]
