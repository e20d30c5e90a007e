"""Screening by companies: the application table, staged decisions, releasing them with
an undo window, the decision deadline and confirmed hires.

A recruiter's status change is *staged*: an :class:`ApplicationEvent` without
``released_at``; the company sees it (``Application.status``), the applicant does not
(``released_status``). "Send decisions" schedules every staged event of the company for
delivery after :data:`UNDO_WINDOW`; until then it can be undone. Delivery sets
``released_at`` and ``released_status``, creates placements for hires, and sends each
applicant **one** message summarising what was released. Everything here is set-based
SQL so a bulk change of thousands of applications is a handful of statements.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Annotated, Any, ClassVar, Literal, Protocol

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, ValidationError
from sqlalchemy import (
    Integer,
    Select,
    String,
    Text,
    and_,
    case,
    delete,
    exists,
    func,
    insert,
    literal,
    or_,
    select,
    true,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession

from jobfair import i18n
from jobfair.db.aggregates import count_if
from jobfair.db.base import UTCDateTime
from jobfair.db.uow import enqueue_after_commit
from jobfair.i18n import N_, gettext
from jobfair.live import signals
from jobfair.models import (
    Applicant,
    Application,
    ApplicationEvent,
    ApplicationNote,
    Booth,
    Company,
    Cv,
    Fair,
    Outbox,
    Placement,
    Recruiter,
    User,
    Vacancy,
)
from jobfair.models.accounts import Role
from jobfair.models.applications import (
    ANSWERS,
    COMPANY_STATUSES,
    DEADLINE_CLOSE,
    IN_PROGRESS,
    OPEN_STATUSES,
    PIPELINE,
    TRANSITIONS,
    ApplicationStatus,
    PlacementConfirmation,
    company_access_ended,
    gives_company_access,
    is_answerable,
    is_answered,
    is_hire_confirmed,
    is_hire_reported,
    is_waiting,
    transition_refusal,
)
from jobfair.models.applications import ORDER as STATUS_ORDER
from jobfair.models.companies import company_reaches
from jobfair.models.fairs import is_local
from jobfair.reference.education import EDUCATION_CODES, EDUCATION_LEVELS
from jobfair.reference.regions import REGENCY_CODE_LENGTH
from jobfair.schemas.base import FieldMessage
from jobfair.services import audit, conversations, notifications
from jobfair.services.catalogue import MAX_KEYWORD
from jobfair.services.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from jobfair.services.filters import FilterSet, WholeNumber, blank_to_none, known_regency, whole
from jobfair.services.formats import REASON_MAX
from jobfair.services.numbers import MAX_ID, whole_number

S = ApplicationStatus
UNDO_WINDOW = timedelta(minutes=3)
PAGE_SIZE = 50
MAX_NOTE = 2000

# ------------------------------------------------------------------ membership


@dataclass(frozen=True)
class Membership:
    company_id: int
    role: str
    user_id: int


async def membership(session: AsyncSession, user: User) -> Membership:
    """The recruiter's company; anyone else is refused."""
    if user.role != Role.RECRUITER:
        raise PermissionDenied(gettext("This is for company accounts."))
    row = (
        await session.execute(
            select(Recruiter.company_id, Recruiter.role).where(Recruiter.user_id == user.id)
        )
    ).first()
    if row is None:
        raise PermissionDenied(gettext("This is for company accounts."))
    return Membership(company_id=row[0], role=row[1], user_id=user.id)


# --------------------------------------------------------------------- filters


# The columns the table sorts by: each ascending as named, descending with a leading
# "-" ("-submitted" is newest first). The keys are the only sorts accepted (SortKey).
SORT_KEYS = ("submitted", "name", "vacancy", "education", "age", "rating", "status")
SORTS = tuple(key for name in SORT_KEYS for key in (name, f"-{name}"))
StatusCode = Literal[tuple(status.value for status in ApplicationStatus)]  # type: ignore[valid-type]
EducationLevel = Literal[tuple(sorted(EDUCATION_CODES))]  # type: ignore[valid-type]
SortKey = Literal[SORTS]  # type: ignore[valid-type]


def _flag(value: Any) -> bool:
    """A ticked box or a JSON true; anything else is off (never an error)."""
    if isinstance(value, bool):
        return value
    return str(value).strip().lower() in ("1", "true", "yes", "on") if value is not None else False


MAX_PAGE = 99_999


def _page(value: Any) -> int:
    """A page number; one that is not a page is the first (never an error)."""
    return whole_number(value, minimum=1, maximum=MAX_PAGE) or 1


def _sort(value: Any) -> Any:
    return blank_to_none(value) or "submitted"


