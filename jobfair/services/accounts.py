"""Accounts: creating users of every role with their company or office membership."""

from __future__ import annotations

from functools import cache

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from jobfair import i18n
from jobfair.i18n import N_
from jobfair.models import Company, LabourOffice, Recruiter, User
from jobfair.models.accounts import Role
from jobfair.models.companies import RecruiterRole
from jobfair.services import audit
from jobfair.services.errors import Conflict, NotFound, ValidationFailed
from jobfair.services.formats import is_email, normalise_email
from jobfair.services.identity import hash_password

# The field limits of every account, whatever its role (one home: the forms, the JSON
# models and the services read them here).
MIN_PASSWORD = 8
MAX_PASSWORD = 128
FULL_NAME_MIN = 2
FULL_NAME_MAX = 200  # the column's length (User.full_name)


def check_email(email: str) -> str | None:
    if not is_email(email):
        return "not a valid e-mail address"
    return None


@cache
def _common_passwords() -> frozenset[str]:
    """The 30,000 most common passwords of real leaks, as zxcvbn ships them (NIST SP
    800-63B asks to refuse passwords on such a list)."""
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(FREQUENCY_LISTS["passwords"])


def password_problem(password: str) -> tuple[str, dict[str, object]] | None:
    """The rule for every password of every role: the message id and its values for an
    unacceptable one, or None. At least MIN_PASSWORD characters, at most MAX_PASSWORD,
    and not one of the common passwords (compared without case or surrounding space)."""
    if len(password) < MIN_PASSWORD:
        return N_("The password needs at least %(limit)s characters."), {"limit": MIN_PASSWORD}
    if len(password) > MAX_PASSWORD:
        return N_("The password needs at most %(limit)s characters."), {"limit": MAX_PASSWORD}
    if password.strip().casefold() in _common_passwords():
        return (
            N_(
                "This password is one of the most common ones and is guessed first. "
                "Choose another, for example three words you will remember."
            ),
            {},
        )
    return None


def check_password(password: str) -> str | None:
    """:func:`password_problem` in English, for the command line."""
    problem = password_problem(password)
    if problem is None:
        return None
    with i18n.using("en"):
        return i18n.gettext(problem[0], **problem[1])


async def email_taken(session: AsyncSession, email: str) -> bool:
    return (
        await session.scalar(select(func.count()).select_from(User).where(User.email == email))
    ) != 0


async def create_user(
    session: AsyncSession,
    *,
    role: str,
    email: str,
    password: str,
    full_name: str,
    company_slug: str | None = None,
    office_slug: str | None = None,
    actor_user_id: int | None = None,
    password_hash: str | None = None,
) -> User:
    """Create a user; a recruiter joins ``company_slug``, an organiser ``office_slug``.

    ``password_hash`` lets bulk creators (the demo) reuse one argon2 hash.
    """
    fields: dict[str, str] = {}
    if role not in {r.value for r in Role}:
        fields["role"] = "one of " + ", ".join(r.value for r in Role)
    email = normalise_email(email)
    if problem := check_email(email):
        fields["email"] = problem
    if password_hash is None and (problem := check_password(password)):
        fields["password"] = problem
    full_name = " ".join(full_name.split())
    # Not FULL_NAME_MIN: the CLI names an account after its e-mail's local part by
    # default, which may be one letter; what people type on a form has the minimum.
    if not 1 <= len(full_name) <= FULL_NAME_MAX:
        fields["full_name"] = f"1 to {FULL_NAME_MAX} characters"
    if role == Role.RECRUITER and not company_slug:
        fields["company"] = "a recruiter belongs to a company"
    if role == Role.ORGANISER and not office_slug:
        fields["office"] = "an organiser belongs to a labour office"
    if fields:
        raise ValidationFailed("the user cannot be created", fields=fields)
    if await email_taken(session, email):
        raise Conflict(
            "a user with this e-mail already exists", fields={"email": "already registered"}
        )

    office_id = None
    if office_slug:
        office = await session.scalar(select(LabourOffice).where(LabourOffice.slug == office_slug))
        if office is None:
            raise NotFound(f"no labour office with slug {office_slug!r}")
        office_id = office.id
    company = None
    if company_slug:
        company = await session.scalar(select(Company).where(Company.slug == company_slug))
        if company is None:
            raise NotFound(f"no company with slug {company_slug!r}")

    user = User(
        email=email,
        password_hash=password_hash or hash_password(password),
        role=role,
        full_name=full_name,
        office_id=office_id,
        is_active=True,
    )
    session.add(user)
    await session.flush()
    if company is not None:
        has_owner = await session.scalar(
            select(func.count())
            .select_from(Recruiter)
            .where(Recruiter.company_id == company.id, Recruiter.role == RecruiterRole.OWNER)
        )
        # The first recruiter of a company owns it and may invite the others.
        session.add(
            Recruiter(
                company_id=company.id,
                user_id=user.id,
                role=RecruiterRole.RECRUITER if has_owner else RecruiterRole.OWNER,
            )
        )
    audit.record(
        session,
        "user.created",
        object_type="user",
        object_id=user.id,
        actor_user_id=actor_user_id,
        data={"role": role},
    )
    return user
