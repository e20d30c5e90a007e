"""Weak passwords are refused for every role (NIST SP 800-63B): at least 8 characters
and not one of the common passwords of the list zxcvbn ships (30,000 from real
leaks). Before, "password1" and "12345678" were accepted everywhere."""

from __future__ import annotations

import httpx
import pytest
from support import factories

from jobfair import i18n
from jobfair.context import AppContext
from jobfair.services import accounts
from jobfair.services.errors import ValidationFailed

COMMON = ["password1", "12345678", "iloveyou", "Qwerty123", "  PASSWORD1 "]


@pytest.mark.parametrize("password", COMMON)
def test_the_rule_refuses_common_passwords_in_any_case(password: str) -> None:
    problem = accounts.password_problem(password)
    assert problem is not None and "common" in problem[0]


def test_the_rule_keeps_length_limits_and_accepts_a_good_one() -> None:
    assert accounts.password_problem("pendek") is not None
    assert accounts.password_problem("x" * 129) is not None
    assert accounts.password_problem(factories.PASSWORD) is None
    assert accounts.password_problem("kopi tubruk pagi hari") is None
    assert accounts.check_password("password1") == (
        "This password is one of the most common ones and is guessed first. "
        "Choose another, for example three words you will remember."
    )


async def test_applicants_register_with_a_common_password_refused(
    client: httpx.AsyncClient,
) -> None:
    answer = await client.post(
        "/api/v1/applicants", json=factories.registration(password="password1")
    )
    assert answer.status_code == 422
    assert "password" in answer.json()["error"]["fields"]


async def test_staff_accounts_refuse_common_passwords_too(ctx: AppContext) -> None:
    """The command line's accounts (organisers, admins, recruiters) share the rule."""
    with i18n.using("en"):
        async with ctx.unit_of_work() as session:
            office = await factories.office(session)
            with pytest.raises(ValidationFailed) as refused:
                await accounts.create_user(
                    session,
                    role="organiser",
                    email="petugas@disnaker.test",
                    password=factories.new_password("iloveyou"),
                    full_name="Petugas",
                    office_slug=office.slug,
                )
    assert "common" in str(refused.value.fields or refused.value.message)