class ScreeningFilters(FilterSet):
    """Filters of the company's application list, from the page's query, the API's
    query or a bulk request's ``filter`` object; every one optional."""

    status: Annotated[StatusCode | None, BeforeValidator(blank_to_none)] = Field(
        default=None, description="company view of the status"
    )
    # The bounds sit on the number, inside the optional, so the document says them as
    # JSON Schema does (minimum/maximum), not as pydantic's ge/le of a nullable field.
    vacancy_id: Annotated[
        Annotated[int, Field(ge=1, le=MAX_ID), BeforeValidator(whole)] | None,
        BeforeValidator(blank_to_none),
    ] = Field(default=None, alias="vacancy", description="one vacancy of the company")
    education: Annotated[EducationLevel | None, BeforeValidator(blank_to_none)] = Field(
        default=None, description="applicant's education"
    )
    regency: Annotated[
        str | None, BeforeValidator(blank_to_none), AfterValidator(known_regency)
    ] = Field(
        default=None,
        max_length=REGENCY_CODE_LENGTH,
        description="applicant's KTP regency, a Kemendagri code such as 12.09",
    )
    locality: Annotated[Literal["local", "nonlocal"] | None, BeforeValidator(blank_to_none)] = (
        Field(default=None, description="KTP regency among the fair's hosts")
    )
    disability: Annotated[Literal["yes", "no"] | None, BeforeValidator(blank_to_none)] = Field(
        default=None, description="applicant declared a disability"
    )
    q: Annotated[str | None, BeforeValidator(blank_to_none)] = Field(
        default=None, max_length=MAX_KEYWORD, description="name, skills or vacancy title"
    )
    pending: Annotated[bool, BeforeValidator(_flag)] = Field(
        default=False, description="only applications with a staged decision"
    )
    sort: Annotated[SortKey, BeforeValidator(_sort)] = Field(
        default="submitted", description="order"
    )
    page: Annotated[int, BeforeValidator(_page)] = Field(
        default=1,
        ge=1,
        le=MAX_PAGE,
        description=f"page of {PAGE_SIZE}; one that is not a page is the first",
    )

    SORTS: ClassVar = SORTS
    messages: ClassVar = {
        "status": FieldMessage(N_("Unknown status.")),
        "vacancy": FieldMessage(N_("Unknown vacancy.")),
        "education": FieldMessage(N_("Choose your highest education from the list.")),
        "regency": FieldMessage(N_("Choose a regency or a city from the list.")),
        "locality": FieldMessage(N_("Unknown choice.")),
        "disability": FieldMessage(N_("Unknown choice.")),
        "q": FieldMessage(N_("At most %(limit)s characters."), {"limit": MAX_KEYWORD}),
        "sort": FieldMessage(N_("Unknown choice.")),
    }

    def as_params(self) -> dict[str, str]:
        values = {
            "status": self.status,
            "vacancy": str(self.vacancy_id or ""),
            "education": self.education,
            "regency": self.regency,
            "locality": self.locality,
            "disability": self.disability,
            "q": self.q,
            "pending": "1" if self.pending else "",
            "sort": "" if self.sort == "submitted" else self.sort,
        }
        return {key: value for key, value in values.items() if value}

    def list_params(self, page: int | None = None) -> dict[str, str]:
        """The table's address query: the filters and sort, and the page unless it is
        the first (``page`` instead of this one's). What links back to the table keep."""
        number = self.page if page is None else page
        return {**self.as_params(), **({"page": str(number)} if number > 1 else {})}


def _conditions(company_id: int, filters: ScreeningFilters) -> list[Any]:
    """The one predicate of the table: its rows, its status counts, its export, the
    bulk change of every matching application and the next/previous links."""
    # The company's applicants in the fairs whose office has not rejected it.
    return [company_reaches(company_id), *_filter_conditions(filters)]


def _filter_conditions(filters: ScreeningFilters) -> list[Any]:
    conditions: list[Any] = []
    if filters.status:
        conditions.append(Application.status == filters.status)
    if filters.vacancy_id:
        conditions.append(Application.vacancy_id == filters.vacancy_id)
    if filters.education:
        conditions.append(Applicant.education_level == filters.education)
    if filters.regency:
        conditions.append(Applicant.ktp_regency_code == filters.regency)
    if filters.locality:
        local = is_local(Applicant.ktp_regency_code, Application.fair_id)
        conditions.append(local if filters.locality == "local" else ~local)
    if filters.disability:
        conditions.append(Applicant.has_disability.is_(filters.disability == "yes"))
    if filters.q:
        pattern = f"%{filters.q.lower()}%"
        conditions.append(
            or_(
                func.lower(User.full_name).like(pattern),
                func.lower(Applicant.skills).like(pattern),
                func.lower(Vacancy.title).like(pattern),
            )
        )
    if filters.pending:
        conditions.append(_pending_exists())
    return conditions


def _pending_exists() -> Any:
    return exists().where(
        ApplicationEvent.application_id == Application.id, ApplicationEvent.released_at.is_(None)
    )


def _matching(company_id: int, filters: ScreeningFilters, *columns: Any) -> Select[Any]:
    return (
        select(*columns)
        .select_from(Application)
        .join(Booth, Booth.id == Application.booth_id)
        .join(Vacancy, Vacancy.id == Application.vacancy_id)
        .join(Applicant, Applicant.id == Application.applicant_id)
        .outerjoin(User, User.id == Applicant.user_id)
        .where(*_conditions(company_id, filters))
    )


@dataclass(frozen=True)
class Row:
    id: int
    status: str
    released_status: str
    pending: bool
    rating: int | None
    submitted_at: datetime
    vacancy_id: int
    vacancy_title: str
    applicant_id: int
    full_name: str
    sex: str
    birth_date: Any
    education_level: str
    ktp_regency_code: str
    domicile_regency_code: str
    has_disability: bool
    is_local: bool
    # The fair's zone: times are shown as its wall time (``local_datetime``).
    fair_timezone: str = "Asia/Jakarta"
    # A current CV the company may open (none once the applicant withdrew).
    has_cv: bool = False
    # After a released hire: the applicant's answer (PlacementConfirmation), else None.
    hire_confirmation: str | None = None


@dataclass
class Page:
    rows: list[Row]
    total: int
    page: int
    pages: int
    filters: ScreeningFilters
    counts: dict[str, int] = field(default_factory=dict)
    # Applicant id → the outcome of their latest booth chat with the company (note,
    # interested or not, vacancy invited to; services.conversations).
    chat_outcomes: dict[int, Any] = field(default_factory=dict)


