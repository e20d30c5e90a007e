"""``jobfair demo``: a local database with the demo fair open today and a deterministic,
fictional population, so every page looks alive.

The demo fair (``events/demo.toml``) is moved so that it opened three days ago (08:00
in its timezone) and keeps its length. 356 applicants with valid NIKs of both sexes and
all age groups, local and not, send 2,278 applications spread over the days so far —
the scale of the Asahan reference. Some are screened, a few hired. Running the command
again re-places the window and leaves the population as it is.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from types import SimpleNamespace
from typing import TypeVar
from zoneinfo import ZoneInfo

from sqlalchemy import func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from jobfair.context import AppContext
from jobfair.db.migrate import upgrade
from jobfair.definitions.loader import load_fair_file
from jobfair.definitions.schema import parse_fair_file
from jobfair.models import (
    Applicant,
    Application,
    ApplicationEvent,
    Booth,
    Company,
    Fair,
    LabourOffice,
    Placement,
    User,
    Vacancy,
)
from jobfair.models.accounts import Role
from jobfair.models.applications import ApplicationStatus, PlacementConfirmation
from jobfair.reference.regions import districts
from jobfair.services import accounts, requirements
from jobfair.services.identity import NikVault
from jobfair.settings import Settings

DEMO_PASSWORD = "bursakerja"  # noqa: S105 - the public demo login, printed on start
DEMO_FILE = "demo.toml"
APPLICANTS = 356
APPLICATIONS = 2278
SEED = 2022
DEMO_LOGIN_APPLICATIONS = 3

DEMO_USERS = {
    "applicant": "pelamar@bursakerja.test",
    "recruiter": "rekruter@bursakerja.test",
    "organiser": "penyelenggara@bursakerja.test",
    "admin": "admin@bursakerja.test",
}

MALE_NAMES = (
    "Ahmad",
    "Budi",
    "Rizky",
    "Fajar",
    "Hendra",
    "Dedi",
    "Agus",
    "Rudi",
    "Yusuf",
    "Andi",
    "Bayu",
    "Dimas",
    "Eko",
    "Ferdi",
    "Gilang",
    "Hafiz",
    "Irfan",
    "Joko",
    "Kevin",
    "Lukman",
)
FEMALE_NAMES = (
    "Siti",
    "Dewi",
    "Rina",
    "Putri",
    "Nur",
    "Ayu",
    "Fitri",
    "Indah",
    "Lestari",
    "Maya",
    "Nanda",
    "Ratna",
    "Sari",
    "Tika",
    "Wulan",
    "Yuni",
    "Citra",
    "Dinda",
    "Elisa",
    "Hana",
)
FAMILY_NAMES = (
    "Siregar",
    "Nasution",
    "Lubis",
    "Harahap",
    "Simanjuntak",
    "Sitorus",
    "Pane",
    "Damanik",
    "Hasibuan",
    "Panjaitan",
    "Situmorang",
    "Tanjung",
    "Ginting",
    "Purba",
    "Saragih",
    "Manurung",
    "Pratama",
    "Saputra",
    "Wijaya",
    "Rahmawati",
)
# (regency code, weight): most applicants hold an Asahan KTP; the rest come from the
# neighbours, Medan, and a few from other provinces.
KTP_REGENCIES = (
    ("12.09", 72),
    ("12.74", 8),
    ("12.19", 7),
    ("12.08", 4),
    ("12.71", 5),
    ("14.71", 2),
    ("32.16", 2),
)
EDUCATION_WEIGHTS = (
    ("TTSD", 1),
    ("SD", 5),
    ("SMP", 10),
    ("SMA", 29),
    ("SMK", 30),
    ("D1", 1),
    ("D3", 8),
    ("D4", 1),
    ("S1", 14),
    ("S2", 1),
)
# Age groups of IPK III/1 with their weights.
AGE_WEIGHTS = (((17, 19), 12), ((20, 29), 55), ((30, 44), 25), ((45, 54), 6), ((55, 60), 2))
DISABILITY_KINDS = ("physical", "sensory_hearing", "sensory_sight", "intellectual")
SCREENING = (
    (ApplicationStatus.SUBMITTED, 34),
    (ApplicationStatus.REVIEWED, 28),
    (ApplicationStatus.SHORTLISTED, 12),
    (ApplicationStatus.INTERVIEW, 7),
    (ApplicationStatus.OFFERED, 2),
    (ApplicationStatus.REJECTED, 15),
    (ApplicationStatus.WITHDRAWN, 2),
)
PATH = {
    ApplicationStatus.REVIEWED: [ApplicationStatus.REVIEWED],
    ApplicationStatus.SHORTLISTED: [ApplicationStatus.REVIEWED, ApplicationStatus.SHORTLISTED],
    ApplicationStatus.INTERVIEW: [
        ApplicationStatus.REVIEWED,
        ApplicationStatus.SHORTLISTED,
        ApplicationStatus.INTERVIEW,
    ],
    ApplicationStatus.OFFERED: [
        ApplicationStatus.REVIEWED,
        ApplicationStatus.SHORTLISTED,
        ApplicationStatus.INTERVIEW,
        ApplicationStatus.OFFERED,
    ],
    ApplicationStatus.HIRED: [
        ApplicationStatus.REVIEWED,
        ApplicationStatus.SHORTLISTED,
        ApplicationStatus.INTERVIEW,
        ApplicationStatus.OFFERED,
        ApplicationStatus.HIRED,
    ],
    ApplicationStatus.REJECTED: [ApplicationStatus.REVIEWED, ApplicationStatus.REJECTED],
}
HIRES = 14
T = TypeVar("T")
V = TypeVar("V", bound=requirements.Requirements)


@dataclass
class DemoLogins:
    fair_slug: str
    password: str = DEMO_PASSWORD
    users: dict[str, str] = field(default_factory=lambda: dict(DEMO_USERS))


def demo_window_shift(opens_at: datetime, timezone: str, now: datetime) -> timedelta:
    """How far to move the file's window so the fair opened three days ago at 08:00."""
    zone = ZoneInfo(timezone)
    local_today = now.astimezone(zone).date()
    target = datetime.combine(local_today - timedelta(days=3), time(8, 0), tzinfo=zone)
    return target.astimezone(UTC) - opens_at


