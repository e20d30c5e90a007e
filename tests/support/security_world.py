"""The shared world of the security suite: two offices, two fairs, two companies (and a
third, D, in both fairs, rejected by office A only), two applicants and every role
signed in (a browser with session and CSRF cookies, and a
bearer token), plus a walker over the route table.

Everything is built with the factories and the services, so the suite exercises the
same rows the product makes; ``owned`` names the objects the authorization matrix
points at ("application_a" belongs to applicant A and company A, and so on).
"""

from __future__ import annotations

import io
import re
import secrets
from collections.abc import AsyncIterator, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import cache
from typing import Any

import httpx
import pytest
from PIL import Image
from sqlalchemy import select
from starlette.applications import Starlette
from starlette.routing import BaseRoute, Mount, Route, WebSocketRoute

from jobfair.context import AppContext
from jobfair.models import (
    BoothMessage,
    BoothSlot,
    DirectPlacement,
    Drive,
    DriveFair,
    DrivePartner,
    DriveRegency,
    Notification,
    OfficeVerification,
    Outbox,
    Recruiter,
    SlotBooking,
    TrustedNetwork,
    User,
)
from jobfair.models.accounts import Role
from jobfair.models.applications import ApplicationStatus, ExportJob, Placement
from jobfair.models.companies import BoothStatus, CompanyVerification
from jobfair.models.conversations import AbuseReport, Conversation
from jobfair.models.fairs import FairStatus
from jobfair.models.office_reports import OfficeReportRequest
from jobfair.models.vacancies import VacancyVerification
from jobfair.services import applicants, auth, companies, exports, office_reports
from jobfair.stats.compile import compile_fair_report
from jobfair.stats.office import build_office_report_data
from jobfair.web.auth import CSRF_COOKIE, SESSION_COOKIE, csrf_for, session_signer
from jobfair.worker.office_report import save_office_report
from support import factories
from support.factories import hash_password

# The roles of the matrix: who owns the objects ("applicant", "recruiter", "organiser")
# and who must be kept out ("other_…", "anonymous", and the admin outside the office).
ROLES = (
    "anonymous",
    "applicant",
    "other_applicant",
    "recruiter",
    "other_recruiter",
    # A recruiter of company D, which office A rejected and office B verified: D keeps
    # its booth, vacancies and applicants in fair B and reaches none of them in fair A.
    "rejected_recruiter",
    "organiser",
    "other_organiser",
    "admin",
)
SIGNED_IN = tuple(role for role in ROLES if role != "anonymous")
PUBLIC = frozenset(ROLES)
# Office A's reason for rejecting company D: office B must never see it.
REJECTION_REASON = "NIB tidak cocok dengan OSS"
STATE_CHANGING = frozenset({"POST", "PUT", "PATCH", "DELETE"})
PARAM = re.compile(r"\{(\w+)(?::\w+)?\}")


@cache
def password_hash() -> str:
    """One argon2 hash of the shared test password (hashing is slow on purpose)."""
    return hash_password(factories.PASSWORD)


def png_bytes(size: tuple[int, int] = (8, 8)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (10, 120, 200)).save(buffer, format="PNG")
    return buffer.getvalue()


# --------------------------------------------------------------------------- routes


@dataclass(frozen=True)
class Endpoint:
    """One method of one route, with its full path (mounts resolved)."""

    method: str
    path: str
    name: str | None
    route: BaseRoute

    @property
    def params(self) -> list[str]:
        return PARAM.findall(self.path)

    @property
    def is_api(self) -> bool:
        return self.path.startswith("/api/")

    @property
    def key(self) -> str:
        return f"{self.method} {self.path}"


def endpoints(routes: Iterable[BaseRoute], prefix: str = "") -> Iterator[Endpoint]:
    """Every HTTP method of every route (HEAD left out: Starlette adds it to GET), and
    websocket routes as method ``WEBSOCKET``; static mounts have no routes to walk."""
    for route in routes:
        if isinstance(route, Mount):
            yield from endpoints(route.routes, prefix + route.path)
        elif isinstance(route, Route):
            for method in sorted((route.methods or {"GET"}) - {"HEAD"}):
                yield Endpoint(method, prefix + route.path, route.name, route)
        elif isinstance(route, WebSocketRoute):
            yield Endpoint("WEBSOCKET", prefix + route.path, route.name, route)


def app_endpoints(app: Starlette) -> list[Endpoint]:
    return list(endpoints(app.routes))