def _sort_column(name: str) -> Any:
    """The column a sort key orders by, ascending: codes by their rank, not spelling."""
    return {
        "submitted": Application.submitted_at,
        "name": func.lower(func.coalesce(User.full_name, "")),
        "vacancy": func.lower(Vacancy.title),
        "education": case(
            {level.code: level.rank for level in EDUCATION_LEVELS},
            value=Applicant.education_level,
            else_=0,
        ),
        "age": Applicant.birth_date,
        "rating": Application.rating,
        "status": case(
            {status.value: rank for rank, status in enumerate(STATUS_ORDER)},
            value=Application.status,
            else_=len(STATUS_ORDER),
        ),
    }[name]


def order_by(sort: str) -> tuple[Any, ...]:
    """``ORDER BY`` of a sort key (one of :data:`SORTS`): its column, unrated last either
    way, then the id, so equal values keep one order on every page and in the
    next/previous links."""
    name = sort.removeprefix("-")
    descending = sort.startswith("-")
    # Age ascending is the youngest first: the latest birth date.
    column = _sort_column(name)
    column = column.desc() if descending != (name == "age") else column.asc()
    if name == "rating":
        column = column.nulls_last()
    return (column, Application.id.desc() if descending else Application.id.asc())


def _row_columns() -> tuple[Any, ...]:
    local = is_local(Applicant.ktp_regency_code, Application.fair_id)
    return (
        Application.id,
        Application.status,
        Application.released_status,
        _pending_exists().label("pending"),
        Application.rating,
        Application.submitted_at,
        Vacancy.id,
        Vacancy.title,
        Applicant.id,
        func.coalesce(User.full_name, "—"),
        Applicant.sex,
        Applicant.birth_date,
        Applicant.education_level,
        Applicant.ktp_regency_code,
        Applicant.domicile_regency_code,
        Applicant.has_disability,
        local.label("is_local"),
        select(Fair.timezone).where(Fair.id == Application.fair_id).scalar_subquery(),
        and_(
            exists().where(Cv.applicant_id == Applicant.id, Cv.is_current),
            gives_company_access(Application.status),
        ).label("has_cv"),
        select(Placement.confirmation)
        .where(Placement.application_id == Application.id)
        .scalar_subquery(),
    )


