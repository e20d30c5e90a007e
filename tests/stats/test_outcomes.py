"""Booth outcomes in the report (stats.outcomes and the ``booth_conversations`` table),
on SQLite and PostgreSQL, with hand-written expectations: conversations held, the median
wait from joining the queue to being taken, the share of queue joins that reached a
recruiter, and applications that followed a conversation with the same company."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import select
from support import factories

from jobfair.context import AppContext
from jobfair.models import Application, Booth, BoothMessage
from jobfair.models.applications import ApplicationStatus
from jobfair.models.conversations import Conversation, QueueEntry, QueueState
from jobfair.stats import exports, outcomes
from jobfair.stats.compile import build_report_data
from jobfair.stats.present import Presenter

T = datetime(2026, 11, 5, 3, 0, tzinfo=UTC)


def minutes(n: float) -> datetime:
    return T + timedelta(minutes=n)


@dataclass
class Scene:
    fair_id: int
    company_a: int
    company_b: int
    name_a: str
    name_b: str


async def _scene(ctx: AppContext) -> Scene:
    """Company A: four queue joins (three taken after 6, 18 and 30 minutes, one left)
    and one conversation from a booked slot; company B: one join taken after an hour.

    Applications: p1 → A at +10 min (after their A chat at +6: counts), p2 → A at −60
    (before any chat: no), p3 → A at +180 (after their slot chat at +120: counts), p2 → B
    at +30 (their B chat starts at +60, their A chat does not count for B: no), p1 → B
    at +120 (no chat at B: no)."""
    async with ctx.unit_of_work() as session:
        fair = await factories.fair(session)
        a = await factories.company(session)
        b = await factories.company(session)
        booth_a = await factories.booth(session, fair_row=fair, company_row=a)
        booth_b = await factories.booth(session, fair_row=fair, company_row=b)
        v1 = await factories.vacancy(session, booth_row=booth_a)
        v2 = await factories.vacancy(session, booth_row=booth_a)
        w = await factories.vacancy(session, booth_row=booth_b)
        p1, p2, p3 = [await factories.applicant(session) for _ in range(3)]

        async def chat(booth: Booth, person, joined: float | None, taken: float) -> None:  # type: ignore[no-untyped-def]
            entry_id = None
            if joined is not None:
                entry = QueueEntry(
                    fair_id=fair.id, booth_id=booth.id, applicant_id=person.id,
                    state=QueueState.TAKEN, joined_at=minutes(joined),
                    last_seen_at=minutes(taken), ended_at=minutes(taken),
                )  # fmt: skip
                session.add(entry)
                await session.flush()
                entry_id = entry.id
            session.add(
                Conversation(
                    fair_id=fair.id,
                    booth_id=booth.id,
                    applicant_id=person.id,
                    queue_entry_id=entry_id,
                    started_at=minutes(taken),
                    ended_at=minutes(taken + 10),
                )
            )

        await chat(booth_a, p1, 0, 6)
        await chat(booth_a, p2, 0, 18)
        await chat(booth_a, p1, 60, 90)
        await chat(booth_a, p3, None, 120)  # a booked slot: no queue entry
        await chat(booth_b, p2, 0, 60)
        session.add(
            QueueEntry(
                fair_id=fair.id,
                booth_id=booth_a.id,
                applicant_id=p3.id,
                state=QueueState.LEFT,
                joined_at=minutes(0),
                last_seen_at=minutes(5),
                ended_at=minutes(5),
            )
        )
        for vacancy, person, at in ((v1, p1, 10), (v1, p2, -60), (v2, p3, 180), (w, p2, 30),
                                    (w, p1, 120)):  # fmt: skip
            await factories.application(
                session, vacancy_row=vacancy, applicant_row=person, submitted_at=minutes(at)
            )
        return Scene(fair.id, a.id, b.id, a.name, b.name)


async def test_conversation_figures_per_company_and_for_the_fair(ctx: AppContext) -> None:
    scene = await _scene(ctx)
    async with ctx.read() as session:
        figures = await outcomes.conversation_figures(session, scene.fair_id)
    by_company = {f.company_id: f for f in figures}
    assert figures[-1].company_id is None
    a, b, fair = by_company[scene.company_a], by_company[scene.company_b], by_company[None]
    # A: waits 6, 18, 30 min → median 18; 4 joins, 3 taken; 2 applications after.
    assert (a.held, a.queue_joins, a.reached, a.median_wait_minutes, a.applications_after) == (
        4, 4, 3, 18.0, 2,
    )  # fmt: skip
    assert (b.held, b.queue_joins, b.reached, b.median_wait_minutes, b.applications_after) == (
        1, 1, 1, 60.0, 0,
    )  # fmt: skip
    # The fair: waits 6, 18, 30, 60 min → the mean of the middle two, 24.
    assert (fair.held, fair.queue_joins, fair.reached, fair.median_wait_minutes) == (5, 5, 4, 24.0)
    assert fair.applications_after == 2


async def test_a_fair_without_chats_has_empty_figures(ctx: AppContext) -> None:
    async with ctx.unit_of_work() as session:
        fair = await factories.fair(session)
    async with ctx.read() as session:
        figures = await outcomes.conversation_figures(session, fair.id)
    assert figures == [outcomes.ConversationFigures(None, 0, 0, 0, None, 0)]


async def test_the_report_carries_the_booth_conversations_table(ctx: AppContext) -> None:
    scene = await _scene(ctx)
    async with ctx.read() as session:
        data = await build_report_data(session, scene.fair_id, minutes(600))
    table = next(t for t in data["tables"] if t["key"] == "booth_conversations")
    rows = {row["company"]: row for row in table["rows"]}
    a = rows[scene.name_a]
    assert a["conversations"] == 4
    assert a["median_wait_minutes"] == 18.0
    assert a["queue_joins"] == 4
    assert a["reached_share"] == 0.75
    assert a["applications_after"] == 2
    assert (a["messages_left"], a["messages_answered"], a["median_answer_hours"]) == (0, 0, None)
    assert (a["slots_offered"], a["slots_booked"], a["slots_attended"]) == (0, 0, 0)
    assert rows[scene.name_b]["reached_share"] == 1.0
    totals = table["totals"]
    assert totals["conversations"] == 5
    assert totals["reached_share"] == 0.8
    assert totals["median_wait_minutes"] == 24.0
    keys = [column["key"] for column in table["columns"]]
    assert set(a) == set(keys) == set(totals)


async def test_the_exports_carry_the_table(ctx: AppContext) -> None:
    scene = await _scene(ctx)
    async with ctx.read() as session:
        data = await build_report_data(session, scene.fair_id, minutes(600))
    data["version"] = 1
    workbook = load_workbook(io.BytesIO(exports.export(data, "xlsx", "en")))
    sheet_text = {
        str(cell.value) for sheet in workbook.worksheets for row in sheet.iter_rows()
        for cell in row if cell.value is not None
    }  # fmt: skip
    assert "Queue joins that reached a recruiter" in sheet_text
    assert scene.name_a in sheet_text
    # The median wait is in minutes everywhere: a number of minutes in the workbook and
    # the CSV under a header that says so, "18 min" on the PDF (and the page).
    sheet = next(
        ws
        for ws in workbook.worksheets
        if ws["A1"].value == "Booth conversations, messages and slots"
    )
    header = [cell.value for cell in sheet[4]]
    column = header.index("Median wait in the queue (minutes)")
    row_a = next(
        row for row in sheet.iter_rows(min_row=5, values_only=True) if row[0] == scene.name_a
    )
    assert row_a[column] == 18.0
    with zipfile.ZipFile(io.BytesIO(exports.export(data, "csv", "id"))) as archive:
        text = "".join(archive.read(name).decode("utf-8-sig") for name in archive.namelist())
    assert "Antrean yang sampai ke perekrut" in text
    assert "Median waktu tunggu di antrean (menit)" in text
    pdf = PdfReader(io.BytesIO(exports.export(data, "pdf", "en")))
    pdf_text = "".join(page.extract_text() for page in pdf.pages)
    assert "Booth conversations" in pdf_text
    assert "18 min" in pdf_text and "24 min" in pdf_text


def test_minutes_are_whole_and_rounded_up() -> None:
    en, id_ = Presenter.of("en"), Presenter.of("id")
    assert [en.minutes(v) for v in (18.0, 0.3, 4.01, 0, None)] == [
        "18 min", "1 min", "5 min", "0 min", "–",
    ]  # fmt: skip
    assert id_.minutes(1234) == "1.234 menit"
    assert en.cell(24.0, {"kind": "duration_minutes"}) == "24 min"
    # Reports compiled before keep their hours.
    assert en.cell(0.4, {"kind": "duration_hours"}) == "0.4 h"


async def test_applications_after_count_withdrawn_ones_like_the_report(ctx: AppContext) -> None:
    """The report counts every application of the fair, withdrawn ones included
    (definitions ``applications``); so do the applications after a conversation."""
    scene = await _scene(ctx)
    async with ctx.unit_of_work() as session:
        before = {
            f.company_id: f.applications_after
            for f in await outcomes.conversation_figures(session, scene.fair_id)
        }
        for application in await session.scalars(
            select(Application).where(Application.fair_id == scene.fair_id)
        ):
            application.status = ApplicationStatus.WITHDRAWN
            application.released_status = ApplicationStatus.WITHDRAWN
    async with ctx.read() as session:
        after = {
            f.company_id: f.applications_after
            for f in await outcomes.conversation_figures(session, scene.fair_id)
        }
        data = await build_report_data(session, scene.fair_id, minutes(600))
    assert after == before and after[scene.company_a] == 2
    headline = {item["key"]: item["value"] for item in data["headline"]}
    assert headline["applications"] == 5  # withdrawn, still counted
    definitions = next(t for t in data["tables"] if t["key"] == "booth_conversations")["definition"]
    assert "withdrawn ones included" in definitions


async def test_the_report_shows_the_booth_message_figures(ctx: AppContext) -> None:
    """The table's message columns are message_figures' (one home): B answers one of two
    messages after 3 hours."""
    scene = await _scene(ctx)
    async with ctx.unit_of_work() as session:
        booth_b = await session.scalar(select(Booth).where(Booth.company_id == scene.company_b))
        person = await factories.applicant(session)
        for answered in (minutes(180), None):
            session.add(
                BoothMessage(
                    booth_id=booth_b.id,
                    applicant_id=person.id,
                    body="Halo",
                    created_at=minutes(0),
                    answered_at=answered,
                    answer="Baik" if answered else None,
                )
            )
    async with ctx.read() as session:
        data = await build_report_data(session, scene.fair_id, minutes(600))
        figures = await outcomes.message_figures(session, scene.fair_id)
    table = next(t for t in data["tables"] if t["key"] == "booth_conversations")
    b = next(row for row in table["rows"] if row["company"] == scene.name_b)
    assert (b["messages_left"], b["messages_answered"], b["median_answer_hours"]) == (2, 1, 3.0)
    fair = figures[-1]
    totals = table["totals"]
    assert (totals["messages_left"], totals["messages_answered"]) == (fair.left, fair.answered)
    assert totals["median_answer_hours"] == fair.median_hours_to_answer == 3.0
