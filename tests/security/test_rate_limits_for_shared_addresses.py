"""Rate limits that fit Indonesian networks (issue 12, item 19): a carrier's CGNAT, a
school lab or a Disnaker help desk puts dozens of people behind one address. Limits
are keyed on the identity (NIK fingerprint, e-mail, phone, account) first, the
per-address limit is a high ceiling, and an organiser can trust a help desk's range.
Before, the 31st registration from one address in 10 minutes was refused."""

from __future__ import annotations

import httpx
import pytest
from limits import parse
from sqlalchemy import select
from starlette.applications import Starlette
from support import factories
from support.browsing import csrf_of, sign_in
from support.security_world import password_hash

from jobfair.context import AppContext
from jobfair.models import AuditLog, TrustedNetwork, User
from jobfair.services import networks
from jobfair.services.identity import Passwords
from jobfair.web import auth as web_auth


@pytest.fixture(autouse=True)
def fast_passwords(monkeypatch: pytest.MonkeyPatch) -> None:
    """Limits are under test, not argon2."""

    async def fast(passwords: Passwords, password: str) -> str:
        return "fast:" + password

    monkeypatch.setattr(Passwords, "hash", fast)


def _client(app: Starlette, address: str) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=app, client=(address, 40000))
    return httpx.AsyncClient(transport=transport, base_url="http://testserver")


def _person(n: int, **overrides: object) -> dict[str, object]:
    values: dict[str, object] = {
        "nik": factories.MAN_NIK[:12] + f"{n + 1:04d}",
        "email": f"orang{n}@example.test",
        "phone": f"0812 3456 {n:04d}",
    }
    return factories.registration(**{**values, **overrides})


async def test_forty_people_register_from_one_address(app: Starlette) -> None:
    lab = _client(app, "36.80.1.1")
    codes = [(await lab.post("/api/v1/applicants", json=_person(n))).status_code for n in range(40)]
    assert codes == [201] * 40


async def test_one_nik_is_limited_from_any_address(app: Starlette) -> None:
    """Trying one NIK over and over (someone else's, looking for its owner) is limited
    per NIK, whichever address it comes from."""
    codes = []
    for n in range(6):
        attempt = _person(0, email=f"lain{n}@example.test", phone=f"0813 0000 {n:04d}")
        codes.append(
            (
                await _client(app, f"36.80.2.{n}").post("/api/v1/applicants", json=attempt)
            ).status_code
        )
    # The NIK is registered after the first: the same answer, until the limit.
    assert codes == [201] * 5 + [429]


async def test_one_email_and_one_phone_are_limited_on_their_own(app: Starlette) -> None:
    same_email = [
        (
            await _client(app, f"36.80.3.{n}").post(
                "/api/v1/applicants", json=_person(n, email="sama@example.test")
            )
        ).status_code
        for n in range(6)
    ]
    assert same_email[-1] == 429
    same_phone = [
        (
            await _client(app, f"36.80.4.{n}").post(
                "/api/v1/applicants",
                json=_person(100 + n, phone="0812 9999 0000" if n % 2 else "+62 812-9999-0000"),
            )
        ).status_code
        for n in range(6)
    ]
    # One phone however it is written.
    assert same_phone[-1] == 429


async def test_a_trusted_help_desk_skips_the_address_ceiling(
    app: Starlette, ctx: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(web_auth.LIMITS, "register:address", [parse("3/10 minutes")])
    street = _client(app, "36.80.5.9")
    codes = [
        (await street.post("/api/v1/applicants", json=_person(200 + n))).status_code
        for n in range(4)
    ]
    assert codes == [201, 201, 201, 429]
    async with ctx.unit_of_work() as session:
        organiser = await factories.organiser(session)
        email = organiser.email
    console = _client(app, "10.9.9.9")
    assert (await sign_in(console, email, factories.PASSWORD)).status_code == 303
    page = await console.get("/organiser/networks")
    assert page.status_code == 200
    added = await console.post(
        "/organiser/networks",
        data={
            "cidr": "36.80.6.0/24",
            "label": "Meja bantuan Disnaker",
            "csrf_token": csrf_of(page.text),
        },
    )
    assert added.status_code == 303
    desk = [
        (
            await _client(app, f"36.80.6.{n % 2 + 10}").post(
                "/api/v1/applicants", json=_person(300 + n)
            )
        ).status_code
        for n in range(8)
    ]
    assert desk == [201] * 8
    listed = await console.get("/organiser/networks")
    assert "36.80.6.0/24" in listed.text and "Meja bantuan Disnaker" in listed.text
    async with ctx.read() as session:
        actions = set(await session.scalars(select(AuditLog.action)))
    assert "network.trusted" in actions


async def test_a_range_must_be_one_site_and_the_office_its_own(
    app: Starlette, ctx: AppContext
) -> None:
    async with ctx.unit_of_work() as session:
        first = await factories.organiser(session)
        second = await factories.organiser(session)
        emails = first.email, second.email
    console = _client(app, "10.9.9.1")
    await sign_in(console, emails[0], factories.PASSWORD)
    console.cookies.set("lang", "en")
    token = csrf_of((await console.get("/organiser/networks")).text)
    for cidr in ("36.0.0.0/8", "36.80.0.0/16", "2001:db8::/32", "bukan alamat", "224.0.0.1"):
        refused = await console.post(
            "/organiser/networks", data={"cidr": cidr, "label": "Lab", "csrf_token": token}
        )
        assert refused.status_code == 422, cidr
        assert 'id="cidr-error"' in refused.text
    assert "at most /24 for IPv4" in refused.text
    ok = await console.post(
        "/organiser/networks",
        data={"cidr": "36.80.7.5", "label": "Lab SMK", "csrf_token": token},
    )
    assert ok.status_code == 303
    async with ctx.read() as session:
        row = await session.scalar(select(TrustedNetwork))
    assert row is not None and row.cidr == "36.80.7.5/32"
    # Another office's organiser neither sees nor removes it.
    other = _client(app, "10.9.9.2")
    await sign_in(other, emails[1], factories.PASSWORD)
    other_page = await other.get("/organiser/networks")
    assert "36.80.7.5" not in other_page.text
    removed = await other.post(
        f"/organiser/networks/{row.id}/remove", data={"csrf_token": csrf_of(other_page.text)}
    )
    assert removed.status_code == 404
    # An applicant has no such page.
    async with ctx.unit_of_work() as session:
        person = await factories.applicant(session, vault=ctx.nik_vault)
        user = await session.get(User, person.user_id)
        assert user is not None
        user.email, user.password_hash = "pelamar@example.test", password_hash()
    applicant = _client(app, "10.9.9.3")
    assert (await sign_in(applicant, "pelamar@example.test", factories.PASSWORD)).status_code == 303
    assert (await applicant.get("/organiser/networks")).status_code == 403


async def test_trusted_ranges_are_cached_and_survive_a_read_failure() -> None:
    import ipaddress

    loads = []
    now = [0.0]

    async def load() -> tuple[networks.Network, ...]:
        loads.append(now[0])
        if len(loads) == 2:
            raise OSError("database away")
        return (ipaddress.ip_network("36.80.8.0/24"),)

    trusted = networks.TrustedAddresses(load, refresh_seconds=30, clock=lambda: now[0])
    assert await trusted.contains("36.80.8.1") and not await trusted.contains("36.80.9.1")
    assert len(loads) == 1  # read once
    now[0] = 31
    assert await trusted.contains("36.80.8.1")  # the read failed: the last ranges hold
    assert not await trusted.contains("not-an-address")