async def list_applications(
    session: AsyncSession,
    user: User,
    filters: ScreeningFilters,
    *,
    page_size: int = PAGE_SIZE,
    only_ids: list[int] | None = None,
) -> Page:
    member = await membership(session, user)
    base = _matching(member.company_id, filters, func.count())
    if only_ids is not None:
        base = base.where(Application.id.in_(only_ids))
    total = await session.scalar(base) or 0
    pages = max(1, -(-total // page_size))
    page = min(filters.page, pages)
    query = _matching(member.company_id, filters, *_row_columns())
    if only_ids is not None:
        query = query.where(Application.id.in_(only_ids))
    rows = await session.execute(
        query.order_by(*order_by(filters.sort)).limit(page_size).offset((page - 1) * page_size)
    )
    counts = await status_counts(session, member.company_id, filters)
    items = [Row(*row) for row in rows]
    outcomes = await conversations.outcomes_by_applicant(
        session, member.company_id, sorted({item.applicant_id for item in items})
    )
    return Page(items, total, page, pages, filters, counts, outcomes)


async def status_counts(
    session: AsyncSession, company_id: int, filters: ScreeningFilters
) -> dict[str, int]:
    """Applications per status under every filter but the status itself: what each
    choice of the status filter would list, with the other filters as they are."""
    others = filters.model_copy(update={"status": None})
    rows = await session.execute(
        _matching(company_id, others, Application.status, func.count()).group_by(Application.status)
    )
    return {status: int(count) for status, count in rows}


async def regency_choices(session: AsyncSession, user: User) -> list[str]:
    """The KTP regencies of the company's applicants: the choices of the regency filter
    (a picker of the regencies that occur, not all of Indonesia's 514)."""
    member = await membership(session, user)
    query = _matching(member.company_id, ScreeningFilters(), Applicant.ktp_regency_code)
    return sorted(set(await session.scalars(query.distinct())))


@dataclass(frozen=True)
class Neighbours:
    """Where one application sits in the table's order under its filters."""

    previous_id: int | None
    next_id: int | None
    position: int  # 1-based; 0 when it is not in the list
    total: int
    page: int  # the table page it is on


async def neighbours(
    session: AsyncSession, user: User, application_id: int, filters: ScreeningFilters
) -> Neighbours:
    """The applications before and after ``application_id`` in the table's order (its
    filters and sort). The application itself stays in the order even when it no
    longer matches (staged out of a status filter), so "next" goes on from it."""
    member = await membership(session, user)
    order = order_by(filters.sort)
    # company_reaches (in _matching) always holds; the filters for every row but this.
    others = _filter_conditions(filters)
    ranked = (
        _matching(
            member.company_id,
            ScreeningFilters(),
            Application.id.label("id"),
            func.lag(Application.id).over(order_by=order).label("previous_id"),
            func.lead(Application.id).over(order_by=order).label("next_id"),
            func.row_number().over(order_by=order).label("position"),
            func.count().over().label("total"),
        )
        .where(or_(and_(true(), *others), Application.id == application_id))
        .subquery()
    )
    row = (
        await session.execute(
            select(ranked.c.previous_id, ranked.c.next_id, ranked.c.position, ranked.c.total).where(
                ranked.c.id == application_id
            )
        )
    ).first()
    if row is None:
        return Neighbours(None, None, 0, 0, 1)
    previous_id, next_id, position, total = row
    page = (int(position) - 1) // PAGE_SIZE + 1
    return Neighbours(previous_id, next_id, int(position), int(total), page)


async def export_rows(
    session: AsyncSession, company_id: int, filters: ScreeningFilters, *, offset: int, limit: int
) -> list[Row]:
    rows = await session.execute(
        _matching(company_id, filters, *_row_columns())
        .order_by(*order_by(filters.sort))
        .limit(limit)
        .offset(offset)
    )
    return [Row(*row) for row in rows]


async def matching_timezones(
    session: AsyncSession, company_id: int, filters: ScreeningFilters
) -> list[str]:
    """The time zones of the fairs the matching applications were sent to."""
    query = _matching(company_id, filters, Fair.timezone).join(Fair, Fair.id == Booth.fair_id)
    return list(await session.scalars(query.distinct()))


async def count_matching(session: AsyncSession, company_id: int, filters: ScreeningFilters) -> int:
    return await session.scalar(_matching(company_id, filters, func.count())) or 0


# ------------------------------------------------------------------ one application


async def company_application(
    session: AsyncSession, user: User, application_id: int
) -> Application:
    """An application to the recruiter's company, in a fair whose office has not
    rejected the company; 404 for every other one."""
    member = await membership(session, user)
    application = await session.scalar(
        select(Application)
        .join(Booth, Booth.id == Application.booth_id)
        .where(Application.id == application_id, company_reaches(member.company_id))
    )
    if application is None:
        raise NotFound(gettext("We could not find that application."))
    return application


@dataclass
class Detail:
    """What a recruiter sees of one application besides its table row."""

    email: str | None
    phone: str | None
    skills: str
    institution: str | None
    education_major: str | None
    has_cv: bool
    notes: list[tuple[str, str, datetime]]  # author, body, when
    events: list[ApplicationEvent]
    disability_kinds: list[str]
    # The applicant withdrew: contacts and CV are no longer shown (the page says why).
    access_ended: bool = False
    # A released hire and the applicant's answer to it (confirmed, denied or pending).
    placement: Placement | None = None
    # The applicant's latest booth chat with the company, if it has an outcome.
    chat_outcome: Any = None


async def application_detail(session: AsyncSession, user: User, application_id: int) -> Detail:
    application = await company_application(session, user, application_id)
    applicant = await session.get(Applicant, application.applicant_id)
    assert applicant is not None
    person = await session.get(User, applicant.user_id) if applicant.user_id else None
    has_cv = bool(
        await session.scalar(
            select(func.count())
            .select_from(Cv)
            .where(Cv.applicant_id == applicant.id, Cv.is_current)
        )
    )
    notes = [
        (name or "—", body, at)
        for name, body, at in await session.execute(
            select(User.full_name, ApplicationNote.body, ApplicationNote.created_at)
            .select_from(ApplicationNote)
            .outerjoin(User, User.id == ApplicationNote.author_user_id)
            .where(ApplicationNote.application_id == application.id)
            .order_by(ApplicationNote.created_at.desc())
        )
    ]
    events = list(
        await session.scalars(
            select(ApplicationEvent)
            .where(ApplicationEvent.application_id == application.id)
            .order_by(ApplicationEvent.id)
        )
    )
    ended = company_access_ended(application.status)
    return Detail(
        email=person.email if person and not ended else None,
        phone=person.phone if person and not ended else None,
        skills=applicant.skills,
        institution=applicant.institution,
        education_major=applicant.education_major,
        has_cv=has_cv and not ended,
        access_ended=ended,
        notes=notes,
        events=events,
        disability_kinds=[k for k in applicant.disability_kinds.split(",") if k],
        placement=await session.scalar(
            select(Placement).where(Placement.application_id == application.id)
        ),
        chat_outcome=(
            await conversations.outcomes_by_applicant(
                session, (await membership(session, user)).company_id, [applicant.id]
            )
        ).get(applicant.id),
    )


async def add_note(
    session: AsyncSession, user: User, application_id: int, body: str, now: datetime
) -> ApplicationNote:
    application = await company_application(session, user, application_id)
    body = (body or "").strip()
    if not body or len(body) > MAX_NOTE:
        message = gettext("A note has 1 to %(limit)s characters.", limit=MAX_NOTE)
        raise ValidationFailed(message, fields={"note": message})
    note = ApplicationNote(
        application_id=application.id, author_user_id=user.id, body=body, created_at=now
    )
    session.add(note)
    await session.flush()
    return note


async def set_rating(
    session: AsyncSession, user: User, application_id: int, rating: int | None
) -> None:
    application = await company_application(session, user, application_id)
    if rating is not None and not 1 <= rating <= 5:
        message = gettext("A rating is 1 to 5 stars.")
        raise ValidationFailed(message, fields={"rating": message})
    application.rating = rating


# ----------------------------------------------------------------------- staging


CompanyStatusCode = Literal[tuple(status.value for status in PIPELINE)]  # type: ignore[valid-type]
ApplicationId = Annotated[WholeNumber, Field(ge=1, le=MAX_ID)]
# The note sent with a decision, as the staging form and the API's stage bodies take it.
# Text only: a JSON number is no note (blank_to_none would turn 7 into "7").
StageNote = Annotated[
    Annotated[str, Field(max_length=MAX_NOTE)] | None,
    BeforeValidator(lambda value: (value.strip() or None) if isinstance(value, str) else value),
]


class FormFields(Protocol):
    """A submitted form: one value per name, or all of a repeated name."""

    def get(self, key: str, default: Any = None) -> Any: ...

    def getlist(self, key: str) -> list[Any]: ...

    def items(self) -> Any: ...


class StageForm(BaseModel):
    """The staging form of the applications table: the new status and a note for the
    ticked rows (``ids``), or for every application matching the table's filters
    (``all_matching=1`` with the filters as ``f_*`` fields). ``confirmed`` is the
    second step of a hire or of a change of every matching application."""

    model_config = ConfigDict(frozen=True)

    status: Annotated[CompanyStatusCode, BeforeValidator(blank_to_none)]
    note: StageNote = None
    ids: list[ApplicationId] | None = Field(default=None, min_length=1)
    filters: ScreeningFilters | None = None
    confirmed: bool = False

    messages: ClassVar = {
        "status": FieldMessage(N_("Choose the new status.")),
        "note": FieldMessage(N_("A note has 1 to %(limit)s characters."), {"limit": MAX_NOTE}),
        "ids": FieldMessage(N_("Select at least one application.")),
    }

    @classmethod
    def parse(cls, form: FormFields) -> StageForm:
        """The form as typed values, or :class:`ValidationFailed` whose message is the
        first field's (the table shows one line)."""
        data: dict[str, Any] = {
            "status": form.get("status"),
            "note": form.get("note"),
            "confirmed": form.get("confirmed") == "1",
        }
        if form.get("all_matching") == "1":
            data["filters"] = ScreeningFilters.parse(
                {key[2:]: value for key, value in form.items() if key.startswith("f_")}
            )
        else:
            data["ids"] = form.getlist("ids")
        try:
            return cls.model_validate(data)
        except ValidationError as error:
            fields: dict[str, str] = {}
            for problem in error.errors():
                name = str(problem["loc"][0]) if problem["loc"] else "status"
                message = cls.messages.get(name, cls.messages["status"])
                fields.setdefault(name, message.translated())
            raise ValidationFailed(next(iter(fields.values())), fields=fields) from None

    @property
    def all_matching(self) -> bool:
        return self.filters is not None

    @property
    def asks_confirmation(self) -> bool:
        """A hire, or a change of every matching application, is confirmed first."""
        return (self.status == S.HIRED or self.all_matching) and not self.confirmed


@dataclass(frozen=True)
class StageResult:
    changed: int
    refused: dict[int, str]


async def stage(
    session: AsyncSession,
    user: User,
    to_status: str,
    now: datetime,
    *,
    application_ids: list[int] | None = None,
    filters: ScreeningFilters | None = None,
    note: str | None = None,
) -> StageResult:
    """Stage ``to_status`` for the given applications (or all matching ``filters``).

    Validity is judged against what the applicant was told (``released_status``): a
    staged decision may be replaced by another before it is sent, never a sent one
    reversed. The replaced staged event is deleted, so the applicant gets one message.
    """
    member = await membership(session, user)
    if to_status not in COMPANY_STATUSES:
        message = gettext("%(status)s is not a status a company can set.", status=to_status)
        raise ValidationFailed(message, fields={"status": message})
    # ``note`` arrives parsed (StageForm, StageRequest: StageNote holds its limit).
    if application_ids is not None:
        targets = (
            select(Application.id, Application.released_status)
            .join(Booth, Booth.id == Application.booth_id)
            .where(company_reaches(member.company_id), Application.id.in_(application_ids))
        )
        found = dict((await session.execute(targets)).all())
        missing = set(application_ids) - set(found)
        if missing and len(application_ids) == 1:
            raise NotFound(gettext("We could not find that application."))
    else:
        found = dict(
            (
                await session.execute(
                    _matching(
                        member.company_id,
                        filters or ScreeningFilters(),
                        Application.id,
                        Application.released_status,
                    )
                )
            ).all()
        )
        missing = set()
    allowed_from = [status for status, targets in TRANSITIONS.items() if to_status in targets]
    ok = [app_id for app_id, released in found.items() if released in allowed_from]
    # Choosing what the applicant was already told takes a staged draft back.
    back_to_released = [app_id for app_id, released in found.items() if released == to_status]
    refused = {
        app_id: transition_refusal(released, to_status) or ""
        for app_id, released in found.items()
        if released not in allowed_from and released != to_status
    }
    for app_id in missing:
        refused[app_id] = gettext("We could not find that application.")
    discarded = await _discard_drafts(session, back_to_released) if back_to_released else []
    refused.update(
        {
            app_id: transition_refusal(to_status, to_status) or ""
            for app_id in set(back_to_released) - set(discarded)
        }
    )
    if application_ids is not None and len(application_ids) == 1 and refused:
        raise Conflict(
            next(iter(refused.values())), fields={"status": next(iter(refused.values()))}
        )
    await _record_status(session, ok, to_status, now, actor_user_id=user.id, note=note)
    if ok:
        audit.record(
            session,
            "application.status_staged",
            object_type="company",
            object_id=member.company_id,
            actor_user_id=user.id,
            data={"status": to_status, "count": len(ok)},
        )
    if discarded:
        _audit_discard(session, member, len(discarded))
    return StageResult(len(ok) + len(discarded), refused)


async def discard(
    session: AsyncSession, user: User, *, application_ids: list[int] | None = None
) -> int:
    """Throw away staged, unsent decisions: of the given applications, or every one of
    the company. Each application is back at what its applicant was told. Decisions
    already sent and in their undo window are taken back with :func:`undo_release`."""
    member = await membership(session, user)
    query = (
        select(Application.id)
        .join(Booth, Booth.id == Application.booth_id)
        .where(company_reaches(member.company_id), _draft_exists())
    )
    if application_ids is not None:
        query = query.where(Application.id.in_(application_ids))
    drafts = list(await session.scalars(query))
    for start in range(0, len(drafts), 500):
        await _drop_drafts(session, drafts[start : start + 500])
    if drafts:
        _audit_discard(session, member, len(drafts))
    return len(drafts)


def _draft_exists() -> Any:
    """A staged decision not yet sent (not in the undo window either)."""
    return exists().where(
        ApplicationEvent.application_id == Application.id,
        ApplicationEvent.released_at.is_(None),
        ApplicationEvent.scheduled_release_at.is_(None),
    )


async def _discard_drafts(session: AsyncSession, application_ids: list[int]) -> list[int]:
    """Drop the drafts of those of these applications that have one; returns their ids."""
    done: list[int] = []
    for start in range(0, len(application_ids), 500):
        chunk = application_ids[start : start + 500]
        drafts = list(
            await session.scalars(
                select(Application.id).where(Application.id.in_(chunk), _draft_exists())
            )
        )
        if drafts:
            await _drop_drafts(session, drafts)
            done.extend(drafts)
    return done


async def _drop_drafts(session: AsyncSession, drafts: list[int]) -> None:
    """Delete the unsent drafts of applications known to have one (at most 500): each
    is back at what its applicant was told."""
    await session.execute(
        delete(ApplicationEvent).where(
            ApplicationEvent.application_id.in_(drafts),
            ApplicationEvent.released_at.is_(None),
            ApplicationEvent.scheduled_release_at.is_(None),
        )
    )
    await session.execute(
        update(Application)
        .where(Application.id.in_(drafts))
        .values(status=Application.released_status)
        .execution_options(synchronize_session=False)
    )
    for fair_id in await session.scalars(
        select(Application.fair_id).where(Application.id.in_(drafts)).distinct()
    ):
        signals.fair_changed(session, fair_id)


def _audit_discard(session: AsyncSession, member: Membership, count: int) -> None:
    audit.record(
        session,
        "application.draft_discarded",
        object_type="company",
        object_id=member.company_id,
        actor_user_id=member.user_id,
        data={"count": count},
    )


async def _record_status(
    session: AsyncSession,
    application_ids: list[int],
    to_status: str,
    now: datetime,
    *,
    actor_user_id: int | None = None,
    note: str | None = None,
    released: bool = False,
) -> None:
    """Move applications to ``to_status`` in set-based SQL: drop any staged (unsent)
    decision, record the new event, update the status. ``released`` also shows it to
    the applicant at once (the deadline task); otherwise it is staged."""
    for start in range(0, len(application_ids), 500):
        chunk = application_ids[start : start + 500]
        await session.execute(
            delete(ApplicationEvent).where(
                ApplicationEvent.application_id.in_(chunk), ApplicationEvent.released_at.is_(None)
            )
        )
        await session.execute(
            insert(ApplicationEvent).from_select(
                [
                    "application_id",
                    "actor_user_id",
                    "from_status",
                    "to_status",
                    "note",
                    "created_at",
                    "released_at",
                ],
                select(
                    Application.id,
                    literal(actor_user_id, Integer),
                    Application.released_status,
                    literal(to_status, String),
                    literal(note, Text),
                    literal(now, UTCDateTime()),
                    literal(now if released else None, UTCDateTime()),
                ).where(Application.id.in_(chunk)),
            )
        )
        values: dict[str, Any] = {"status": to_status, "updated_at": now}
        if released:
            values["released_status"] = to_status
        await session.execute(
            update(Application)
            .where(Application.id.in_(chunk))
            .values(**values)
            .execution_options(synchronize_session=False)
        )
        # Unreviewed (and, when released, answered) counts of these fairs moved.
        for fair_id in await session.scalars(
            select(Application.fair_id).where(Application.id.in_(chunk)).distinct()
        ):
            signals.fair_changed(session, fair_id)


async def pending_count(session: AsyncSession, company_id: int) -> tuple[int, int]:
    """(staged and not sent, sent and still undoable)."""
    rows = await session.execute(
        select(ApplicationEvent.scheduled_release_at.is_(None), func.count())
        .join(Application, Application.id == ApplicationEvent.application_id)
        .join(Booth, Booth.id == Application.booth_id)
        .where(Booth.company_id == company_id, ApplicationEvent.released_at.is_(None))
        .group_by(ApplicationEvent.scheduled_release_at.is_(None))
    )
    counts = {bool(unscheduled): n for unscheduled, n in rows}
    return counts.get(True, 0), counts.get(False, 0)


def _company_events(company_id: int) -> Any:
    return (
        select(ApplicationEvent.id)
        .join(Application, Application.id == ApplicationEvent.application_id)
        .join(Booth, Booth.id == Application.booth_id)
        .where(Booth.company_id == company_id)
    )


async def release(session: AsyncSession, user: User, now: datetime) -> datetime | None:
    """Send the company's staged decisions: delivered after the undo window. Returns the
    delivery time, or None when nothing was staged."""
    member = await membership(session, user)
    due = now + UNDO_WINDOW
    result = await session.execute(
        update(ApplicationEvent)
        .where(
            ApplicationEvent.id.in_(_company_events(member.company_id)),
            ApplicationEvent.released_at.is_(None),
            ApplicationEvent.scheduled_release_at.is_(None),
        )
        .values(scheduled_release_at=due)
        .execution_options(synchronize_session=False)
    )
    count = int(result.rowcount or 0)  # type: ignore[attr-defined]
    if not count:
        return None
    audit.record(
        session,
        "decisions.released",
        object_type="company",
        object_id=member.company_id,
        actor_user_id=user.id,
        data={"count": count},
    )
    enqueue_after_commit(
        session,
        "deliver_decisions",
        defer_by=UNDO_WINDOW.total_seconds() + 1,
        company_id=member.company_id,
    )
    return due


async def undo_release(session: AsyncSession, user: User, now: datetime) -> int:
    """Take back sent decisions whose undo window is still open; they are staged again."""
    member = await membership(session, user)
    result = await session.execute(
        update(ApplicationEvent)
        .where(
            ApplicationEvent.id.in_(_company_events(member.company_id)),
            ApplicationEvent.released_at.is_(None),
            ApplicationEvent.scheduled_release_at > now,
        )
        .values(scheduled_release_at=None)
        .execution_options(synchronize_session=False)
    )
    count = int(result.rowcount or 0)  # type: ignore[attr-defined]
    if count:
        audit.record(
            session,
            "decisions.undone",
            object_type="company",
            object_id=member.company_id,
            actor_user_id=user.id,
            data={"count": count},
        )
    return count


# ---------------------------------------------------------------------- delivery


async def deliver_due(
    session: AsyncSession,
    now: datetime,
    *,
    company_id: int | None = None,
    base_url: str = "",
    applications_path: str = "",
) -> int:
    """Deliver every scheduled decision that is due; one message per applicant. Safe to
    run twice: delivered events are no longer due."""
    query = (
        select(ApplicationEvent, Application)
        .join(Application, Application.id == ApplicationEvent.application_id)
        .where(ApplicationEvent.released_at.is_(None), ApplicationEvent.scheduled_release_at <= now)
        .order_by(ApplicationEvent.application_id, ApplicationEvent.id)
    )
    if company_id is not None:
        query = query.join(Booth, Booth.id == Application.booth_id).where(
            Booth.company_id == company_id
        )
    rows = (await session.execute(query.with_for_update(of=ApplicationEvent))).all()
    if not rows:
        return 0
    per_applicant: dict[int, list[tuple[ApplicationEvent, Application]]] = defaultdict(list)
    for event, application in rows:
        event.released_at = now
        application.released_status = event.to_status
        if application.first_decision_at is None and event.to_status in ANSWERS:
            application.first_decision_at = now
        if event.to_status == S.HIRED:
            session.add(
                Placement(
                    application_id=application.id,
                    fair_id=application.fair_id,
                    reported_by_user_id=event.actor_user_id,
                    reported_at=now,
                )
            )
        per_applicant[application.applicant_id].append((event, application))
    await session.flush()
    for fair_id in {application.fair_id for _event, application in rows}:
        signals.fair_changed(session, fair_id)
    await _tell_applicants(
        session, per_applicant, now, base_url=base_url, applications_path=applications_path
    )
    return len(rows)


async def _tell_applicants(
    session: AsyncSession,
    per_applicant: dict[int, list[tuple[ApplicationEvent, Application]]],
    now: datetime,
    *,
    base_url: str,
    applications_path: str,
    intro: str = "answered",
) -> None:
    """One in-app notification and one e-mail per applicant. The notification stores
    the decisions and is worded when read (services.notifications); the e-mail is
    written now, in the applicant's language."""
    application_ids = [app.id for items in per_applicant.values() for _e, app in items]
    names = {
        app_id: (title, company)
        for app_id, title, company in await session.execute(
            select(Application.id, Vacancy.title, Company.name)
            .join(Vacancy, Vacancy.id == Application.vacancy_id)
            .join(Booth, Booth.id == Application.booth_id)
            .join(Company, Company.id == Booth.company_id)
            .where(Application.id.in_(application_ids))
        )
    }
    users = dict(
        (
            await session.execute(
                select(Applicant.id, User)
                .join(User, User.id == Applicant.user_id)
                .where(Applicant.id.in_(list(per_applicant)))
            )
        ).all()
    )
    rows: list[dict[str, Any]] = []
    mails: list[dict[str, Any]] = []
    for applicant_id, items in per_applicant.items():
        user = users.get(applicant_id)
        if user is None:  # an anonymised applicant: nobody to tell
            continue
        decisions = [
            notifications.DecisionItem(
                application_id=app.id,
                vacancy=names.get(app.id, ("", ""))[0],
                company=names.get(app.id, ("", ""))[1],
                status=event.to_status,
                message=bool(event.note),
            )
            for event, app in items
        ]
        rows.append(
            notifications.decisions_row(user.id, intro, decisions, applications_path or None, now)
        )
        if not user.email:
            continue
        with i18n.using(user.locale):
            lines = [
                f"• {decision.title}: {notifications.status_words(decision.status)}"
                # The recruiter's message with the decision travels with it.
                + (
                    "\n  " + gettext("Message from the company") + ": " + event.note
                    if event.note
                    else ""
                )
                for decision, (event, _app) in zip(decisions, items, strict=True)
            ]
            subject = gettext("News about your applications")
            body = "\n".join(
                [
                    gettext(notifications.INTROS[intro]),
                    "",
                    *lines,
                    "",
                    gettext(
                        "See the details in your account: %(link)s",
                        link=base_url.rstrip("/") + applications_path,
                    ),
                ]
            )
        first_event = min(event.id for event, _app in items)
        mails.append(
            {
                "dedupe_key": f"decisions:{applicant_id}:{first_event}",
                "user_id": user.id,
                "to_address": user.email,
                "subject": subject,
                "template": "text",
                "payload": {"body": body},
                "created_at": now,
                "attempts": 0,
            }
        )
    # Written in bulk: thousands of decisions released at once stay a few statements.
    await notifications.write(session, rows)
    if mails:
        already = set(
            await session.scalars(
                select(Outbox.dedupe_key).where(
                    Outbox.dedupe_key.in_([mail["dedupe_key"] for mail in mails])
                )
            )
        )
        fresh = [mail for mail in mails if mail["dedupe_key"] not in already]
        if fresh:
            await session.execute(insert(Outbox), fresh)
            enqueue_after_commit(session, "deliver_mail")


# ------------------------------------------------------------------ deadline


async def close_unanswered(
    session: AsyncSession,
    fair_id: int,
    now: datetime,
    *,
    base_url: str = "",
    applications_path: str = "",
) -> int:
    """At the decision deadline every open application is closed, by what the applicant
    was told: never answered (sent or seen only) becomes ``unanswered``; answered but not
    decided (shortlist, interview, offer) becomes ``undecided``. Staged but unsent
    decisions never reached the applicant, so they do not count. Each applicant gets one
    message. Returns how many were closed; a second run finds none."""
    fair = await session.get(Fair, fair_id)
    if fair is None or fair.decision_deadline > now:
        return 0
    rows = (
        await session.execute(
            select(Application.id, Application.released_status).where(
                Application.fair_id == fair_id, Application.released_status.in_(OPEN_STATUSES)
            )
        )
    ).all()
    if not rows:
        return 0
    closed: dict[str, list[int]] = defaultdict(list)
    for app_id, released in rows:
        closed[DEADLINE_CLOSE[released in IN_PROGRESS]].append(app_id)
    for status, ids in closed.items():
        await _record_status(session, ids, status, now, released=True)
    all_ids = [app_id for app_id, _released in rows]
    events = (
        await session.execute(
            select(ApplicationEvent, Application)
            .join(Application, Application.id == ApplicationEvent.application_id)
            .where(
                Application.id.in_(all_ids),
                ApplicationEvent.to_status.in_(list(closed)),
                ApplicationEvent.released_at == now,
            )
            .order_by(ApplicationEvent.application_id)
        )
    ).all()
    per_applicant: dict[int, list[tuple[ApplicationEvent, Application]]] = defaultdict(list)
    for event, application in events:
        per_applicant[application.applicant_id].append((event, application))
    await _tell_applicants(
        session,
        per_applicant,
        now,
        base_url=base_url,
        applications_path=applications_path,
        intro="deadline",
    )
    audit.record(
        session,
        "fair.deadline_closed",
        object_type="fair",
        object_id=fair_id,
        fair_id=fair_id,
        data={
            "unanswered": len(closed.get(S.UNANSWERED, [])),
            "undecided": len(closed.get(S.UNDECIDED, [])),
        },
    )
    return len(all_ids)


async def fairs_past_deadline(session: AsyncSession, now: datetime) -> list[int]:
    """Fairs whose deadline has passed with applications still waiting (for the sweep)."""
    return list(
        await session.scalars(
            select(Fair.id).where(
                Fair.decision_deadline <= now,
                exists().where(
                    and_(
                        Application.fair_id == Fair.id,
                        Application.released_status.in_(OPEN_STATUSES),
                    )
                ),
            )
        )
    )


@dataclass(frozen=True)
class Responsiveness:
    """A company's record, each figure as defined in ``models.applications``."""

    applications: int  # every application received, withdrawn ones included
    answerable: int  # all but those withdrawn before any answer
    answered: int  # a first decision by the fair's decision deadline
    waiting: int  # open, with no answer yet
    unanswered: int  # closed at the deadline without any answer
    undecided: int  # closed at the deadline with no final decision
    hires_reported: int  # hires released to the applicant
    hires_confirmed: int  # reported hires the applicant confirmed

    @property
    def share_answered(self) -> float | None:
        return self.answered / self.answerable if self.answerable else None


async def responsiveness(session: AsyncSession, company_id: int) -> Responsiveness:
    row = (
        await session.execute(
            select(
                func.count(),
                count_if(is_answerable(Application.released_status, Application.first_decision_at)),
                count_if(is_answered(Application.first_decision_at, Fair.decision_deadline)),
                count_if(is_waiting(Application.released_status)),
                count_if(Application.released_status == S.UNANSWERED),
                count_if(Application.released_status == S.UNDECIDED),
                count_if(is_hire_reported(Application.id)),
                count_if(is_hire_confirmed(Application.id)),
            )
            .join(Booth, Booth.id == Application.booth_id)
            .join(Fair, Fair.id == Application.fair_id)
            .where(Booth.company_id == company_id)
        )
    ).one()
    return Responsiveness(*(int(value) for value in row))


# ------------------------------------------------------------------ placements


class Answerable(Protocol):
    """A reported hire the applicant answers: a fair's ``Placement`` or a drive's
    ``DirectPlacement``."""

    confirmation: str
    confirmed_at: datetime | None
    denial_reason: str | None


def answer_placement(
    placement: Answerable, confirm: bool, now: datetime, reason: str | None = None
) -> None:
    """The one rule of an applicant's answer to a reported hire, wherever it was made:
    answered once, from pending; a denial may say why (at most ``REASON_MAX``)."""
    if placement.confirmation != PlacementConfirmation.PENDING:
        raise Conflict(gettext("You have already answered this."))
    if reason is not None and len(reason) > REASON_MAX:
        message = gettext("At most %(limit)s characters.", limit=REASON_MAX)
        raise ValidationFailed(message, fields={"reason": message})
    placement.confirmation = (
        PlacementConfirmation.CONFIRMED if confirm else PlacementConfirmation.DENIED
    )
    placement.confirmed_at = now
    placement.denial_reason = None if confirm else (reason or None)


async def decide_placement(
    session: AsyncSession,
    user: User,
    application_id: int,
    confirm: bool,
    now: datetime,
    reason: str | None = None,
) -> Placement:
    """The applicant confirms or denies a hire the company reported."""
    placement = await session.scalar(
        select(Placement)
        .join(Application, Application.id == Placement.application_id)
        .join(Applicant, Applicant.id == Application.applicant_id)
        .where(Placement.application_id == application_id, Applicant.user_id == user.id)
    )
    if placement is None:
        raise NotFound(gettext("We could not find that application."))
    answer_placement(placement, confirm, now, reason)
    audit.record(
        session,
        "placement.confirmed" if confirm else "placement.denied",
        object_type="placement",
        object_id=placement.id,
        actor_user_id=user.id,
        fair_id=placement.fair_id,
    )
    signals.fair_changed(session, placement.fair_id)
    return placement