def concrete(path: str, values: dict[str, Any]) -> str:
    return PARAM.sub(lambda match: str(values[match.group(1)]), path)


# ---------------------------------------------------------------------------- world


@dataclass
class Actor:
    role: str
    user_id: int | None
    email: str | None
    browser: httpx.AsyncClient  # session + CSRF cookies, as a browser would hold them
    api: httpx.AsyncClient  # no cookies; the bearer token when signed in
    csrf: str
    token: str | None = None
    token_id: int | None = None


@dataclass
class World:
    app: Starlette
    ctx: AppContext
    actors: dict[str, Actor]
    owned: dict[str, Any] = field(default_factory=dict)
    clients: list[httpx.AsyncClient] = field(default_factory=list)

    def client(self, **kwargs: Any) -> httpx.AsyncClient:
        transport = httpx.ASGITransport(app=self.app)
        http = httpx.AsyncClient(transport=transport, base_url="http://testserver", **kwargs)
        self.clients.append(http)
        return http

    async def close(self) -> None:
        for http in self.clients:
            await http.aclose()


async def _user(session: Any, role: str, email: str, **values: Any) -> User:
    user = User(
        email=email,
        password_hash=password_hash(),
        role=role,
        full_name=f"Pengguna {email.split('@')[0]}",
        **values,
    )
    session.add(user)
    await session.flush()
    return user


