"""Edits to an approved booth (description, video link, contact, logo) wait for the
office's review like vacancy edits (issue 12, item 7): the public keeps seeing what the
office checked until an organiser accepts them. Before, a company could put any text,
link or picture on its public booth the minute after approval."""

from __future__ import annotations

from pathlib import Path

import httpx
from sqlalchemy import select
from support import factories
from support.browsing import csrf_of, sign_in
from support.security_world import png_bytes

from jobfair.context import AppContext
from jobfair.models import AuditLog, Booth
from jobfair.models.companies import BoothStatus


async def _world(ctx: AppContext) -> dict[str, object]:
    async with ctx.unit_of_work() as session:
        office = await factories.office(session)
        fair = await factories.fair(session, office_row=office)
        company = await factories.company(session)
        booth = await factories.booth(
            session, fair_row=fair, company_row=company, description="Kebun sawit di Asahan."
        )
        recruiter = await factories.recruiter(session, company_row=company)
        organiser = await factories.organiser(session, office_row=office)
        return {
            "fair": fair.slug,
            "company": company.slug,
            "booth": booth.id,
            "recruiter": recruiter.email,
            "organiser": organiser.email,
        }


def _client(ctx: AppContext, app: object, address: str) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=app, client=(address, 40000))  # type: ignore[arg-type]
    return httpx.AsyncClient(transport=transport, base_url="http://testserver")


async def test_an_approved_booths_edits_wait_for_review(app: object, ctx: AppContext) -> None:
    world = await _world(ctx)
    company = _client(ctx, app, "10.1.0.1")
    company.cookies.set("lang", "en")
    assert (await sign_in(company, str(world["recruiter"]), factories.PASSWORD)).status_code == 303
    page = await company.get(f"/company/booths/{world['booth']}")
    edited = await company.post(
        f"/company/booths/{world['booth']}",
        data={
            "description": "Klik tautan ini untuk hadiah!",
            "video_url": "https://video.example/promo",
            "contact_email": "",
            "contact_phone": "",
            "csrf_token": csrf_of(page.text),
        },
    )
    assert edited.status_code == 303
    logo = await company.post(
        f"/company/booths/{world['booth']}/logo",
        data={"csrf_token": csrf_of(page.text)},
        files={"logo": ("logo.png", png_bytes(), "image/png")},
    )
    assert logo.status_code == 303
    # The public booth still shows what the office approved.
    public = await _client(ctx, app, "10.1.0.2").get(
        f"/fairs/{world['fair']}/booths/{world['company']}"
    )
    assert "Kebun sawit di Asahan." in public.text
    assert "hadiah" not in public.text and "video.example" not in public.text
    assert "/media/logos/" not in public.text
    # The company sees its own words and that they wait.
    own = await company.get(f"/company/booths/{world['booth']}")
    assert "Klik tautan ini untuk hadiah!" in own.text
    assert "waiting for the labour office" in own.text
    # The office's queue lists them, old beside new; accepting puts them on show.
    office = _client(ctx, app, "10.1.0.3")
    office.cookies.set("lang", "en")
    await sign_in(office, str(world["organiser"]), factories.PASSWORD)
    queue = await office.get(f"/organiser/fairs/{world['fair']}/queue")
    assert "Booth changes" in queue.text and "Klik tautan ini untuk hadiah!" in queue.text
    assert "<del" in queue.text and "Kebun sawit di Asahan." in queue.text
    accepted = await office.post(
        f"/organiser/fairs/{world['fair']}/booth-changes/{world['booth']}/decision",
        data={"decision": "approve", "reason": "", "csrf_token": csrf_of(queue.text)},
    )
    assert accepted.status_code == 303
    public = await _client(ctx, app, "10.1.0.4").get(
        f"/fairs/{world['fair']}/booths/{world['company']}"
    )
    assert "Klik tautan ini untuk hadiah!" in public.text and "/media/logos/" in public.text
    async with ctx.read() as session:
        booth = await session.get(Booth, world["booth"])
        actions = set(await session.scalars(select(AuditLog.action)))
    assert booth is not None and booth.pending_changes is None
    assert "booth.changes_approved" in actions


