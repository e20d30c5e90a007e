"""The consent to be shared with the ministry's systems in the browser: asked at
self-registration (an unticked, optional checkbox with its purpose), seen, given and
withdrawn on the sharing page; and the occupation sought on the forms."""

from __future__ import annotations

import re
from datetime import timedelta

import httpx
from sqlalchemy import select
from support import factories
from support.browsing import csrf_of, register, register_and_sign_in
from support.clock import Clock

from jobfair.context import AppContext
from jobfair.models import Applicant, AuditLog

CHECKBOX = re.compile(r'<input type="checkbox" name="interchange_consent"[^>]*>')


def _box(html: str) -> str:
    found = CHECKBOX.findall(html)
    assert len(found) == 1, found
    return found[0]


async def test_the_registration_form_asks_unticked_with_its_purpose(
    client: httpx.AsyncClient,
) -> None:
    page = await client.get("/register")
    box = _box(page.text)
    assert "checked" not in box
    # Its purpose in Indonesian by default, and in English.
    assert "SIAPkerja/Karirhub" in page.text and "Kementerian Ketenagakerjaan" in page.text
    english = await client.get("/register?lang=en")
    assert "the Ministry of Manpower's systems (SIAPkerja/Karirhub)" in english.text
    assert "checked" not in _box(english.text)


async def test_registering_without_the_consent(client: httpx.AsyncClient, ctx: AppContext) -> None:
    response = await register(client, factories.registration())
    assert response.status_code == 303
    async with ctx.read() as session:
        applicant = await session.scalar(select(Applicant))
        audit = await session.scalar(
            select(AuditLog).where(AuditLog.action == "applicant.registered")
        )
    assert applicant is not None and applicant.interchange_consent_at is None
    assert audit is not None and audit.data["interchange_consent"] is False


async def test_registering_with_the_consent(
    client: httpx.AsyncClient, ctx: AppContext, clock: Clock
) -> None:
    response = await register(client, factories.registration(interchange_consent="1"))
    assert response.status_code == 303
    async with ctx.read() as session:
        applicant = await session.scalar(select(Applicant))
        audit = await session.scalar(
            select(AuditLog).where(AuditLog.action == "applicant.registered")
        )
    assert applicant is not None and applicant.interchange_consent_at == clock.now
    assert audit is not None and audit.data["interchange_consent"] is True


async def test_a_form_sent_back_keeps_the_tick_only_when_given(client: httpx.AsyncClient) -> None:
    ticked = await register(client, factories.registration(sex="P", interchange_consent="1"))
    assert ticked.status_code == 422 and "checked" in _box(ticked.text)
    unticked = await register(client, factories.registration(sex="P"))
    assert unticked.status_code == 422 and "checked" not in _box(unticked.text)


async def test_see_give_and_withdraw_on_the_sharing_page(
    client: httpx.AsyncClient, ctx: AppContext, clock: Clock
) -> None:
    client.cookies.set("lang", "en")
    await register_and_sign_in(client, factories.registration())
    home = await client.get("/me")
    assert 'href="/me/sharing"' in home.text and "Not agreed" in home.text
    page = await client.get("/me/sharing")
    assert page.status_code == 200
    assert "You have not agreed" in page.text and "checked" not in _box(page.text)
    token = csrf_of(page.text)
    given = await client.post("/me/sharing", data={"csrf_token": token, "interchange_consent": "1"})
    assert given.status_code == 303 and given.headers["location"] == "/me/sharing?saved=1"
    shown = await client.get("/me/sharing?saved=1")
    assert "Your choice has been saved." in shown.text and "You agreed on" in shown.text
    assert "checked" in _box(shown.text)
    given_at = clock.now
    # Withdrawing: the box unticked.
    clock.advance(timedelta(minutes=5))
    withdrawn = await client.post("/me/sharing", data={"csrf_token": token})
    assert withdrawn.status_code == 303
    after = await client.get("/me/sharing")
    assert "You withdrew your agreement on" in after.text and "checked" not in _box(after.text)
    async with ctx.read() as session:
        applicant = await session.scalar(select(Applicant))
        actions = list(
            await session.scalars(
                select(AuditLog.action)
                .where(AuditLog.action.like("applicant.interchange_consent_%"))
                .order_by(AuditLog.id)
            )
        )
    assert applicant is not None and applicant.interchange_consent_at is None
    assert applicant.interchange_consent_withdrawn_at == clock.now != given_at
    assert actions == [
        "applicant.interchange_consent_given",
        "applicant.interchange_consent_withdrawn",
    ]
    # The data page shows both times.
    data = await client.get("/me/data/page")
    assert "Consent to be shared with the ministry withdrawn" in data.text


async def test_the_sharing_page_is_for_applicants(client: httpx.AsyncClient) -> None:
    anonymous = await client.get("/me/sharing")
    assert anonymous.status_code == 303 and anonymous.headers["location"].startswith("/login")
    refused = await client.post("/me/sharing", data={"interchange_consent": "1"})
    assert refused.status_code in (303, 403)


async def test_the_occupation_sought_on_registration_and_profile(
    client: httpx.AsyncClient, ctx: AppContext
) -> None:
    client.cookies.set("lang", "en")
    form = await client.get("/register")
    assert 'id="sought_kbji_code"' in form.text and 'list="kbji-groups"' in form.text
    assert 'aria-describedby="sought_kbji_code-hint sought_kbji_code-name"' in form.text
    bad = await register(client, factories.registration(sought_kbji_code="operator x"))
    assert bad.status_code == 422 and 'id="sought_kbji_code-error"' in bad.text
    # Chosen from the list by name: the code is kept.
    await register_and_sign_in(
        client,
        factories.registration(sought_kbji_code="83 · Drivers and mobile plant operators"),
    )
    async with ctx.read() as session:
        assert await session.scalar(select(Applicant.sought_kbji_code)) == "83"
    home = await client.get("/me")
    assert "Drivers and mobile plant operators (KBJI 83)" in home.text
    page = await client.get("/me/profile")
    assert 'id="sought_kbji_code"' in page.text and 'value="83"' in page.text
    base = {
        "csrf_token": csrf_of(page.text),
        "full_name": "Budi Santoso",
        "education_level": "SMK",
        "domicile_regency_code": "12.09",
    }
    cleared = await client.post("/me/profile", data={**base, "sought_kbji_code": ""})
    assert cleared.status_code == 303
    async with ctx.read() as session:
        assert await session.scalar(select(Applicant.sought_kbji_code)) is None
    precise = await client.post("/me/profile", data={**base, "sought_kbji_code": "8322"})
    assert precise.status_code == 303
    async with ctx.read() as session:
        assert await session.scalar(select(Applicant.sought_kbji_code)) == "8322"