async def build_world(app: Starlette) -> World:
    """Two of everything; see the module docstring."""
    ctx: AppContext = app.state.ctx
    settings = app.state.settings
    now = ctx.now()
    world = World(app=app, ctx=ctx, actors={})
    owned = world.owned
    users: dict[str, User] = {}
    async with ctx.unit_of_work() as session:
        office_a = await factories.office(session)
        office_b = await factories.office(session)
        fair_a = await factories.fair(session, office_row=office_a)
        fair_b = await factories.fair(session, office_row=office_b)
        # The office's other fairs: one to publish, one to cancel, one closed with a report.
        fair_a_draft = await factories.fair(session, office_row=office_a, status=FairStatus.DRAFT)
        fair_a_cancel = await factories.fair(session, office_row=office_a)
        fair_closed = await factories.fair(
            session, office_row=office_a, opens_at=datetime(2026, 10, 1, 1, 0, tzinfo=UTC)
        )
        company_a = await factories.company(session)
        company_b = await factories.company(session)
        company_c = await factories.company(session)
        booth_a = await factories.booth(session, fair_row=fair_a, company_row=company_a)
        booth_b = await factories.booth(session, fair_row=fair_b, company_row=company_b)
        pending_booth = await factories.booth(
            session, fair_row=fair_a, company_row=company_c, status=BoothStatus.REQUESTED
        )
        vacancy = {
            name: await factories.vacancy(session, booth_row=booth_a)
            for name in (
                "vacancy_a",
                "vacancy_a_edit",
                "vacancy_a_close",
                "vacancy_apply_page",
                "vacancy_apply_api",
                "vacancy_hire_page",
                "vacancy_hire_api",
                "vacancy_withdraw_page",
                "vacancy_withdraw_api",
            )
        }
        vacancy["vacancy_b"] = await factories.vacancy(session, booth_row=booth_b)
        pending_vacancy = await factories.vacancy(
            session, booth_row=booth_a, verification=VacancyVerification.PENDING
        )
        company_d = await factories.company(session, name="PT Ditolak Kantor A")
        booth_d_a = await factories.booth(session, fair_row=fair_a, company_row=company_d)
        booth_d_b = await factories.booth(session, fair_row=fair_b, company_row=company_d)
        vacancy["vacancy_d_a"] = await factories.vacancy(session, booth_row=booth_d_a)
        vacancy["vacancy_d_b"] = await factories.vacancy(session, booth_row=booth_d_b)
        applicant_a = await factories.applicant(session, vault=ctx.nik_vault)
        applicant_b = await factories.applicant(session, vault=ctx.nik_vault)
        for row, role in ((applicant_a, "applicant"), (applicant_b, "other_applicant")):
            user = await session.get(User, row.user_id)
            assert user is not None
            user.password_hash = password_hash()
            users[role] = user
        # Not factories.recruiter: it hashes the password anew (argon2, ~0.3 s) each time.
        for role, company_row in (
            ("recruiter", company_a),
            ("other_recruiter", company_b),
            ("rejected_recruiter", company_d),
        ):
            users[role] = await _user(
                session, Role.RECRUITER, f"hrd-{role}-{company_row.id}@example.test"
            )
            session.add(Recruiter(company_id=company_row.id, user_id=users[role].id, role="owner"))
        users["organiser"] = await _user(
            session, Role.ORGANISER, f"petugas-a-{office_a.id}@example.test", office_id=office_a.id
        )
        users["other_organiser"] = await _user(
            session, Role.ORGANISER, f"petugas-b-{office_b.id}@example.test", office_id=office_b.id
        )
        users["admin"] = await _user(session, Role.ADMIN, f"admin-{office_a.id}@example.test")
        colleague = await _user(
            session, Role.ORGANISER, f"petugas-a2-{office_a.id}@example.test", office_id=office_a.id
        )

        application = {
            "application_a": await factories.application(
                session, vacancy_row=vacancy["vacancy_a"], applicant_row=applicant_a
            ),
            "application_b": await factories.application(
                session, vacancy_row=vacancy["vacancy_b"], applicant_row=applicant_b
            ),
            # Company D's applicants: A in the rejecting office's fair, B in the other.
            "application_d_a": await factories.application(
                session, vacancy_row=vacancy["vacancy_d_a"], applicant_row=applicant_a
            ),
            "application_d_b": await factories.application(
                session, vacancy_row=vacancy["vacancy_d_b"], applicant_row=applicant_b
            ),
        }
        for kind in ("page", "api"):
            application[f"application_withdraw_{kind}"] = await factories.application(
                session, vacancy_row=vacancy[f"vacancy_withdraw_{kind}"], applicant_row=applicant_a
            )
            hired = await factories.application(
                session,
                vacancy_row=vacancy[f"vacancy_hire_{kind}"],
                applicant_row=applicant_a,
                status=ApplicationStatus.HIRED,
                released_status=ApplicationStatus.HIRED,
            )
            application[f"application_hired_{kind}"] = hired
            session.add(
                Placement(
                    application_id=hired.id,
                    fair_id=hired.fair_id,
                    reported_by_user_id=users["recruiter"].id,
                    reported_at=now,
                )
            )
        await applicants.store_cv(
            session, users["applicant"], factories.pdf_bytes(), "cv.pdf", settings.uploads_dir, now
        )
        await applicants.store_cv(
            session,
            users["other_applicant"],
            factories.pdf_bytes(),
            "cv.pdf",
            settings.uploads_dir,
            now,
        )
        booth_with_logo = await companies.store_logo(
            session, users["recruiter"], booth_a.id, png_bytes(), settings.uploads_dir, now
        )
        job = ExportJob(
            company_id=company_a.id,
            requested_by_user_id=users["recruiter"].id,
            file_format="csv",
            filters={},
            total=1,
        )
        session.add(job)
        # Mail given up after its retry period, for the admin's "send again".
        failed_mail = Outbox(
            dedupe_key="security:failed",
            to_address="gagal@example.test",
            subject="Undangan",
            template="text",
            payload={"body": "Halo"},
            failed_at=now,
            last_error="SMTPDataError: 451",
        )
        session.add(failed_mail)
        await session.flush()
        # Company D's export, made before office A rejected it (it holds fair A's rows).
        job_d = ExportJob(
            company_id=company_d.id,
            requested_by_user_id=users["rejected_recruiter"].id,
            file_format="csv",
            filters={},
            total=2,
            created_at=now - timedelta(hours=1),
        )
        session.add(job_d)
        await session.flush()
        await compile_fair_report(session, fair_closed.id, now)
        # Office A's statistics for the current quarter (what its pages and API show
        # when no period is named).
        quarter = office_reports.default_period("Asia/Jakarta", now)
        office_request = OfficeReportRequest(
            office_id=office_a.id,
            period_kind=str(quarter.kind),
            period_number=quarter.number,
            period_start=quarter.start,
            period_end=quarter.end,
            requested_at=now,
        )
        session.add(office_request)
        await session.flush()
        office_data = await build_office_report_data(session, office_a.id, quarter, now)
        await save_office_report(session, office_request.id, office_data, now)
        network_a = TrustedNetwork(cidr="198.51.100.0/24", label="Meja", office_id=office_a.id)
        session.add(network_a)
        await session.flush()
        # Booth chats of applicant A with company A's recruiter, one per action the
        # matrix tries (ending one would refuse the next action on it), a colleague
        # to hand one to, and a report about a bystander (blocking them harms no chat).
        chat_colleague = await _user(session, Role.RECRUITER, f"rekan-{company_a.id}@example.test")
        session.add(Recruiter(company_id=company_a.id, user_id=chat_colleague.id, role="recruiter"))
        bystander = await _user(session, Role.RECRUITER, f"lain-{company_a.id}@example.test")
        chat_rows = {}
        for name in ("send", "end", "share", "report", "video", "outcome", "hand_off", "cv"):
            chat_rows[name] = Conversation(
                fair_id=fair_a.id,
                booth_id=booth_a.id,
                applicant_id=applicant_a.id,
                recruiter_user_id=users["recruiter"].id,
                started_at=now,
                cv_shared=name == "cv",
            )
        session.add_all(chat_rows.values())
        await session.flush()
        chat_report = AbuseReport(
            fair_id=fair_a.id,
            conversation_id=chat_rows["report"].id,
            reporter_user_id=users["applicant"].id,
            reported_user_id=bystander.id,
            reason="Kata-kata kasar",
        )
        session.add(chat_report)
        await session.flush()
        owned.update({f"chat_{name}": row.id for name, row in chat_rows.items()})
        owned["chat_colleague"] = chat_colleague.id
        owned["chat_report_a"] = chat_report.id
        # Office A rejects company D (after its applications and its export).
        rejection = await session.scalar(
            select(OfficeVerification).where(
                OfficeVerification.company_id == company_d.id,
                OfficeVerification.office_id == office_a.id,
            )
        )
        assert rejection is not None
        rejection.status = CompanyVerification.REJECTED
        rejection.reason = REJECTION_REASON
        rejection.decided_by_user_id = users["organiser"].id
        rejection.decided_at = now
        # Booked 1:1 slots and a message at booth A (and company D's in fair A, which
        # its rejected recruiter must not reach).
        later = now + timedelta(days=1)
        slots = {
            name: BoothSlot(booth_id=booth.id, starts_at=starts, minutes=20, capacity=1)
            for name, booth, starts in (
                ("slot_a", booth_a, later),
                ("slot_cancel_a", booth_a, later + timedelta(minutes=20)),
                ("slot_b", booth_b, later),
                ("slot_past_a", booth_a, now - timedelta(minutes=10)),
                ("slot_past_d_a", booth_d_a, now - timedelta(minutes=10)),
            )
        }
        session.add_all(slots.values())
        await session.flush()
        bookings = {
            name: SlotBooking(
                slot_id=slots[slot].id,
                booth_id=slots[slot].booth_id,
                applicant_id=person.id,
                active_slot_id=slots[slot].id,
                active_booth_id=slots[slot].booth_id,
            )
            for name, slot, person in (
                ("booking_a", "slot_b", applicant_a),
                ("booking_mark_a", "slot_past_a", applicant_b),
                ("booking_mark_d_a", "slot_past_d_a", applicant_a),
            )
        }
        messages = {
            "message_a": BoothMessage(
                booth_id=booth_a.id, applicant_id=applicant_a.id, body="Halo"
            ),
            "message_d_a": BoothMessage(
                booth_id=booth_d_a.id, applicant_id=applicant_a.id, body="Halo"
            ),
        }
        session.add_all([*bookings.values(), *messages.values()])
        await session.flush()
        owned.update(
            {name: row.id for name, row in (*slots.items(), *bookings.items(), *messages.items())}
        )
        owned.update(
            {
                "fair_a": fair_a.slug,
                "fair_a_draft": fair_a_draft.slug,
                "fair_a_cancel": fair_a_cancel.slug,
                "fair_closed": fair_closed.slug,
                "office_a": office_a.id,
                "organiser_colleague": colleague.id,
                "network_a": network_a.id,
                "company_c": company_c.id,
                "fair_b": fair_b.slug,
                "company_a": company_a.slug,
                "booth_a": booth_a.id,
                "booth_b": booth_b.id,
                "pending_booth": pending_booth.id,
                "pending_vacancy": pending_vacancy.id,
                "logo_a": companies.booth_shown(booth_with_logo)["logo_file"],
                "export_a": job.id,
                "mail_failed": failed_mail.id,
                "export_d": job_d.id,
                "company_d": company_d.id,
                "company_d_slug": company_d.slug,
                "booth_d_a": booth_d_a.id,
                "booth_d_b": booth_d_b.id,
                **{name: row.id for name, row in vacancy.items()},
                **{name: row.id for name, row in application.items()},
            }
        )
        # Office A's hiring drive: fair A linked, company A a partner, and two direct
        # placements of applicant A (one to read, one to answer).
        drive_a = Drive(
            office_id=office_a.id,
            name="Gerakan Asahan Bekerja",
            first_day=date(2026, 11, 1),
            last_day=date(2026, 12, 31),
            target=100,
            created_at=now,
            updated_at=now,
        )
        drive_a.regencies = [DriveRegency(regency_code="12.09")]
        session.add(drive_a)
        await session.flush()
        session.add(DriveFair(drive_id=drive_a.id, fair_id=fair_a.id))
        for partner in (company_a, company_c):
            session.add(DrivePartner(drive_id=drive_a.id, company_id=partner.id, added_at=now))
        direct = {
            name: DirectPlacement(
                drive_id=drive_a.id,
                company_id=partner.id,
                applicant_id=applicant_a.id,
                reported_at=now,
                start_date=date(2026, 11, 9),
                job_title="Operator gudang",
            )
            for name, partner in (
                ("direct_placement_a", company_a),
                ("direct_placement_answer", company_c),
            )
        }
        session.add_all(direct.values())
        await session.flush()
        owned["drive_a"] = drive_a.id
        owned.update({name: row.id for name, row in direct.items()})
        user_ids = {role: user.id for role, user in users.items()}
        emails = {role: user.email for role, user in users.items()}
    await exports.build(
        ctx.read, ctx.unit_of_work, owned["export_a"], settings.uploads_dir, date(2026, 11, 5), now
    )

    signer = session_signer(settings.secret_key)
    anonymous_cookie = secrets.token_urlsafe(24)
    world.actors["anonymous"] = Actor(
        role="anonymous",
        user_id=None,
        email=None,
        browser=world.client(cookies={CSRF_COOKIE: anonymous_cookie}),
        api=world.client(),
        csrf=csrf_for(settings.secret_key, anonymous_cookie),
    )
    for role in SIGNED_IN:
        async with ctx.unit_of_work() as session:
            user = await session.get(User, user_ids[role])
            assert user is not None
            raw, session_row = await auth.start_session(session, user, now)
            session_secret = session_row.csrf_token
            # Tokens come from the service: POST /api/v1/tokens verifies an argon2 hash
            # (~0.3 s) per call; the sign-in tests drive that endpoint itself.
            token, token_row = await auth.create_api_token(
                session, user, "matrix", lifetime=factories.TOKEN_LIFETIME
            )
            token_id = token_row.id
            if role == "applicant":
                # A second token of applicant A: the object of the revoke route (revoking
                # the one the matrix signs in with would sign applicant A out).
                _spare, spare_row = await auth.create_api_token(
                    session, user, "spare", lifetime=factories.TOKEN_LIFETIME
                )
                owned["spare_token_a"] = spare_row.id
                # And a third, revoked from the account page.
                _page, page_row = await auth.create_api_token(
                    session, user, "spare page", lifetime=factories.TOKEN_LIFETIME
                )
                owned["spare_token_page_a"] = page_row.id
                # A notification of applicant A: the object of the mark-as-read route.
                notification = Notification(user_id=user.id, subject="Keputusan", body="x")
                session.add(notification)
                await session.flush()
                owned["notification_a"] = notification.id
        csrf_cookie = secrets.token_urlsafe(24)
        world.actors[role] = Actor(
            role=role,
            user_id=user_ids[role],
            email=emails[role],
            browser=world.client(
                cookies={
                    SESSION_COOKIE: signer.sign(raw).decode(),
                    CSRF_COOKIE: csrf_cookie,
                }
            ),
            api=world.client(headers={"Authorization": f"Bearer {token}"}),
            # The form token of this session: bound to its own CSRF secret.
            csrf=csrf_for(settings.secret_key, csrf_cookie, session_secret),
            token=token,
            token_id=token_id,
        )
    return world


@pytest.fixture(name="world")
async def world_fixture(app: Starlette) -> AsyncIterator[World]:
    """The world on every backend; test modules import this fixture by name (a
    ``conftest.py`` here would shadow ``from conftest import …`` of the other tests)."""
    built = await build_world(app)
    try:
        yield built
    finally:
        await built.close()