async def test_turned_down_edits_are_dropped_with_the_reason(
    app: object, ctx: AppContext, settings: object
) -> None:
    world = await _world(ctx)
    company = _client(ctx, app, "10.1.1.1")
    company.cookies.set("lang", "en")
    await sign_in(company, str(world["recruiter"]), factories.PASSWORD)
    page = await company.get(f"/company/booths/{world['booth']}")
    await company.post(
        f"/company/booths/{world['booth']}/logo",
        data={"csrf_token": csrf_of(page.text)},
        files={"logo": ("logo.png", png_bytes(), "image/png")},
    )
    await company.post(
        f"/company/booths/{world['booth']}",
        data={
            "description": "Isi yang tidak pantas",
            "video_url": "",
            "contact_email": "",
            "contact_phone": "",
            "csrf_token": csrf_of(page.text),
        },
    )
    async with ctx.read() as session:
        booth = await session.get(Booth, world["booth"])
        assert booth is not None and booth.pending_changes is not None
        waiting_logo = booth.pending_changes["logo_file"]
    logos = Path(settings.uploads_dir) / "logos"  # type: ignore[attr-defined]
    assert (logos / str(waiting_logo)).is_file()
    office = _client(ctx, app, "10.1.1.2")
    await sign_in(office, str(world["organiser"]), factories.PASSWORD)
    queue = await office.get(f"/organiser/fairs/{world['fair']}/queue")
    decide = f"/organiser/fairs/{world['fair']}/booth-changes/{world['booth']}/decision"
    # A reason is required to turn them down.
    no_reason = await office.post(
        decide, data={"decision": "reject", "reason": "", "csrf_token": csrf_of(queue.text)}
    )
    assert no_reason.headers["location"].endswith("notice=reason_needed")
    refused = await office.post(
        decide,
        data={"decision": "reject", "reason": "Bahasa kasar", "csrf_token": csrf_of(queue.text)},
    )
    assert refused.status_code == 303
    async with ctx.read() as session:
        booth = await session.get(Booth, world["booth"])
    assert booth is not None and booth.pending_changes is None
    assert booth.description == "Kebun sawit di Asahan." and booth.logo_file is None
    assert not (logos / str(waiting_logo)).exists()  # nobody shows it: removed
    own = await company.get(f"/company/booths/{world['booth']}")
    assert "did not accept your last changes: Bahasa kasar" in own.text
    assert "Kebun sawit di Asahan." in own.text
    # Nothing left to decide: the same address is not found.
    again = await office.post(
        decide, data={"decision": "approve", "reason": "", "csrf_token": csrf_of(queue.text)}
    )
    assert again.status_code == 404


async def test_a_booth_not_yet_on_show_changes_at_once_and_another_office_cannot_decide(
    app: object, ctx: AppContext
) -> None:
    world = await _world(ctx)
    async with ctx.unit_of_work() as session:
        booth = await session.get(Booth, world["booth"])
        assert booth is not None
        booth.status = BoothStatus.REQUESTED
        stranger = await factories.organiser(session)
        stranger_email = stranger.email
    company = _client(ctx, app, "10.1.2.1")
    await sign_in(company, str(world["recruiter"]), factories.PASSWORD)
    page = await company.get(f"/company/booths/{world['booth']}")
    saved = await company.post(
        f"/company/booths/{world['booth']}",
        data={
            "description": "Diperiksa bersama stan",
            "video_url": "",
            "contact_email": "",
            "contact_phone": "",
            "csrf_token": csrf_of(page.text),
        },
    )
    assert saved.status_code == 303, saved.text[-500:]
    async with ctx.unit_of_work() as session:
        booth = await session.get(Booth, world["booth"])
        assert booth is not None
        # Reviewed with the booth itself: applied, nothing waits.
        assert booth.description == "Diperiksa bersama stan" and booth.pending_changes is None
        booth.status = BoothStatus.APPROVED
        booth.pending_changes = {"description": "Menunggu"}
    other = _client(ctx, app, "10.1.2.2")
    await sign_in(other, stranger_email, factories.PASSWORD)
    token = csrf_of((await other.get("/organiser")).text)
    refused = await other.post(
        f"/organiser/fairs/{world['fair']}/booth-changes/{world['booth']}/decision",
        data={"decision": "approve", "reason": "", "csrf_token": token},
    )
    assert refused.status_code == 404
    async with ctx.read() as session:
        booth = await session.get(Booth, world["booth"])
    assert booth is not None and booth.pending_changes == {"description": "Menunggu"}
