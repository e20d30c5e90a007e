"""The organiser console's accounts: an office's organisers (and, for admins, admins),
added with a password or invited to choose one, disabled and enabled again.

Scope comes from :mod:`jobfair.services.authority`: an organiser manages the organisers
of their office, admins are managed by admins.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any, ClassVar, Literal

from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from jobfair.i18n import N_, gettext, ngettext
from jobfair.models import LabourOffice, PasswordReset, User
from jobfair.models.accounts import Role
from jobfair.schemas.base import FieldMessage
from jobfair.schemas.fields import Email, form_blanks
from jobfair.schemas.fields import text as text_of
from jobfair.schemas.problems import parse
from jobfair.services import accounts, audit, auth, authority
from jobfair.services.accounts import NewPassword
from jobfair.services.authority import STAFF_ROLES
from jobfair.services.errors import Conflict, PermissionDenied, ValidationFailed
from jobfair.services.filters import WholeNumber
from jobfair.services.identity import token_hash
from jobfair.services.mail import queue_mail
from jobfair.services.numbers import MAX_ID, whole_number


@dataclass(frozen=True)
class StaffRow:
    user: User
    office: LabourOffice | None


async def list_staff(session: AsyncSession, user: User) -> list[StaffRow]:
    """The office's organisers (and admins); an admin sees those of every office."""
    query = (
        select(User, LabourOffice)
        .outerjoin(LabourOffice, LabourOffice.id == User.office_id)
        .where(User.role.in_(STAFF_ROLES))
        .order_by(LabourOffice.name, User.full_name, User.id)
    )
    if authority.without_office(user):
        return []
    if not authority.is_admin(user):
        query = query.where(User.office_id == user.office_id)
    return [StaffRow(person, office) for person, office in await session.execute(query)]


class StaffForm(BaseModel):
    """The form that adds an organiser or an admin. ``office`` is read from an admin
    only (an organiser adds to their own office); the password is checked by its own
    rule, as on every password form."""

    role: Literal["organiser", "admin"] = "organiser"
    mode: Literal["invite", "password"] = "password"
    office: Annotated[WholeNumber, Field(ge=1, le=MAX_ID)] | None = None
    email: Email
    full_name: text_of(accounts.FULL_NAME_MAX, least=accounts.FULL_NAME_MIN, one_line=True)

    messages: ClassVar = {
        "email": FieldMessage(N_("Enter a valid e-mail address.")),
        "full_name": FieldMessage(
            N_("Enter the full name (%(least)s to %(limit)s characters)."),
            {"least": accounts.FULL_NAME_MIN, "limit": accounts.FULL_NAME_MAX},
        ),
        "office": FieldMessage(N_("Choose the labour office.")),
        "role": FieldMessage(N_("Choose organiser or admin.")),
        "mode": FieldMessage(N_("Choose a password or an invitation.")),
    }


async def add_staff(
    session: AsyncSession,
    user: User,
    values: Mapping[str, Any],
    password: NewPassword,
    now: datetime,
    *,
    reset_page: str,
) -> User:
    """Add an organiser (or, by an admin, an admin): with an initial password, or with
    an invitation link to choose one (the password-reset link, valid for a week)."""
    errors: dict[str, str] = {}
    form: StaffForm | None = None
    try:
        form = parse(StaffForm, form_blanks(dict(values)), strict=False)
    except ValidationFailed as failed:
        errors.update(failed.fields)
    if form is not None and form.role == Role.ADMIN and not authority.is_admin(user):
        raise PermissionDenied(gettext("Only an admin may add an admin."))
    if authority.is_admin(user):
        office_id = form.office if form else whole_number(str(values.get("office") or ""))
    else:
        office_id = user.office_id
    office = await session.get(LabourOffice, office_id) if office_id is not None else None
    # An organiser belongs to an office; an admin may be added without one.
    wants_office = values.get("role", "organiser") != Role.ADMIN or office_id is not None
    if office is None and wants_office and "office" not in errors:
        errors["office"] = StaffForm.messages["office"].translated()
    invite = form.mode == "invite" if form else values.get("mode") == "invite"
    if not invite and (message := password.error()):
        errors["password"] = message
    if errors or form is None:
        raise ValidationFailed(gettext("Please check the form."), fields=errors)
    role, email, full_name = form.role, form.email, form.full_name
    office_slug = office.slug if office is not None else None
    try:
        created = await accounts.create_user(
            session,
            role=role,
            email=email,
            password=password,
            # An invited user has no password until they choose one.
            no_password=invite,
            full_name=full_name,
            office_slug=office_slug,
            actor_user_id=user.id,
        )
    except Conflict:
        message = gettext("This e-mail address already has an account.")
        raise Conflict(message, fields={"email": message}) from None
    created.created_at = now
    if invite:
        await _invite(session, user, created, now, reset_page=reset_page)
    return created


async def _invite(
    session: AsyncSession, actor: User, invited: User, now: datetime, *, reset_page: str
) -> None:
    """Mail a link to choose a password: ``reset_page`` is the absolute address of the
    password-reset page, given by the caller (services know no routes)."""
    raw = auth.new_token()
    reset = PasswordReset(
        token_hash=token_hash(raw),
        user_id=invited.id,
        created_at=now,
        expires_at=now + auth.INVITATION_LIFETIME,
    )
    session.add(reset)
    await session.flush()
    link = f"{reset_page}?token={raw}"
    body = ngettext(
        "You have been added as an organiser of the virtual job fair.\n\n"
        "To choose your password, open this link within %(num)s day:\n%(link)s\n\n"
        "Then sign in with your e-mail address.",
        "You have been added as an organiser of the virtual job fair.\n\n"
        "To choose your password, open this link within %(num)s days:\n%(link)s\n\n"
        "Then sign in with your e-mail address.",
        auth.INVITATION_DAYS,
        link=link,
    )
    assert invited.email is not None
    await queue_mail(
        session,
        to_address=invited.email,
        subject=gettext("Your organiser account"),
        body=body,
        dedupe_key=f"organiser-invitation:{reset.id}",
        user_id=invited.id,
    )
    audit.record(
        session,
        "user.invited",
        object_type="user",
        object_id=invited.id,
        actor_user_id=actor.id,
    )


async def set_staff_active(
    session: AsyncSession, user: User, target_id: int, active: bool, now: datetime
) -> User:
    """Disable (ending every session and API token) or enable an organiser. An
    organiser manages the organisers of their office; admins are managed by admins."""
    target = await session.get(User, target_id)
    if (
        target is None
        or authority.without_office(user)
        or target.role not in STAFF_ROLES
        or (not authority.is_admin(user) and target.office_id != user.office_id)
    ):
        raise authority.not_found()
    if target.role == Role.ADMIN and not authority.is_admin(user):
        raise PermissionDenied(gettext("Only an admin may change an admin."))
    if target.id == user.id:
        raise Conflict(gettext("You cannot disable or enable your own account."))
    if active == target.is_active:
        return target
    if not active:
        return await auth.disable_user(session, target.id, now, actor_user_id=user.id)
    target.is_active = True
    target.disabled_at = None
    audit.record(
        session, "user.enabled", object_type="user", object_id=target.id, actor_user_id=user.id
    )
    return target
