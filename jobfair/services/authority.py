"""Who may act on what: the one home of the organiser console's scope rules.

An organiser works within their labour office (``User.office_id``), an admin within
every office. Anything outside that scope answers 404, exactly like an id that does not
exist, so another office's fairs are never revealed.
"""

from __future__ import annotations

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from jobfair.i18n import gettext
from jobfair.models import Fair, LabourOffice, User
from jobfair.models.accounts import Role
from jobfair.services.errors import NotFound, PermissionDenied

STAFF_ROLES = (Role.ORGANISER, Role.ADMIN)


def not_found() -> NotFound:
    """What anything outside the scope answers: the same as an id that does not exist."""
    return NotFound(gettext("We could not find that page."))


def is_admin(user: User) -> bool:
    return user.role == Role.ADMIN


def without_office(user: User) -> bool:
    """An organiser who belongs to no office manages nothing (and must not match the
    many users with no office, such as applicants)."""
    return not is_admin(user) and user.office_id is None


def scoped_fairs(user: User) -> Select[tuple[int]]:
    """Ids of the fairs ``user`` may manage."""
    query = select(Fair.id)
    return query if is_admin(user) else query.where(Fair.office_id == user.office_id)


def organiser_may(user: User, fair: Fair) -> None:
    """Organisers act on their office's fairs, admins on every fair; for anyone else
    the fair does not exist (404, never revealing another office's fairs)."""
    if is_admin(user):
        return
    if user.role != Role.ORGANISER or user.office_id != fair.office_id:
        raise not_found()


async def scoped_fair(session: AsyncSession, user: User, slug: str) -> Fair:
    """The fair with ``slug`` (drafts included) for an organiser of its office or an
    admin. Other roles: forbidden; an unknown fair or another office's: not found."""
    if user.role not in STAFF_ROLES:
        raise PermissionDenied(gettext("You are not allowed to do that."))
    fair = await session.scalar(select(Fair).where(Fair.slug == slug))
    if fair is None:
        raise not_found()
    organiser_may(user, fair)
    return fair


async def offices(session: AsyncSession, user: User) -> list[LabourOffice]:
    """The labour offices ``user`` may choose: their own, or every one for an admin."""
    query = select(LabourOffice).order_by(LabourOffice.name)
    if not is_admin(user):
        query = query.where(LabourOffice.id == user.office_id)
    return list(await session.scalars(query))
