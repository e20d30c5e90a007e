"""The applicant's own data as people read it: sections with headings, for the page and
the PDF. The data is the one collection of ``services.applicants.export_my_data`` (the
JSON download, unchanged); here it is only labelled, in the current language, with
codes turned into words and times into the local clock."""

from __future__ import annotations

import io
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from xml.sax.saxutils import escape

from jobfair.i18n import gettext, ngettext
from jobfair.models.applications import status_label
from jobfair.models.booth_slots import booking_state_label
from jobfair.web.templating import (
    disability_label,
    education_label,
    kbji_label,
    local_datetime,
    long_date,
    number,
    regency_name,
    sex_label,
)

EMPTY = "—"


@dataclass(frozen=True)
class Item:
    """One labelled value."""

    label: str
    value: str


@dataclass
class Part:
    """A section (or one entry of a section: an application, a notification)."""

    title: str
    items: list[Item] = field(default_factory=list)
    entries: list[Part] = field(default_factory=list)
    # Shown when the section holds nothing.
    empty: str = ""
    # Free text lines under the items (a notification's text).
    lines: list[str] = field(default_factory=list)


def _when(value: str | None) -> str:
    if not value:
        return EMPTY
    return local_datetime(datetime.fromisoformat(value))


def _day(value: str | None) -> str:
    return long_date(date.fromisoformat(value)) if value else EMPTY


def _text(value: Any) -> str:
    if value is None or value == "" or value == []:
        return EMPTY
    return str(value)


def _sex(code: str | None) -> str:
    return sex_label(code) if code else EMPTY


def _role(code: str) -> str:
    return {
        "applicant": gettext("Applicant"),
        "recruiter": gettext("Recruiter"),
        "organiser": gettext("Organiser"),
        "admin": gettext("Administrator"),
    }.get(code, code)


def sections(data: Mapping[str, Any]) -> list[Part]:
    """The data download, section by section, in the current language."""
    account = data.get("account", {})
    profile = data.get("profile", {})
    cv = data.get("cv")
    parts = [
        Part(
            gettext("Account"),
            [
                Item(gettext("Full name"), _text(account.get("full_name"))),
                Item(gettext("E-mail"), _text(account.get("email"))),
                Item(gettext("Mobile number"), _text(account.get("phone"))),
                Item(gettext("Role"), _role(str(account.get("role", "")))),
                Item(gettext("Registered"), _when(account.get("created_at"))),
                Item(gettext("Last sign-in"), _when(account.get("last_login_at"))),
            ],
        ),
        Part(
            gettext("My profile"),
            [
                Item("NIK", _text(profile.get("nik"))),
                Item(gettext("Sex"), _sex(profile.get("sex"))),
                Item(gettext("Birth date"), _day(profile.get("birth_date"))),
                Item(gettext("Place of birth"), _text(profile.get("birth_place"))),
                Item(
                    gettext("Highest education"),
                    education_label(str(profile.get("education_level", ""))),
                ),
                Item(gettext("Major"), _text(profile.get("education_major"))),
                Item(gettext("School or university"), _text(profile.get("institution"))),
                Item(gettext("Graduation year"), _text(profile.get("graduation_year"))),
                Item(gettext("Work experience in years"), _text(profile.get("experience_years"))),
                Item(
                    gettext("Occupation you are looking for (KBJI 2014)"),
                    f"{kbji_label(code)} (KBJI {code})"
                    if (code := profile.get("sought_kbji_code"))
                    else EMPTY,
                ),
                Item(
                    gettext("Regency or city on your KTP"),
                    regency_name(str(profile.get("ktp_regency_code", ""))),
                ),
                Item(
                    gettext("Where you live now"),
                    regency_name(str(profile.get("domicile_regency_code", ""))),
                ),
                Item(
                    gettext("Disability"),
                    ", ".join(disability_label(kind) for kind in profile.get("disability", []))
                    or EMPTY,
                ),
                Item(gettext("AK/I card number"), _text(profile.get("ak1_number"))),
                Item(gettext("Skills"), _text(profile.get("skills"))),
                Item(gettext("Consent given"), _when(profile.get("consent_at"))),
                Item(gettext("Consent version"), _text(profile.get("consent_version"))),
                Item(
                    gettext("Consent to be shared with the ministry (SIAPkerja)"),
                    _when(profile.get("interchange_consent_at"))
                    if profile.get("interchange_consent_at")
                    else gettext("not given"),
                ),
                Item(
                    gettext("Consent to be shared with the ministry withdrawn"),
                    _when(profile.get("interchange_consent_withdrawn_at")),
                ),
                Item(
                    gettext("Registered by a placement officer"),
                    gettext("yes") if profile.get("assisted") else gettext("no"),
                ),
            ],
        ),
        Part(
            gettext("My CV"),
            []
            if cv is None
            else [
                Item(gettext("File"), _text(cv.get("filename"))),
                Item(
                    gettext("Size"),
                    gettext("%(size)s KB", size=number(round(cv.get("size_bytes", 0) / 1024))),
                ),
                Item("SHA-256", _text(cv.get("sha256"))),
                Item(gettext("Uploaded"), _when(cv.get("uploaded_at"))),
            ],
            empty=gettext("You have not uploaded a CV yet."),
        ),
        Part(
            gettext("Who viewed my CV"),
            [
                Item(view.get("company") or gettext("A company"), _when(view.get("viewed_at")))
                for view in data.get("cv_views", [])
            ],
            empty=gettext("No company has opened your CV yet."),
        ),
        Part(
            gettext("My applications"),
            entries=[_application(one) for one in data.get("applications", [])],
            empty=gettext("You have not applied yet."),
        ),
        Part(
            gettext("My booth chats"),
            entries=[_chat(one) for one in data.get("booth_chats", [])],
            empty=gettext("You have not chatted with a recruiter yet."),
        ),
        Part(
            gettext("My 1:1 slots"),
            entries=[_booking(one) for one in data.get("slot_bookings", [])],
            empty=gettext("You have not booked a slot yet."),
        ),
        Part(
            gettext("My messages to booths"),
            entries=[_message(one) for one in data.get("booth_messages", [])],
            empty=gettext("You have not left a booth a message yet."),
        ),
        Part(
            gettext("Notifications"),
            entries=[
                Part(
                    f"{note.get('subject', '')} · {_when(note.get('created_at'))}",
                    [
                        Item(
                            gettext("Read"),
                            _when(note["read_at"]) if note.get("read_at") else gettext("Not yet"),
                        )
                    ],
                    lines=str(note.get("body", "")).splitlines(),
                )
                for note in data.get("notifications", [])
            ],
            empty=gettext("No notifications yet."),
        ),
    ]
    return parts


