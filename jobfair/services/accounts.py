"""Accounts: creating users of every role with their company or office membership."""

from __future__ import annotations

from dataclasses import dataclass
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
from jobfair.services.identity import NO_PASSWORD, Passwords

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
    with i18n.using("en"):
        return NewPassword(password_problem(password), None).error()


@dataclass(frozen=True)
class NewPassword:
    """A password someone chose, checked against the rule and, when it passes, hashed:
    both before the unit of work that stores it, so no transaction waits on argon2.
    ``hash`` is None exactly when ``problem`` is set."""

    problem: tuple[str, dict[str, object]] | None
    hash: str | None

    @classmethod
    async def of(cls, passwords: Passwords, password: str) -> NewPassword:
        problem = password_problem(password)
        return cls(problem, None if problem else await passwords.hash(password))

    @classmethod
    def hashed(cls, password_hash: str) -> NewPassword:
        """One hash made already (the demo gives all its people one)."""
        return cls(None, password_hash)

    @property
    def stored(self) -> str:
        """The hash to store; only for a password without a problem."""
        if self.hash is None:
            raise ValueError("an unacceptable password has no hash to store")
        return self.hash

    def error(self) -> str | None:
        """The problem in the user's language."""
        return None if self.problem is None else i18n.gettext(self.problem[0], **self.problem[1])


async def email_taken(session: AsyncSession, email: str) -> bool:
    return (
        await session.scalar(select(func.count()).select_from(User).where(User.email == email))
    ) != 0


async def create_user(
    session: AsyncSession,
    *,
    role: str,
    email: str,
    password: NewPassword,
    full_name: str,
    company_slug: str | None = None,
    office_slug: str | None = None,
    actor_user_id: int | None = None,
    no_password: bool = False,
) -> User:
    """Create a user; a recruiter joins ``company_slug``, an organiser ``office_slug``.
    With ``no_password`` the account has none until its owner chooses one (an
    invitation): ``password`` is not used."""
    fields: dict[str, str] = {}
    if role not in {r.value for r in Role}:
        fields["role"] = "one of " + ", ".join(r.value for r in Role)
    email = normalise_email(email)
    if problem := check_email(email):
        fields["email"] = problem
    if not no_password and password.problem is not None:
        with i18n.using("en"):
            fields["password"] = password.error() or ""
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
        password_hash=NO_PASSWORD if no_password else password.stored,
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
