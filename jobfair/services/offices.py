"""A labour office's own settings, kept by its organisers: the report's letterhead
(address, logo) and its signing officer (place, name, NIP, rank or position).

Only the office's organisers change them (an admin belongs to no office; another
office's organiser never sees them). The report PDF reads them at download time
through :func:`letterhead`, so a corrected signer applies to every version.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncSession

from jobfair.i18n import gettext
from jobfair.models import LabourOffice, User
from jobfair.models.accounts import Role
from jobfair.reference import nip
from jobfair.schemas.offices import OfficeReportSettings
from jobfair.services import audit
from jobfair.services.authority import not_found
from jobfair.services.companies import remove_logo_after_commit, save_logo
from jobfair.services.errors import PermissionDenied
from jobfair.stats.exports import Letterhead

SETTINGS_FIELDS = ("address", "signing_place", "signer_name", "signer_nip", "signer_position")


async def own_office(session: AsyncSession, user: User) -> LabourOffice:
    """The organiser's labour office; anyone else is refused, an organiser of no
    office finds nothing."""
    if user.role != Role.ORGANISER:
        raise PermissionDenied(gettext("You are not allowed to do that."))
    office = await session.get(LabourOffice, user.office_id) if user.office_id else None
    if office is None:
        raise not_found()
    return office


async def update_report_settings(
    session: AsyncSession,
    user: User,
    settings: OfficeReportSettings,
    *,
    logo: bytes | None,
    remove_logo: bool,
    uploads_dir: Path,
) -> LabourOffice:
    """Save the letterhead and signer; a new ``logo`` (checked and stored as booth logos
    are) replaces the old file, ``remove_logo`` drops it. The replaced file is deleted
    once the change is committed."""
    office = await own_office(session, user)
    changed = [name for name in SETTINGS_FIELDS if getattr(office, name) != getattr(settings, name)]
    for name in SETTINGS_FIELDS:
        setattr(office, name, getattr(settings, name))
    old_logo = office.logo_file
    if logo:
        office.logo_file = await save_logo(logo, uploads_dir)
    elif remove_logo:
        office.logo_file = None
    if office.logo_file != old_logo:
        changed.append("logo_file")
        if old_logo:
            remove_logo_after_commit(session, uploads_dir / "logos", old_logo)
    await session.flush()
    audit.record(
        session,
        "office.report_settings_updated",
        object_type="office",
        object_id=office.id,
        actor_user_id=user.id,
        # Which fields, never their values (a NIP is personal data).
        data={"fields": sorted(changed)},
    )
    return office


def letterhead(office: LabourOffice, uploads_dir: Path) -> Letterhead:
    """What the report PDF prints of ``office``."""
    logo = uploads_dir / "logos" / office.logo_file if office.logo_file else None
    return Letterhead(
        office=office.name,
        address=office.address,
        logo_path=logo if logo is not None and logo.is_file() else None,
        signing_place=office.signing_place,
        signer_name=office.signer_name,
        signer_nip=nip.grouped(office.signer_nip) if office.signer_nip else None,
        signer_position=office.signer_position,
    )
