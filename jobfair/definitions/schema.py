"""The ``events/*.toml`` fair definition format: parsing, validation and writing.

A definition names a labour office, one fair and its companies with their booths and
vacancies — never a person. Parsing collects *every* problem before refusing a file,
each with the file, the line (when the key can be found), the key path, what is wrong
and what is allowed, so an organiser can fix a file in one pass. ``events/README.md``
documents the format; ``dump_fair`` writes it back (used by ``jobfair events export``).
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import tomli_w

from jobfair.models.companies import BoothStatus
from jobfair.models.fairs import FAIR_TIMEZONES, FairStatus
from jobfair.models.vacancies import EmploymentType, VacancyStatus, VacancyVerification
from jobfair.reference.education import EDUCATION_CODES, EDUCATION_LEVELS
from jobfair.reference.employer_types import EMPLOYER_TYPES
from jobfair.reference.kbji import is_valid_kbji
from jobfair.reference.kbli import is_valid_kbli
from jobfair.reference.nik import MAX_AGE, MIN_AGE
from jobfair.reference.regions import is_regency, provinces
from jobfair.services.errors import ValidationFailed
from jobfair.services.fair_window import check_window
from jobfair.services.formats import is_email, is_http_url

FORMAT_VERSION = 1
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


# --------------------------------------------------------------------------- model


@dataclass(frozen=True)
class OfficeDefinition:
    slug: str
    name: str
    regency_code: str | None = None
    province_code: str | None = None


@dataclass(frozen=True)
class FairDefinition:
    slug: str
    name: str
    timezone: str
    registration_opens_at: datetime  # aware, UTC
    opens_at: datetime
    closes_at: datetime
    decision_deadline: datetime
    description: str | None = None
    host_regency_codes: tuple[str, ...] = ()
    local_hiring_target: int | None = None
    application_cap: int | None = None
    status: str = FairStatus.DRAFT


@dataclass(frozen=True)
class BoothDefinition:
    status: str = BoothStatus.APPROVED
    description: str | None = None
    video_url: str | None = None
    contact_email: str | None = None


@dataclass(frozen=True)
class VacancyDefinition:
    ref: str
    title: str
    kbji: str
    education_min: str
    work_regency_code: str
    employment_type: str
    openings_male: int = 0
    openings_female: int = 0
    openings_either: int = 0
    age_min: int | None = None
    age_max: int | None = None
    experience_years: int = 0
    skills: tuple[str, ...] = ()
    description: str | None = None
    salary_min: int | None = None
    salary_max: int | None = None
    deadline: date | None = None
    status: str = VacancyStatus.OPEN
    verification: str = VacancyVerification.VERIFIED


@dataclass(frozen=True)
class CompanyDefinition:
    slug: str
    name: str
    nib: str
    kbli: str
    employer_type: int
    regency_code: str
    npwp: str | None = None
    website: str | None = None
    description: str | None = None
    booth: BoothDefinition | None = None
    vacancies: tuple[VacancyDefinition, ...] = ()


@dataclass(frozen=True)
class FairFile:
    office: OfficeDefinition
    fair: FairDefinition
    companies: tuple[CompanyDefinition, ...] = ()


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


class _Checker:
    """Reads values out of the parsed TOML, recording a problem for each bad one."""

    def __init__(self, file: str, lines: dict[Path_, int]) -> None:
        self.file = file
        self.lines = lines
        self.problems: list[DefinitionProblem] = []
        # The key path of each problem, for callers that show problems by field.
        self.paths: list[Path_] = []

    def where(self, path: Path_) -> str:
        out = ""
        for part in path:
            out += f"[{part + 1}]" if isinstance(part, int) else (f".{part}" if out else part)
        return out

    def line(self, path: Path_) -> int | None:
        for end in range(len(path), 0, -1):
            found = self.lines.get(tuple(path[:end]))
            if found:
                return found
        return None

    def problem(self, path: Path_, message: str) -> None:
        self.paths.append(path)
        self.problems.append(
            DefinitionProblem(self.file, self.where(path), message, self.line(path))
        )

    def table(self, data: dict[str, Any], path: Path_, allowed: Iterable[str]) -> dict[str, Any]:
        allowed = tuple(allowed)
        for key in data:
            if key not in allowed:
                self.problem((*path, key), f"unknown key {key!r}; allowed: {', '.join(allowed)}")
        return data

    def value(
        self,
        data: dict[str, Any],
        path: Path_,
        key: str,
        kind: type | tuple[type, ...],
        *,
        required: bool = True,
        default: Any = None,
        check: Callable[[Any], str | None] | None = None,
    ) -> Any:
        at = (*path, key)
        if key not in data:
            if required:
                self.problem(at, "is missing")
            return default
        value = data[key]
        kinds = kind if isinstance(kind, tuple) else (kind,)
        # bool is an int in Python; a TOML true is never a number here.
        if not isinstance(value, kinds) or (isinstance(value, bool) and bool not in kinds):
            names = " or ".join(_TYPE_NAMES.get(k, k.__name__) for k in kinds)
            self.problem(at, f"must be {names}, not {_describe(value)}")
            return default
        if isinstance(value, str):
            value = value.strip()
            if not value and not required:
                return default
            if not value:
                self.problem(at, "must not be empty")
                return default
        if check is not None:
            message = check(value)
            if message:
                self.problem(at, message)
                return default
        return value


_TYPE_NAMES = {
    str: "a string",
    int: "an integer",
    list: "a list",
    dict: "a table",
    datetime: "a date-time (2026-11-02T08:00:00)",
    date: "a date (2026-11-30)",
}


def _describe(value: Any) -> str:
    if isinstance(value, bool):
        return "true/false"
    for kind, name in (
        (str, "a string"),
        (int, "an integer"),
        (float, "a decimal number"),
        (datetime, "a date-time"),
        (date, "a date"),
        (list, "a list"),
        (dict, "a table"),
    ):
        if isinstance(value, kind):
            return f"{name} ({value!r})" if not isinstance(value, list | dict) else name
    return type(value).__name__


def _one_of(allowed: Iterable[object]) -> Callable[[Any], str | None]:
    options = tuple(allowed)

    def check(value: Any) -> str | None:
        if value in options:
            return None
        return f"{value!r} is not allowed; allowed: {', '.join(str(o) for o in options)}"

    return check


def _slug(value: str, limit: int = 60) -> str | None:
    if len(value) > limit or not SLUG.match(value):
        return (
            f"{value!r} is not a slug; use lower-case letters, digits and single hyphens, "
            f"at most {limit} characters"
        )
    return None


# Words of the organiser console's addresses (/organiser/fairs/new) that no fair may take.
RESERVED_FAIR_SLUGS = frozenset({"new"})


def _fair_slug(value: str) -> str | None:
    if value in RESERVED_FAIR_SLUGS:
        return f"{value!r} is reserved; choose another slug"
    return _slug(value, 80)


def _length(limit: int) -> Callable[[str], str | None]:
    def check(value: str) -> str | None:
        return (
            f"is {len(value)} characters long; at most {limit} allowed"
            if len(value) > limit
            else None
        )

    return check


def _digits(*lengths: int, what: str) -> Callable[[str], str | None]:
    def check(value: str) -> str | None:
        if value.isascii() and value.isdigit() and len(value) in lengths:
            return None
        counts = " or ".join(str(n) for n in lengths)
        return f"{value!r} is not a {what}; expected {counts} digits"

    return check


def _regency(value: str) -> str | None:
    if is_regency(value):
        return None
    return (
        f"{value!r} is not a regency or city code; use the Kemendagri code "
        "'PP.RR' of the reference list (e.g. '12.09' for Kabupaten Asahan)"
    )


def _province(value: str) -> str | None:
    if value in {p.code for p in provinces()}:
        return None
    return f"{value!r} is not a province code; use the two-digit Kemendagri code (e.g. '12')"


def _range(low: int, high: int) -> Callable[[int], str | None]:
    def check(value: int) -> str | None:
        return (
            None if low <= value <= high else f"{value} is out of range; allowed: {low} to {high}"
        )

    return check


def _url(value: str) -> str | None:
    return None if is_http_url(value) else f"{value!r} is not an http(s) address"


def _email(value: str) -> str | None:
    return None if is_email(value) else f"{value!r} is not an e-mail address"


def _kbli(value: str) -> str | None:
    if is_valid_kbli(value):
        return None
    return f"{value!r} is not a KBLI 2020 code; expected 5 digits of an existing division"


def _kbji(value: str) -> str | None:
    if is_valid_kbji(value):
        return None
    return f"{value!r} is not a KBJI 2014 code; expected 1 to 6 digits"


OFFICE_KEYS = ("slug", "name", "regency_code", "province_code")
FAIR_KEYS = (
    "slug",
    "name",
    "description",
    "timezone",
    "registration_opens_at",
    "opens_at",
    "closes_at",
    "decision_deadline",
    "host_regency_codes",
    "local_hiring_target",
    "application_cap",
    "status",
)
COMPANY_KEYS = (
    "slug",
    "name",
    "nib",
    "npwp",
    "kbli",
    "employer_type",
    "regency_code",
    "website",
    "description",
    "booth",
    "vacancies",
)
BOOTH_KEYS = ("status", "description", "video_url", "contact_email")
VACANCY_KEYS = (
    "ref",
    "title",
    "kbji",
    "openings_male",
    "openings_female",
    "openings_either",
    "education_min",
    "age_min",
    "age_max",
    "experience_years",
    "skills",
    "description",
    "salary_min",
    "salary_max",
    "work_regency_code",
    "employment_type",
    "deadline",
    "status",
    "verification",
)


def _office(c: _Checker, data: Any) -> OfficeDefinition | None:
    path: Path_ = ("office",)
    if not isinstance(data, dict):
        c.problem(path, "the [office] table is missing")
        return None
    c.table(data, path, OFFICE_KEYS)
    slug = c.value(data, path, "slug", str, check=_slug)
    name = c.value(data, path, "name", str, check=_length(200))
    regency_code = c.value(data, path, "regency_code", str, required=False, check=_regency)
    province_code = c.value(data, path, "province_code", str, required=False, check=_province)
    if regency_code and province_code and not regency_code.startswith(province_code + "."):
        c.problem(
            (*path, "province_code"), f"{province_code!r} is not the province of {regency_code!r}"
        )
    if slug is None or name is None:
        return None
    return OfficeDefinition(slug, name, regency_code, province_code)


def _moment(
    c: _Checker,
    data: dict[str, Any],
    path: Path_,
    key: str,
    zone: ZoneInfo | None,
    required: bool = True,
) -> datetime | None:
    value = c.value(data, path, key, datetime, required=required)
    if value is None or zone is None:
        return None
    # A local date-time is read in the fair's timezone; an offset one is kept as it is.
    local = value if value.tzinfo else value.replace(tzinfo=zone)
    return local.astimezone(UTC)


def _fair(c: _Checker, data: Any) -> FairDefinition | None:
    path: Path_ = ("fair",)
    if not isinstance(data, dict):
        c.problem(path, "the [fair] table is missing")
        return None
    c.table(data, path, FAIR_KEYS)
    slug = c.value(data, path, "slug", str, check=_fair_slug)
    name = c.value(data, path, "name", str, check=_length(200))
    description = c.value(data, path, "description", str, required=False, check=_length(5000))
    timezone = c.value(data, path, "timezone", str, check=_one_of(FAIR_TIMEZONES))
    zone = ZoneInfo(timezone) if timezone else None
    opens_at = _moment(c, data, path, "opens_at", zone)
    closes_at = _moment(c, data, path, "closes_at", zone)
    registration = _moment(c, data, path, "registration_opens_at", zone, required=False)
    deadline = _moment(c, data, path, "decision_deadline", zone)
    registration = registration or opens_at
    # One window rule for files and the organiser console (services.fairs); a moment
    # that could not be read is None and skipped, so the others are still checked.
    if opens_at or closes_at:
        try:
            check_window(
                registration_opens_at=registration,
                opens_at=opens_at,
                closes_at=closes_at,
                decision_deadline=deadline,
            )
        except ValidationFailed as error:
            for key, message in error.fields.items():
                c.problem((*path, key), message)
    hosts_raw = c.value(data, path, "host_regency_codes", list, required=False, default=[])
    hosts: list[str] = []
    for index, code in enumerate(hosts_raw):
        at = (*path, "host_regency_codes")
        if not isinstance(code, str):
            c.problem(at, f"item {index + 1} must be a string, not {_describe(code)}")
        elif (message := _regency(code)) is not None:
            c.problem(at, f"item {index + 1}: {message}")
        elif code in hosts:
            c.problem(at, f"{code!r} is listed twice")
        else:
            hosts.append(code)
    target = c.value(data, path, "local_hiring_target", int, required=False, check=_range(0, 100))
    cap = c.value(data, path, "application_cap", int, required=False, check=_range(1, 100))
    status = c.value(
        data,
        path,
        "status",
        str,
        required=False,
        default=FairStatus.DRAFT,
        check=_one_of(s.value for s in FairStatus),
    )
    if None in (slug, name, timezone, opens_at, closes_at, deadline, registration):
        return None
    assert registration and opens_at and closes_at and deadline  # for the type checker
    return FairDefinition(
        slug=slug,
        name=name,
        description=description,
        timezone=timezone,
        registration_opens_at=registration,
        opens_at=opens_at,
        closes_at=closes_at,
        decision_deadline=deadline,
        host_regency_codes=tuple(sorted(hosts)),
        local_hiring_target=target,
        application_cap=cap,
        status=str(status),
    )


def _booth(c: _Checker, data: Any, path: Path_) -> BoothDefinition | None:
    if data is None:
        return None
    if not isinstance(data, dict):
        c.problem(path, f"must be a table, not {_describe(data)}")
        return None
    c.table(data, path, BOOTH_KEYS)
    return BoothDefinition(
        status=str(
            c.value(
                data,
                path,
                "status",
                str,
                required=False,
                default=BoothStatus.APPROVED,
                check=_one_of(s.value for s in BoothStatus),
            )
        ),
        description=c.value(data, path, "description", str, required=False, check=_length(5000)),
        video_url=c.value(data, path, "video_url", str, required=False, check=_url),
        contact_email=c.value(data, path, "contact_email", str, required=False, check=_email),
    )


def _skills(c: _Checker, data: dict[str, Any], path: Path_) -> tuple[str, ...]:
    raw = c.value(data, path, "skills", list, required=False, default=[])
    skills: list[str] = []
    for index, skill in enumerate(raw):
        if not isinstance(skill, str) or not skill.strip() or "\n" in skill or len(skill) > 80:
            c.problem(
                (*path, "skills"),
                f"item {index + 1} must be a one-line text of 1 to 80 characters",
            )
        else:
            skills.append(skill.strip())
    return tuple(skills)


def _vacancy(c: _Checker, data: Any, path: Path_) -> VacancyDefinition | None:
    if not isinstance(data, dict):
        c.problem(path, f"must be a table, not {_describe(data)}")
        return None
    c.table(data, path, VACANCY_KEYS)
    ref = c.value(data, path, "ref", str, check=_slug)
    title = c.value(data, path, "title", str, check=_length(200))
    kbji = c.value(data, path, "kbji", str, check=_kbji)
    before = len(c.problems)
    openings = {
        key: c.value(data, path, key, int, required=False, default=0, check=_range(0, 10_000))
        for key in ("openings_male", "openings_female", "openings_either")
    }
    # Only when every given number was valid is a zero total the problem to report.
    if sum(openings.values()) < 1 and len(c.problems) == before:
        c.problem(path, "has no openings; set openings_male, openings_female or openings_either")
    education = c.value(
        data,
        path,
        "education_min",
        str,
        check=_one_of(level.code for level in EDUCATION_LEVELS),
    )
    age_min = c.value(data, path, "age_min", int, required=False, check=_range(MIN_AGE, MAX_AGE))
    age_max = c.value(data, path, "age_max", int, required=False, check=_range(MIN_AGE, MAX_AGE))
    if age_min and age_max and age_min > age_max:
        c.problem((*path, "age_max"), f"{age_max} is below age_min {age_min}")
    experience = c.value(
        data, path, "experience_years", int, required=False, default=0, check=_range(0, 40)
    )
    salary_min = c.value(
        data, path, "salary_min", int, required=False, check=_range(0, 1_000_000_000)
    )
    salary_max = c.value(
        data, path, "salary_max", int, required=False, check=_range(0, 1_000_000_000)
    )
    if salary_min is not None and salary_max is not None and salary_min > salary_max:
        c.problem((*path, "salary_max"), f"{salary_max} is below salary_min {salary_min}")
    work_regency = c.value(data, path, "work_regency_code", str, check=_regency)
    employment = c.value(
        data, path, "employment_type", str, check=_one_of(t.value for t in EmploymentType)
    )
    deadline = data.get("deadline")
    if "deadline" in data and (not isinstance(deadline, date) or isinstance(deadline, datetime)):
        c.problem((*path, "deadline"), f"must be a date (2026-11-30), not {_describe(deadline)}")
        deadline = None
    status = c.value(
        data,
        path,
        "status",
        str,
        required=False,
        default=VacancyStatus.OPEN,
        check=_one_of(s.value for s in VacancyStatus),
    )
    verification = c.value(
        data,
        path,
        "verification",
        str,
        required=False,
        default=VacancyVerification.VERIFIED,
        check=_one_of(s.value for s in VacancyVerification),
    )
    skills = _skills(c, data, path)
    description = c.value(data, path, "description", str, required=False, check=_length(5000))
    if None in (ref, title, kbji, education, work_regency, employment):
        return None
    assert education in EDUCATION_CODES
    return VacancyDefinition(
        ref=ref,
        title=title,
        kbji=kbji,
        education_min=education,
        work_regency_code=work_regency,
        employment_type=employment,
        age_min=age_min,
        age_max=age_max,
        experience_years=experience,
        skills=skills,
        description=description,
        salary_min=salary_min,
        salary_max=salary_max,
        deadline=deadline,
        status=str(status),
        verification=str(verification),
        **openings,
    )


def _company(c: _Checker, data: Any, path: Path_) -> CompanyDefinition | None:
    if not isinstance(data, dict):
        c.problem(path, f"must be a table, not {_describe(data)}")
        return None
    c.table(data, path, COMPANY_KEYS)
    slug = c.value(data, path, "slug", str, check=lambda v: _slug(v, 80))
    name = c.value(data, path, "name", str, check=_length(200))
    nib = c.value(data, path, "nib", str, check=_digits(13, what="NIB"))
    npwp = c.value(data, path, "npwp", str, required=False, check=_digits(15, 16, what="NPWP"))
    kbli = c.value(data, path, "kbli", str, check=_kbli)
    employer_type = c.value(
        data, path, "employer_type", int, check=_one_of(kind.code for kind in EMPLOYER_TYPES)
    )
    regency_code = c.value(data, path, "regency_code", str, check=_regency)
    website = c.value(data, path, "website", str, required=False, check=_url)
    description = c.value(data, path, "description", str, required=False, check=_length(5000))
    booth = _booth(c, data.get("booth"), (*path, "booth"))
    raw_vacancies = c.value(data, path, "vacancies", list, required=False, default=[])
    vacancies: list[VacancyDefinition] = []
    refs: set[str] = set()
    for index, item in enumerate(raw_vacancies):
        vacancy = _vacancy(c, item, (*path, "vacancies", index))
        if vacancy is None:
            continue
        if vacancy.ref in refs:
            c.problem(
                (*path, "vacancies", index, "ref"),
                f"{vacancy.ref!r} is used twice in this company; refs must be unique",
            )
        refs.add(vacancy.ref)
        vacancies.append(vacancy)
    if None in (slug, name, nib, kbli, employer_type, regency_code):
        return None
    return CompanyDefinition(
        slug=slug,
        name=name,
        nib=nib,
        npwp=npwp,
        kbli=kbli,
        employer_type=employer_type,
        regency_code=regency_code,
        website=website,
        description=description,
        booth=booth,
        vacancies=tuple(vacancies),
    )


def check_fair_table(data: Mapping[str, Any]) -> tuple[FairDefinition | None, dict[str, str]]:
    """Check one ``[fair]`` table by exactly the rules a definition file obeys (the
    organiser console builds the table from its form): the definition, or None and the
    first problem of each key (``"fair"`` for the table as a whole)."""
    c = _Checker("<fair>", {})
    fair = _fair(c, dict(data))
    fields: dict[str, str] = {}
    for at, problem in zip(c.paths, c.problems, strict=True):
        key = at[1] if len(at) > 1 and isinstance(at[1], str) else "fair"
        fields.setdefault(key, problem.message)
    return (None if fields else fair), fields


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
    c = _Checker(file, _key_lines(text))
    c.table(data, (), ("format", "office", "fair", "companies"))
    version = data.get("format")
    if version != FORMAT_VERSION:
        c.problem(
            ("format",),
            f"must be {FORMAT_VERSION} (the format this version reads), not {version!r}",
        )
    office = _office(c, data.get("office"))
    fair = _fair(c, data.get("fair"))
    companies: list[CompanyDefinition] = []
    raw_companies = data.get("companies", [])
    if not isinstance(raw_companies, list):
        c.problem(("companies",), "must be an array of tables ([[companies]])")
        raw_companies = []
    seen_slugs: dict[str, int] = {}
    seen_nibs: dict[str, int] = {}
    for index, item in enumerate(raw_companies):
        company = _company(c, item, ("companies", index))
        if company is None:
            continue
        if company.slug in seen_slugs:
            c.problem(
                ("companies", index, "slug"),
                f"{company.slug!r} is already used by companies[{seen_slugs[company.slug] + 1}]",
            )
        if company.nib in seen_nibs:
            c.problem(
                ("companies", index, "nib"),
                f"{company.nib} is already used by companies[{seen_nibs[company.nib] + 1}]",
            )
        seen_slugs.setdefault(company.slug, index)
        seen_nibs.setdefault(company.nib, index)
        companies.append(company)
    if c.problems:
        raise DefinitionError(c.problems)
    assert office is not None and fair is not None
    return FairFile(office=office, fair=fair, companies=tuple(companies))


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