def _application(one: Mapping[str, Any]) -> Part:
    rating = one.get("rating")
    items = [
        Item(gettext("Fair"), _text(one.get("fair"))),
        Item(gettext("Status"), status_label(str(one.get("status", "")))),
        Item(gettext("Sent"), _when(one.get("submitted_at"))),
        Item(
            gettext("The company's rating"),
            EMPTY if rating is None else ngettext("%(num)s star", "%(num)s stars", int(rating)),
        ),
    ]
    # The timeline and the company's notes, each line under its time.
    items += [
        Item(
            _when(event.get("at")),
            status_label(str(event.get("status", "")))
            + (f": {event['note']}" if event.get("note") else ""),
        )
        for event in one.get("timeline", [])
    ]
    items += [
        Item(_when(note.get("written_at")), f"{gettext('Note by the company')}: {note['body']}")
        for note in one.get("recruiter_notes", [])
    ]
    return Part(f"{one.get('vacancy', '')} — {one.get('company', '')}", items)


def _chat(one: Mapping[str, Any]) -> Part:
    senders = {
        "applicant": gettext("You"),
        "recruiter": gettext("Recruiter"),
    }
    interest = {
        "interested": gettext("Interested"),
        "not_interested": gettext("Not interested"),
    }.get(str(one.get("interest")), EMPTY)
    items = [
        Item(gettext("Ended"), _when(one.get("ended_at")) if one.get("ended_at") else EMPTY),
        Item(gettext("Video-call link"), _text(one.get("video_url"))),
        Item(gettext("Note by the company"), _text(one.get("note"))),
        Item(gettext("The company's impression"), interest),
    ]
    items += [
        Item(_when(line.get("at")), f"{senders[line['sender']]}: {line.get('body', '')}")
        for line in one.get("messages", [])
        if line.get("sender") in senders
    ]
    return Part(f"{one.get('company', '')} · {_when(one.get('started_at'))}", items)


