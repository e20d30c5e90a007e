"""In-app notifications: the one writer and reader of the ``notifications`` table.

A notification stores what happened, not finished text: a ``kind`` and its ``params``
(ids, the names of the vacancy and company, status codes). It is worded when it is
shown, in the language of that request, so an applicant who was on the Indonesian site
when a company answered reads the notification in English on ``?lang=en`` — and its text
is its own short one, not the e-mail's body (which is written once, in the language the
user had, because it leaves the site).

Rows written before kinds existed (migration 0014) have only ``subject`` and ``body``,
in the language of their day; they are shown as they are.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ScalarSelect, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from jobfair import i18n
from jobfair.i18n import N_, gettext
from jobfair.models import Notification, User
from jobfair.models.applications import ApplicationStatus as S
from jobfair.services import authority
from jobfair.services.mail import queue_mail
from jobfair.services.times import local_datetime

INBOX_LIMIT = 50

# The kind of a decision notification: companies answered, or the deadline closed them.
DECISIONS = "decisions"

# What the applicant is told, per released status: in the notification and the e-mail.
STATUS_WORDS = {
    S.REVIEWED: N_("Your application has been seen by the company."),
    S.SHORTLISTED: N_("You are on the shortlist."),
    S.INTERVIEW: N_("You are invited to an interview; the company will contact you."),
    S.OFFERED: N_("The company offers you the job."),
    S.HIRED: N_("You are hired. Please confirm it in your account."),
    S.REJECTED: N_("You were not selected this time."),
    S.UNANSWERED: N_("The company did not answer before the fair's decision deadline."),
    S.UNDECIDED: N_(
        "The company did not give a final decision before the fair's decision deadline; "
        "this application is closed."
    ),
}

# Why decisions reached the applicant, by a key stored in the row (a reworded message id
# must not strand the rows written before it).
INTROS = {
    "answered": N_("Companies have answered your applications:"),
    "deadline": N_("The fair's decision deadline has passed. Your open applications are closed:"),
}


WITH_MESSAGE = N_("The company sent you a message with it.")


def status_words(status: str) -> str:
    words = STATUS_WORDS.get(status)
    return gettext(words) if words else status


@dataclass(frozen=True)
class DecisionItem:
    """One application a decision notification is about."""

    application_id: int
    vacancy: str
    company: str
    status: str
    # The company wrote a message with the decision: it is read on the application's
    # page, which the notification links to (the e-mail carries it in full).
    message: bool = False

    @property
    def title(self) -> str:
        return f"{self.vacancy} — {self.company}" if self.company else self.vacancy


def decisions_row(
    user_id: int, intro: str, items: Iterable[DecisionItem], link: str | None, now: datetime
) -> dict[str, Any]:
    """The values of one decision notification, for a bulk insert (thousands of
    decisions released at once stay one statement)."""
    if intro not in INTROS:
        raise ValueError(f"unknown intro {intro!r}")
    return {
        "user_id": user_id,
        "kind": DECISIONS,
        "params": {
            "intro": intro,
            "items": [
                {
                    "application_id": item.application_id,
                    "vacancy": item.vacancy,
                    "company": item.company,
                    "status": item.status,
                    "message": item.message,
                }
                for item in items
            ],
        },
        "link": link,
        "created_at": now,
    }


async def write(session: AsyncSession, rows: list[dict[str, Any]]) -> None:
    """Write notifications made by :func:`decisions_row`, in one statement."""
    if rows:
        await session.execute(insert(Notification), rows)


# ------------------------------------------------------------------ reading


@dataclass(frozen=True)
class Line:
    """One line of a notification: what it is about (a link to the application when
    ``application_id`` is set) and what happened to it."""

    title: str
    outcome: str
    application_id: int | None = None
    message: bool = False
    # A page of its own to open (a drive's direct placement), when not an application.
    link: str | None = None

    @property
    def about_message(self) -> str:
        """That a message came with the decision (read on the application's page)."""
        return gettext(WITH_MESSAGE) if self.message else ""


@dataclass(frozen=True)
class Shown:
    """A notification worded in the current language."""

    id: int
    subject: str
    intro: str
    lines: tuple[Line, ...]
    link: str | None
    created_at: datetime
    read_at: datetime | None
    # What the link is called; empty: the applications page (the decisions' link).
    link_label: str = ""

    @property
    def unread(self) -> bool:
        return self.read_at is None

    @property
    def text(self) -> str:
        """The plain text (the JSON API, the data download)."""
        lines = [
            (f"• {line.title}: {line.outcome}" if line.title else line.outcome)
            + (f" {line.about_message}" if line.message else "")
            for line in self.lines
        ]
        return "\n".join([self.intro, *lines] if self.intro else lines)


def _decisions(params: Mapping[str, Any]) -> tuple[str, str, tuple[Line, ...]]:
    lines = tuple(
        Line(
            title=DecisionItem(
                application_id=int(item.get("application_id") or 0),
                vacancy=str(item.get("vacancy", "")),
                company=str(item.get("company", "")),
                status=str(item.get("status", "")),
            ).title,
            outcome=status_words(str(item.get("status", ""))),
            application_id=item.get("application_id"),
            message=bool(item.get("message")),
        )
        for item in params.get("items", [])
    )
    intro = INTROS.get(str(params.get("intro")), INTROS["answered"])
    return gettext("News about your applications"), gettext(intro), lines


# The kind that asks the applicant to confirm a hire reported against a hiring drive
# outside any fair (services.drives); its link opens the answer page.
DIRECT_PLACEMENT = "direct_placement"


def _direct_placement(params: Mapping[str, Any]) -> tuple[str, str, tuple[Line, ...]]:
    line = Line(
        title=f"{params.get('job', '')} — {params.get('company', '')}",
        outcome=gettext(
            "The company reports that it hired you. Please confirm it in your account."
        ),
        link=str(params["link"]) if params.get("link") else None,
    )
    intro = gettext("A hire for %(drive)s:", drive=str(params.get("drive", "")))
    return gettext("Please confirm your hire"), intro, (line,)


# The kinds of the booth's 1:1 slots and messages (jobfair.services.booth_slots).
SLOT_REMINDER = "slot_reminder"
SLOT_CANCELLED = "slot_cancelled"
MESSAGE_ANSWERED = "message_answered"

BOOTH_LINK = N_("See my slots and messages")


def row(
    user_id: int, kind: str, params: dict[str, Any], link: str | None, now: datetime
) -> dict[str, Any]:
    """The values of one notification of ``kind`` (one of WORDING's), for :func:`write`."""
    if kind not in WORDING:
        raise ValueError(f"unknown kind {kind!r}")
    return {"user_id": user_id, "kind": kind, "params": params, "link": link, "created_at": now}


async def tell(
    session: AsyncSession,
    *,
    user: User,
    kind: str,
    params: dict[str, Any],
    path: str | None,
    base_url: str,
    now: datetime,
    dedupe_key: str,
    subject: str,
    body: str,
    words: Mapping[str, Any],
) -> None:
    """An in-app notification of ``kind`` (linking to ``path``) and, when the user has
    an address, the mail: ``subject`` and ``body`` are message ids worded in the user's
    language (``body`` with ``words`` for its placeholders), the mail's link absolute."""
    await write(session, [row(user.id, kind, params, path, now)])
    if not user.email:
        return
    link = base_url.rstrip("/") + path if path else None
    with i18n.using(user.locale):
        text = gettext(body, **words)
        if link:
            text += "\n\n" + gettext("See the details in your account: %(link)s", link=link)
        title = gettext(subject)
    await queue_mail(
        session,
        to_address=user.email,
        subject=title,
        body=text,
        dedupe_key=dedupe_key,
        user_id=user.id,
    )


def _slot_time(params: Mapping[str, Any]) -> str:
    try:
        moment = datetime.fromisoformat(str(params.get("starts_at")))
    except ValueError:
        return ""
    return local_datetime(moment, str(params.get("timezone") or "Asia/Jakarta"))


def _slot_reminder(params: Mapping[str, Any]) -> tuple[str, str, tuple[Line, ...]]:
    outcome = gettext("Your 1:1 slot starts at %(time)s.", time=_slot_time(params))
    line = Line(title=str(params.get("company", "")), outcome=outcome)
    return gettext("Your slot with a company starts soon"), "", (line,)


def _slot_cancelled(params: Mapping[str, Any]) -> tuple[str, str, tuple[Line, ...]]:
    outcome = gettext(
        "The company cancelled your slot at %(time)s. You may book another one.",
        time=_slot_time(params),
    )
    line = Line(title=str(params.get("company", "")), outcome=outcome)
    return gettext("A booked slot was cancelled"), "", (line,)


def _message_answered(params: Mapping[str, Any]) -> tuple[str, str, tuple[Line, ...]]:
    outcome = gettext("The company answered the message you left at its booth.")
    line = Line(title=str(params.get("company", "")), outcome=outcome)
    return gettext("A company answered your message"), "", (line,)


# A recruiter invited the applicant, after a booth chat, to apply to a vacancy of the
# booth (services.conversations.record_outcome); its link opens the vacancy's page,
# where the applicant applies.
APPLY_INVITATION = "apply_invitation"
APPLY_LINK = N_("See the vacancy and apply")


def _apply_invitation(params: Mapping[str, Any]) -> tuple[str, str, tuple[Line, ...]]:
    line = Line(
        title=f"{params.get('vacancy', '')} — {params.get('company', '')}",
        outcome=gettext("After your chat, the company invites you to apply for this vacancy."),
        link=str(params["link"]) if params.get("link") else None,
    )
    return gettext("A company invites you to apply"), "", (line,)


# kind → what its link is called (the decisions' link: the applications page).
LINK_LABELS = {
    SLOT_REMINDER: BOOTH_LINK,
    SLOT_CANCELLED: BOOTH_LINK,
    MESSAGE_ANSWERED: BOOTH_LINK,
    APPLY_INVITATION: APPLY_LINK,
}


# kind → its wording: (subject, intro, lines) from the stored params.
WORDING: dict[str, Callable[[Mapping[str, Any]], tuple[str, str, tuple[Line, ...]]]] = {
    DECISIONS: _decisions,
    DIRECT_PLACEMENT: _direct_placement,
    SLOT_REMINDER: _slot_reminder,
    SLOT_CANCELLED: _slot_cancelled,
    MESSAGE_ANSWERED: _message_answered,
    APPLY_INVITATION: _apply_invitation,
}


def shown(row: Notification) -> Shown:
    wording = WORDING.get(row.kind or "")
    if wording is not None:
        subject, intro, lines = wording(row.params or {})
    else:
        # Written before kinds (or of a kind this version does not know): as stored.
        subject, intro = row.subject or gettext("Notification"), ""
        lines = (Line(title="", outcome=row.body or ""),)
    return Shown(
        id=row.id,
        subject=subject,
        intro=intro,
        lines=lines,
        link=row.link,
        created_at=row.created_at,
        read_at=row.read_at,
        link_label=gettext(LINK_LABELS[row.kind]) if row.kind in LINK_LABELS else "",
    )


async def inbox(session: AsyncSession, user: User, limit: int = INBOX_LIMIT) -> list[Shown]:
    """The user's notifications, newest first, worded in the current language."""
    rows = await session.scalars(
        select(Notification)
        .where(Notification.user_id == user.id)
        .order_by(Notification.created_at.desc(), Notification.id.desc())
        .limit(limit)
    )
    return [shown(row) for row in rows]


async def everything_of(session: AsyncSession, user_id: int) -> list[Shown]:
    """Every notification of the user, oldest first (the data download)."""
    rows = await session.scalars(
        select(Notification).where(Notification.user_id == user_id).order_by(Notification.id)
    )
    return [shown(row) for row in rows]


def unread_of(user_id: InstrumentedAttribute[int] | int) -> ScalarSelect[int]:
    """How many unread notifications the user has, as a subquery: the header's badge
    comes with the session lookup every page makes, not in a query of its own."""
    return (
        select(func.count(Notification.id))
        .where(Notification.user_id == user_id, Notification.read_at.is_(None))
        .scalar_subquery()
    )


async def unread_count(session: AsyncSession, user_id: int) -> int:
    return await session.scalar(select(unread_of(user_id))) or 0


async def mark_read(
    session: AsyncSession, user: User, now: datetime, notification_id: int | None = None
) -> None:
    """Mark one notification (or all) of the user read. Another user's id, or an unknown
    one, is not found; one read before is left as it is."""
    if notification_id is not None:
        owner = await session.scalar(
            select(Notification.user_id).where(Notification.id == notification_id)
        )
        if owner != user.id:
            raise authority.not_found()
    query = update(Notification).where(
        Notification.user_id == user.id, Notification.read_at.is_(None)
    )
    if notification_id is not None:
        query = query.where(Notification.id == notification_id)
    await session.execute(query.values(read_at=now))