def _weighted(rng: random.Random, pairs: tuple[tuple[T, int], ...]) -> T:
    return rng.choices([value for value, _ in pairs], weights=[w for _, w in pairs])[0]


def _birth_date(rng: random.Random, today: date) -> date:
    low, high = _weighted(rng, AGE_WEIGHTS)
    age = rng.randint(low, high)
    return today - timedelta(days=age * 365 + rng.randint(30, 330))


def make_nik(rng: random.Random, regency_code: str, birth_date: date, sex: str, serial: int) -> str:
    """A structurally valid NIK: district of the regency, birth date (+40 for women)."""
    district = rng.choice(districts(regency_code)).code
    day = birth_date.day + (40 if sex == "P" else 0)
    return (
        district.replace(".", "")
        + f"{day:02d}{birth_date.month:02d}{birth_date.year % 100:02d}"
        + f"{serial:04d}"
    )


def _age(birth: date, on: date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


async def _ensure_staff(session: AsyncSession, fair: Fair, password_hash: str) -> None:
    company_slug = await session.scalar(
        select(Company.slug)
        .join(Booth, Booth.company_id == Company.id)
        .where(Booth.fair_id == fair.id)
        .order_by(Booth.id)
        .limit(1)
    )
    staff = (
        (Role.RECRUITER, DEMO_USERS["recruiter"], "Rekruter Demo", company_slug, None),
        (Role.ORGANISER, DEMO_USERS["organiser"], "Penyelenggara Demo", None, fair.office.slug),
        (Role.ADMIN, DEMO_USERS["admin"], "Admin Demo", None, fair.office.slug),
    )
    for role, email, name, company, office in staff:
        if not await accounts.email_taken(session, email):
            await accounts.create_user(
                session,
                role=role,
                email=email,
                password=accounts.NewPassword.hashed(password_hash),
                full_name=name,
                company_slug=company,
                office_slug=office,
            )


# The demo office's letterhead and signing officer, so the report PDF shows both; made
# up (the NIP passes reference.nip: born 12 May 1980, appointed January 2005, male).
DEMO_LETTERHEAD = {
    "address": "Jl. Contoh No. 1, Kisaran 21200\nTelepon (0623) 000000",
    "signing_place": "Kisaran",
    "signer_position": "Kepala Dinas (contoh)",
    "signer_name": "Pejabat Demo, S.E.",
    "signer_nip": "198005122005011002",
}


def _demo_letterhead(office: LabourOffice) -> None:
    """Fill the demo office's letterhead where its organisers have not set it."""
    for name, value in DEMO_LETTERHEAD.items():
        if getattr(office, name) is None:
            setattr(office, name, value)


@dataclass(frozen=True)
class DemoPerson:
    """One fictional job seeker of the demo population: what a registration gives."""

    full_name: str
    sex: str
    birth_date: date
    nik: str
    education_level: str
    experience_years: int
    ktp_regency_code: str
    domicile_regency_code: str
    disability_kind: str  # "" or one of DISABILITY_KINDS
    ak1_number: str | None


def demo_person(rng: random.Random, years_rng: random.Random, n: int, today: date) -> DemoPerson:
    """The demo's ``n``-th job seeker (0 is the demo login), drawn from ``rng`` (and the
    experience from ``years_rng``) in a fixed order, so a seed gives the same people.
    Also used by ``bench/week.py`` to register the Asahan week through the API."""
    sex = "P" if rng.random() < 0.55 else "L"
    first = rng.choice(FEMALE_NAMES if sex == "P" else MALE_NAMES)
    full_name = f"{first} {rng.choice(FAMILY_NAMES)}"
    ktp = "12.09" if n == 0 else _weighted(rng, KTP_REGENCIES)
    birth = date(2001, 4, 17) if n == 0 else _birth_date(rng, today)
    nik = make_nik(rng, ktp, birth, sex, n + 1)
    disabled = rng.random() < 0.03
    education = "SMK" if n == 0 else _weighted(rng, EDUCATION_WEIGHTS)
    years = (
        2 if n == 0 else min(max(0, _age(birth, today) - 18), years_rng.choice((0, 0, 1, 2, 3, 5)))
    )
    domicile = ktp if rng.random() < 0.9 else "12.09"
    kind = rng.choice(DISABILITY_KINDS) if disabled else ""
    ak1 = f"AK1/{ktp.replace('.', '')}/{n + 1:05d}" if rng.random() < 0.4 else None
    return DemoPerson(full_name, sex, birth, nik, education, years, ktp, domicile, kind, ak1)


def choose_applications(
    rng: random.Random,
    people: Sequence[requirements.Qualifications],
    vacancies: Sequence[V],
    today: date,
    *,
    cap: int,
    total: int,
    first_limit: int | None = None,
) -> list[tuple[int, V]]:
    """Which vacancies each person applies to: ``total`` (person index, vacancy) pairs,
    distinct per person, only where the person meets the requirements (the one home of
    the rules), at most ``cap`` per person (``first_limit`` for person 0)."""
    eligible = [[v for v in vacancies if requirements.meets(p, v, today)] for p in people]
    order = list(range(len(people)))
    limits = [cap if i or first_limit is None else first_limit for i in order]
    room = [min(limit, len(eligible[i])) for i, limit in enumerate(limits)]
    if sum(room) < total:
        raise ValueError(f"{len(people)} people can make at most {sum(room)} applications")
    wanted = {i: 0 for i in order}
    while sum(wanted.values()) < total:
        i = rng.choice(order)
        if wanted[i] < room[i]:
            wanted[i] += 1
    return [(i, vacancy) for i in order for vacancy in rng.sample(eligible[i], wanted[i])]


async def _population(
    session: AsyncSession, fair: Fair, vault: NikVault, password_hash: str, now: datetime
) -> None:
    rng = random.Random(SEED)
    # Experience draws from its own generator, so the rest of the population stays as it was.
    years_rng = random.Random(SEED + 1)
    today = now.astimezone(fair.zone).date()
    user_rows, applicant_rows = [], []
    for n in range(APPLICANTS):
        person = demo_person(rng, years_rng, n, today)
        email = DEMO_USERS["applicant"] if n == 0 else f"pelamar{n:03d}@contoh.test"
        user_rows.append(
            {
                "email": email,
                "password_hash": password_hash,
                "role": Role.APPLICANT.value,
                "full_name": person.full_name,
                "locale": "id",
                "is_active": True,
                "created_at": fair.registration_opens_at,
            }
        )
        applicant_rows.append(
            {
                "nik_ciphertext": vault.encrypt(person.nik),
                "nik_hmac": vault.fingerprint(person.nik),
                "nik_masked": vault.mask(person.nik),
                "sex": person.sex,
                "birth_date": person.birth_date,
                "education_level": person.education_level,
                "experience_years": person.experience_years,
                "ktp_regency_code": person.ktp_regency_code,
                "domicile_regency_code": person.domicile_regency_code,
                "has_disability": bool(person.disability_kind),
                "disability_kinds": person.disability_kind,
                "ak1_number": person.ak1_number,
                "consent_at": fair.registration_opens_at,
                "consent_version": "1",
            }
        )
    user_ids = list(
        await session.scalars(
            insert(User).returning(User.id, sort_by_parameter_order=True), user_rows
        )
    )
    for row, user_id in zip(applicant_rows, user_ids, strict=True):
        row["user_id"] = user_id
    applicant_ids = list(
        await session.scalars(
            insert(Applicant).returning(Applicant.id, sort_by_parameter_order=True),
            applicant_rows,
        )
    )
    vacancies = list(
        await session.scalars(
            select(Vacancy).where(Vacancy.fair_id == fair.id).order_by(Vacancy.id)
        )
    )
    await _applications(session, fair, rng, applicant_rows, applicant_ids, vacancies, now)


async def _applications(
    session: AsyncSession,
    fair: Fair,
    rng: random.Random,
    applicants: list[dict],
    applicant_ids: list[int],
    vacancies: list[Vacancy],
    now: datetime,
) -> None:
    today = now.astimezone(fair.zone).date()
    # The requirement rules of applying (one home), on the demo's rows: each applicant
    # applies to a few vacancies they qualify for, up to the fair's cap, until the
    # Asahan total is reached; the demo login (applicant 0) keeps room under the cap
    # to try applying.
    people = [SimpleNamespace(**applicant) for applicant in applicants]
    pairs = choose_applications(
        rng,
        people,
        vacancies,
        today,
        cap=fair.application_cap or 10,
        total=APPLICATIONS,
        first_limit=DEMO_LOGIN_APPLICATIONS,
    )
    elapsed = (now - fair.opens_at).total_seconds()
    rows, statuses = [], []
    for i, vacancy in pairs:
        submitted = fair.opens_at + timedelta(seconds=rng.uniform(0, elapsed * 0.98))
        status = _weighted(rng, SCREENING)
        rows.append(
            {
                "vacancy_id": vacancy.id,
                "applicant_id": applicant_ids[i],
                "booth_id": vacancy.booth_id,
                "fair_id": fair.id,
                "status": status.value,
                "released_status": status.value,
                "submitted_at": submitted,
                "updated_at": submitted,
            }
        )
        statuses.append(status)
    # A few offers become confirmed hires.
    offered = [n for n, status in enumerate(statuses) if status == ApplicationStatus.SHORTLISTED]
    for n in rng.sample(offered, min(HIRES, len(offered))):
        statuses[n] = ApplicationStatus.HIRED
        rows[n]["status"] = rows[n]["released_status"] = ApplicationStatus.HIRED.value
    events = []
    for row, status in zip(rows, statuses, strict=True):
        moment = row["submitted_at"]
        row["events"] = [(None, ApplicationStatus.SUBMITTED, moment)]
        previous = ApplicationStatus.SUBMITTED
        for step in PATH.get(status, []):
            moment = min(now, moment + timedelta(hours=rng.uniform(2, 30)))
            row["events"].append((previous, step, moment))
            previous = step
        if len(row["events"]) > 1:
            row["first_decision_at"] = row["events"][1][2]
            row["updated_at"] = moment
        if status == ApplicationStatus.WITHDRAWN:
            row["events"].append((previous, status, min(now, moment + timedelta(hours=5))))
    application_ids = list(
        await session.scalars(
            insert(Application).returning(Application.id, sort_by_parameter_order=True),
            [{k: v for k, v in row.items() if k != "events"} for row in rows],
        )
    )
    placements = []
    for row, application_id in zip(rows, application_ids, strict=True):
        for from_status, to_status, moment in row["events"]:
            events.append(
                {
                    "application_id": application_id,
                    "from_status": from_status.value if from_status else None,
                    "to_status": to_status.value,
                    "created_at": moment,
                    "released_at": moment,
                }
            )
        if row["status"] == ApplicationStatus.HIRED:
            placements.append(
                {
                    "application_id": application_id,
                    "fair_id": fair.id,
                    "reported_at": row["updated_at"],
                    "confirmation": (
                        PlacementConfirmation.CONFIRMED.value
                        if len(placements) % 3
                        else PlacementConfirmation.PENDING.value
                    ),
                    "confirmed_at": row["updated_at"] if len(placements) % 3 else None,
                }
            )
    await session.execute(insert(ApplicationEvent), events)
    if placements:
        await session.execute(insert(Placement), placements)


async def prepare_demo(settings: Settings, *, now: datetime | None = None) -> DemoLogins:
    """Upgrade the database, (re)load the demo fair around ``now`` and add the people."""
    ctx = AppContext.create(settings)
    now = now or ctx.now()
    try:
        await upgrade(ctx.engine)
        fair_file = parse_fair_file(settings.events_dir / DEMO_FILE)
        shift = demo_window_shift(fair_file.fair.opens_at, fair_file.fair.timezone, now)
        password_hash = await ctx.passwords.hash(DEMO_PASSWORD)
        async with ctx.unit_of_work() as session:
            await load_fair_file(session, fair_file, shift=shift, now=now)
        async with ctx.unit_of_work() as session:
            fair = await session.scalar(select(Fair).where(Fair.slug == fair_file.fair.slug))
            assert fair is not None
            await _ensure_staff(session, fair, password_hash)
            _demo_letterhead(fair.office)
            populated = await session.scalar(
                select(func.count()).select_from(User).where(User.email == DEMO_USERS["applicant"])
            )
            if not populated:
                await _population(session, fair, ctx.nik_vault, password_hash, now)
        return DemoLogins(fair_slug=fair_file.fair.slug)
    finally:
        await ctx.close()
