"""The organiser console's fair rules: fairs by the events/ rules, lifecycle actions and
the console home, each audited and scoped to the organiser's office."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select
from support import factories
from support.console import FORM, NOW
from support.console import actions as _actions
from support.console import user as _user
from support.console import world as _world

from jobfair import i18n
from jobfair.context import AppContext
from jobfair.models import AuditLog, Fair, LabourOffice
from jobfair.models.fairs import FairStatus
from jobfair.services import fairs
from jobfair.services.errors import Conflict, ValidationFailed


@pytest.fixture(autouse=True)
def english() -> None:
    i18n.set_locale("en")


# ------------------------------------------------------------------------ fairs


async def test_create_fair_stores_a_draft_in_the_office_and_audits(ctx: AppContext) -> None:
    ids = await _world(ctx)
    me = await _user(ctx, ids["me"])
    async with ctx.unit_of_work() as session:
        fair = await fairs.create_fair(session, me, FORM, ["12.09", "12.08"], NOW)
        fair_id = fair.id
    async with ctx.read() as session:
        fair = await session.get(Fair, fair_id)
        assert fair is not None
        assert fair.office_id == ids["office"] and fair.status == FairStatus.DRAFT
        # Wall time in WIB (UTC+7).
        assert fair.opens_at == datetime(2027, 1, 11, 1, 0, tzinfo=UTC)
        assert fair.decision_deadline == datetime(2027, 2, 1, 9, 0, tzinfo=UTC)
        assert fair.host_regency_codes == ["12.08", "12.09"]
        assert (fair.local_hiring_target, fair.application_cap) == (60, 10)
        assert fair.description == "Untuk warga Asahan."
    assert await _actions(ctx, fair_id=fair_id) == ["fair.created"]
    entry_actor = await _actions(ctx, actor_user_id=ids["me"])
    assert entry_actor == ["fair.created"]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"closes_at": "2027-01-10T08:00"}, "closes_at"),
        ({"registration_opens_at": "2027-01-12T08:00"}, "registration_opens_at"),
        ({"decision_deadline": "2027-01-17T08:00"}, "decision_deadline"),
        ({"timezone": "Europe/Berlin"}, "timezone"),
        ({"application_cap": "0"}, "application_cap"),
        ({"application_cap": "-3"}, "application_cap"),
        ({"application_cap": "banyak"}, "application_cap"),
        ({"local_hiring_target": "101"}, "local_hiring_target"),
        ({"slug": "Bursa Kerja"}, "slug"),
        ({"slug": "new"}, "slug"),
        ({"name": "  "}, "name"),
        ({"opens_at": "besok"}, "opens_at"),
        ({"opens_at": ""}, "opens_at"),
    ],
)
async def test_create_fair_refuses_what_a_definition_file_may_not_hold(
    ctx: AppContext, changes: dict[str, str], field: str
) -> None:
    ids = await _world(ctx)
    me = await _user(ctx, ids["me"])
    async with ctx.unit_of_work() as session:
        with pytest.raises(ValidationFailed) as caught:
            await fairs.create_fair(session, me, {**FORM, **changes}, [], NOW)
    assert field in caught.value.fields
    assert "opens_at" not in caught.value.fields or field == "opens_at"
    async with ctx.read() as session:
        assert await session.scalar(select(func.count()).select_from(Fair)) == 0


async def test_create_fair_refuses_bad_hosts_and_a_taken_slug(ctx: AppContext) -> None:
    ids = await _world(ctx)
    me = await _user(ctx, ids["me"])
    async with ctx.unit_of_work() as session:
        with pytest.raises(ValidationFailed) as caught:
            await fairs.create_fair(session, me, FORM, ["99.99"], NOW)
        assert "host_regency_codes" in caught.value.fields
    async with ctx.unit_of_work() as session:
        await factories.fair(session, slug=FORM["slug"])
    async with ctx.unit_of_work() as session:
        with pytest.raises(Conflict) as taken:
            await fairs.create_fair(session, me, FORM, [], NOW)
    assert taken.value.fields == {"slug": "Another fair already uses this address."}


async def test_admin_names_the_office(ctx: AppContext) -> None:
    ids = await _world(ctx)
    admin = await _user(ctx, ids["admin"])
    async with ctx.unit_of_work() as session:
        with pytest.raises(ValidationFailed) as caught:
            await fairs.create_fair(session, admin, FORM, [], NOW)
        assert "office" in caught.value.fields
    async with ctx.unit_of_work() as session:
        fair = await fairs.create_fair(
            session, admin, {**FORM, "office": str(ids["office"])}, [], NOW
        )
        assert fair.office_id == ids["office"]


async def test_update_fair_changes_settings_and_audits_the_fields(ctx: AppContext) -> None:
    ids = await _world(ctx)
    me = await _user(ctx, ids["me"])
    async with ctx.unit_of_work() as session:
        fair = await fairs.create_fair(session, me, FORM, ["12.09"], NOW)
        slug, fair_id = fair.slug, fair.id
    changed = {**FORM, "name": "Bursa Baru", "timezone": "Asia/Makassar", "application_cap": ""}
    async with ctx.unit_of_work() as session:
        await fairs.update_fair(session, me, slug, changed, ["12.09", "12.10"], NOW)
    async with ctx.read() as session:
        fair = await session.get(Fair, fair_id)
        assert fair is not None and fair.name == "Bursa Baru"
        assert fair.application_cap is None and fair.host_regency_codes == ["12.09", "12.10"]
        # The same wall time, now read in WITA (UTC+8).
        assert fair.opens_at == datetime(2027, 1, 11, 0, 0, tzinfo=UTC)
        entry = await session.scalar(
            select(AuditLog).where(AuditLog.action == "fair.updated", AuditLog.fair_id == fair_id)
        )
    assert entry is not None and entry.actor_user_id == ids["me"]
    assert set(entry.data["fields"]) >= {"name", "timezone", "application_cap", "opens_at"}
    async with ctx.unit_of_work() as session:
        with pytest.raises(ValidationFailed) as caught:
            await fairs.update_fair(
                session, me, slug, {**changed, "closes_at": "2027-01-01T08:00"}, [], NOW
            )
        assert "closes_at" in caught.value.fields


async def test_a_published_fair_keeps_its_window_on_edit(ctx: AppContext) -> None:
    ids = await _world(ctx)
    me = await _user(ctx, ids["me"])
    async with ctx.unit_of_work() as session:
        fair = await factories.fair(
            session, office_row=await session.get_one(LabourOffice, ids["office"])
        )
        slug, opens_at = fair.slug, fair.opens_at
    form = {**FORM, "opens_at": "2030-01-01T08:00", "name": "Nama Baru"}
    async with ctx.unit_of_work() as session:
        await fairs.update_fair(session, me, slug, form, ["12.09"], NOW)
    async with ctx.read() as session:
        fair = await session.scalar(select(Fair).where(Fair.slug == slug))
        assert fair is not None and fair.name == "Nama Baru" and fair.opens_at == opens_at
        assert fair.slug == slug


async def test_lifecycle_actions_are_audited_and_refused_as_the_service_refuses(
    ctx: AppContext,
) -> None:
    ids = await _world(ctx)
    me = await _user(ctx, ids["me"])
    async with ctx.unit_of_work() as session:
        fair = await fairs.create_fair(session, me, FORM, [], NOW)
        slug, fair_id, closes = fair.slug, fair.id, fair.closes_at
        gap = fair.decision_deadline - fair.closes_at
    async with ctx.unit_of_work() as session:
        await fairs.publish_fair(session, me, slug, NOW)
    async with ctx.unit_of_work() as session:
        with pytest.raises(Conflict, match="already published"):
            await fairs.publish_fair(session, me, slug, NOW)
    async with ctx.unit_of_work() as session:
        with pytest.raises(ValidationFailed) as earlier:
            await fairs.extend_fair(session, me, slug, "2027-01-17T08:00", "", NOW)
        assert earlier.value.fields == {
            "closes_at": "The new close must be later than the current close."
        }
        with pytest.raises(ValidationFailed) as unreadable:
            await fairs.extend_fair(session, me, slug, "lusa", "", NOW)
        assert "closes_at" in unreadable.value.fields
    async with ctx.unit_of_work() as session:
        await fairs.extend_fair(session, me, slug, "2027-01-20T16:00", "", NOW)
    async with ctx.read() as session:
        fair = await session.get(Fair, fair_id)
        assert fair is not None and fair.closes_at == closes + timedelta(days=2)
        assert fair.decision_deadline - fair.closes_at == gap
    async with ctx.unit_of_work() as session:
        with pytest.raises(ValidationFailed) as unconfirmed:
            await fairs.cancel_fair(session, me, slug, False, NOW)
        assert "confirm" in unconfirmed.value.fields
    async with ctx.unit_of_work() as session:
        await fairs.cancel_fair(session, me, slug, True, NOW)
    async with ctx.unit_of_work() as session:
        with pytest.raises(Conflict, match="cancelled fair cannot be extended"):
            await fairs.extend_fair(session, me, slug, "2027-01-25T16:00", "", NOW)
        with pytest.raises(Conflict):
            await fairs.update_fair(session, me, slug, FORM, [], NOW)
    async with ctx.read() as session:
        fair = await session.get(Fair, fair_id)
        assert fair is not None and fair.status == FairStatus.CANCELLED
    assert await _actions(ctx, fair_id=fair_id) == [
        "fair.created",
        "fair.published",
        "fair.extended",
        "fair.cancelled",
    ]


async def test_a_closed_fair_cannot_be_cancelled(ctx: AppContext) -> None:
    ids = await _world(ctx)
    me = await _user(ctx, ids["me"])
    async with ctx.unit_of_work() as session:
        office = await session.get_one(LabourOffice, ids["office"])
        fair = await factories.fair(session, office_row=office)
        slug, after = fair.slug, fair.closes_at + timedelta(hours=1)
    async with ctx.unit_of_work() as session:
        with pytest.raises(Conflict, match="closed cannot be cancelled"):
            await fairs.cancel_fair(session, me, slug, True, after)


async def test_console_home_counts_the_offices_work(ctx: AppContext) -> None:
    ids = await _world(ctx)
    me = await _user(ctx, ids["me"])
    async with ctx.unit_of_work() as session:
        office = await session.get_one(LabourOffice, ids["office"])
        fair = await factories.fair(session, office_row=office)
        pending = await factories.company(session, verification="pending")
        booth = await factories.booth(
            session, fair_row=fair, company_row=pending, status="requested"
        )
        approved = await factories.booth(session, fair_row=fair)
        await factories.vacancy(session, booth_row=booth, verification="pending")
        await factories.vacancy(session, booth_row=approved, verification="pending")
        await factories.vacancy(session, booth_row=approved)
        # Another office's fair and its pending company do not count.
        other = await factories.fair(session)
        await factories.booth(
            session,
            fair_row=other,
            company_row=await factories.company(session, verification="pending"),
            status="requested",
        )
    async with ctx.read() as session:
        home = await fairs.console_home(session, me, NOW)
    assert [row.fair.id for row in home.fairs] == [fair.id]
    row = home.fairs[0]
    assert (row.booths_waiting, row.vacancies_waiting) == (1, 2)
    assert (row.counts.companies, row.counts.vacancies) == (1, 1)
    assert (home.companies_waiting, home.booths_waiting, home.vacancies_waiting) == (1, 1, 2)


def test_the_console_and_definition_files_share_one_rule_book() -> None:
    """A value a definition file may not hold is refused by the console for the same
    field, and the reserved slug is refused in files too."""
    from jobfair.definitions.schema import DefinitionError, parse_fair_text

    text = """format = 1