def _booking(one: Mapping[str, Any]) -> Part:
    items = [
        Item(gettext("Fair"), _text(one.get("fair"))),
        Item(
            gettext("Length"),
            ngettext("%(num)s minute", "%(num)s minutes", int(one.get("minutes") or 0)),
        ),
        Item(gettext("Status"), booking_state_label(str(one.get("state", "")))),
        Item(gettext("Booked"), _when(one.get("booked_at"))),
    ]
    if one.get("cancelled_at"):
        items.append(Item(gettext("Cancelled"), _when(one.get("cancelled_at"))))
    if one.get("marked_at"):
        items.append(Item(gettext("Marked by the company"), _when(one.get("marked_at"))))
    return Part(f"{one.get('company', '')} · {_when(one.get('starts_at'))}", items)


def _message(one: Mapping[str, Any]) -> Part:
    items = [
        Item(gettext("Fair"), _text(one.get("fair"))),
        Item(gettext("About"), _text(one.get("vacancy"))),
        Item(gettext("My message"), _text(one.get("body"))),
        Item(
            gettext("The company's answer"),
            f"{one['answer']} ({_when(one.get('answered_at'))})"
            if one.get("answer")
            else gettext("Not answered yet"),
        ),
    ]
    return Part(f"{one.get('company', '')} · {_when(one.get('left_at'))}", items)


# ------------------------------------------------------------------ PDF


def to_pdf(parts: list[Part], title: str, subtitle: str) -> bytes:
    """The sections as an A4 PDF, in the report's embedded font (searchable text)."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import (
        KeepTogether,
        Paragraph,
        SimpleDocTemplate,
        Spacer,
        Table,
        TableStyle,
    )

    from jobfair.stats.exports import FONT, FONT_BOLD, register_fonts

    register_fonts()
    base = ParagraphStyle("base", fontName=FONT, fontSize=9, leading=12)
    label = ParagraphStyle("label", parent=base, textColor=colors.HexColor("#444444"))
    h1 = ParagraphStyle("h1", parent=base, fontName=FONT_BOLD, fontSize=16, leading=20)
    h2 = ParagraphStyle(
        "h2", parent=base, fontName=FONT_BOLD, fontSize=12, leading=15, spaceBefore=10, spaceAfter=4
    )
    h3 = ParagraphStyle(
        "h3", parent=base, fontName=FONT_BOLD, fontSize=10, leading=13, spaceBefore=6, spaceAfter=2
    )

    def para(text: str, style: ParagraphStyle = base) -> Paragraph:
        # Paragraph reads a little markup: everything from the data is escaped.
        return Paragraph(escape(text), style)

    width = A4[0] - 30 * mm
    style = TableStyle(
        [
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LINEBELOW", (0, 0), (-1, -1), 0.3, colors.HexColor("#d9dee6")),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("TOPPADDING", (0, 0), (-1, -1), 2),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
        ]
    )

    def table(items: list[Item]) -> Table:
        rows = [[para(item.label, label), para(item.value)] for item in items]
        built = Table(rows, colWidths=[width * 0.38, width * 0.62], hAlign="LEFT")
        built.setStyle(style)
        return built

    def body(part: Part, heading: ParagraphStyle) -> list[Any]:
        flow: list[Any] = [para(part.title, heading)]
        if part.items:
            flow.append(table(part.items))
        flow += [para(line) for line in part.lines]
        return flow

    story: list[Any] = [para(title, h1), para(subtitle, label), Spacer(1, 4 * mm)]
    for part in parts:
        story += body(part, h2)
        for entry in part.entries:
            story.append(KeepTogether(body(entry, h3)))
        if not part.items and not part.entries:
            story.append(para(part.empty, label))

    def decorate(canvas: Any, doc: Any) -> None:
        canvas.saveState()
        canvas.setFont(FONT, 7)
        canvas.setFillColor(colors.HexColor("#555555"))
        canvas.drawRightString(A4[0] - 15 * mm, 8 * mm, gettext("Page %(page)s", page=doc.page))
        canvas.restoreState()

    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=12 * mm,
        bottomMargin=15 * mm,
        title=title,
    )
    document.build(story, onFirstPage=decorate, onLaterPages=decorate)
    return buffer.getvalue()