[office]
slug = "disnaker-uji"
name = "Disnaker Uji"
[fair]
slug = "new"
name = "Bursa"
timezone = "Asia/Jakarta"
opens_at = 2027-01-11 08:00:00
closes_at = 2027-01-10 08:00:00
decision_deadline = 2027-01-09 08:00:00
application_cap = 0
"""
    with pytest.raises(DefinitionError) as caught:
        parse_fair_text(text, file="uji.toml")
    where = {problem.where for problem in caught.value.problems}
    assert where == {
        "fair.slug",
        "fair.closes_at",
        "fair.decision_deadline",
        "fair.application_cap",
    }
    form = {
        **FORM,
        "slug": "new",
        "closes_at": "2027-01-10T08:00",
        "decision_deadline": "2027-01-09T08:00",
        "application_cap": "0",
    }
    definition, errors = fairs.check_fair_form(form, [])
    assert definition is None
    assert set(errors) == {key.removeprefix("fair.") for key in where}
    good, none = fairs.check_fair_form(FORM, ["12.09"])
    assert none == {} and good is not None and good.host_regency_codes == ("12.09",)


def test_the_fair_forms_words_name_the_rules_own_limits() -> None:
    # The messages take their numbers from the rules, so a changed limit changes both.
    from jobfair.definitions.schema import APPLICATION_CAP_MAX, FAIR_SLUG_MAX
    from jobfair.schemas.companies import TITLE_MAX

    i18n.set_locale("en")
    form = {
        **FORM,
        "slug": "a" * (FAIR_SLUG_MAX + 1),
        "name": "N" * (TITLE_MAX + 1),
        "application_cap": str(APPLICATION_CAP_MAX + 1),
    }
    definition, errors = fairs.check_fair_form(form, [])
    assert definition is None
    assert f"at most {FAIR_SLUG_MAX} characters" in errors["slug"]
    assert f"to {TITLE_MAX} characters" in errors["name"]
    assert f"from 1 to {APPLICATION_CAP_MAX}," in errors["application_cap"]
    fits = {**FORM, "slug": "a" * FAIR_SLUG_MAX, "name": "N" * TITLE_MAX}
    assert fairs.check_fair_form(fits, [])[1] == {}


def test_the_fair_form_refuses_misshapen_times_and_numbers_in_its_own_words() -> None:
    i18n.set_locale("en")
    form = {
        **FORM,
        "opens_at": "besok pagi",
        "application_cap": "dua",
        "closes_at": "2027-02-30T08:00",
    }
    definition, errors = fairs.check_fair_form(form, [])
    assert definition is None
    assert errors["opens_at"] == "Enter a date and a time, for example 2026-11-03 08:00."
    assert errors["closes_at"] == errors["opens_at"]  # no 30 February
    assert errors["application_cap"].startswith("Enter a number from 1 to")
    spaced = {**FORM, "name": "  Bursa  ", "application_cap": " 5 "}
    good, none = fairs.check_fair_form(spaced, [])
    assert none == {} and good is not None
    assert good.name == "Bursa" and good.application_cap == 5
