"""A field's ``maxlength`` on a page is its rule's limit, taken from the rule's home
(the template global ``limits``), so the form and the server refuse at the same length."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
from support import factories

from jobfair.context import AppContext
from jobfair.schemas.profile import AK1_MAX
from jobfair.services.accounts import MAX_PASSWORD
from jobfair.services.catalogue import MAX_KEYWORD
from jobfair.services.formats import EMAIL_MAX, PHONE_TYPED_MAX

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
# A literal is allowed where the length is a format's, not a rule's: a regency code
# (``12.09``) and the free skills box, which the vacancy rules split and check per skill.
FORMAT_LENGTHS = {
    ('name="regency"', "5"),
    ('name="skills"', "3000"),
    ('name="kbli"', "5"),  # a KBLI code or its section letter
}
# The same in the ``input`` macro's calls: digits of a year, a percent, a cap, a code,
# an amount, an NPWP written with its dots and dashes, an address range.
MACRO_FORMAT_LENGTHS = {
    ("graduation_year", "4"),
    ("local_hiring_target", "3"),
    ("application_cap", "3"),
    ("npwp", "25"),
    ("nik", "20"),  # 16 digits, written with spaces or dots between groups
    ("nib", "20"),
    ("kbli", "5"),
    ("salary_min", "12"),
    ("salary_max", "12"),
    ("cidr", "43"),  # the longest IPv6 range written out
}


def test_no_template_types_a_rule_limit_by_hand() -> None:
    literal = re.compile(r'<[^>]*maxlength="(\d+)"[^>]*>')
    macro = re.compile(r'input\("([a-z_0-9]+)"[^\n]*?maxlength=(\d+)')
    found = []
    for path in sorted(TEMPLATES.rglob("*.html")):
        name = path.relative_to(TEMPLATES).as_posix()
        for match in literal.finditer(path.read_text(encoding="utf-8")):
            tag, length = match.group(0), match.group(1)
            if not any(field in tag and length == value for field, value in FORMAT_LENGTHS):
                found.append(f"{name}: {tag}")
        for match in macro.finditer(path.read_text(encoding="utf-8")):
            if (match.group(1), match.group(2)) not in MACRO_FORMAT_LENGTHS:
                found.append(f"{name}: {match.group(0)}")
    assert found == []


async def test_rendered_limits_are_the_rules(client: httpx.AsyncClient, ctx: AppContext) -> None:
    async with ctx.unit_of_work() as session:
        fair = await factories.fair(session)
        slug = fair.slug
    login = await client.get("/login")
    assert f'maxlength="{EMAIL_MAX}"' in login.text
    assert f'maxlength="{MAX_PASSWORD}"' in login.text
    catalogue = await client.get(f"/fairs/{slug}/vacancies")
    assert f'name="q" value="" maxlength="{MAX_KEYWORD}"' in catalogue.text
    register = await client.get("/register")
    assert f'autocomplete="tel" maxlength="{PHONE_TYPED_MAX}"' in register.text
    assert f'name="ak1_number" type="text" value="" maxlength="{AK1_MAX}" ' in register.text


async def test_a_too_long_keyword_is_told_with_the_rules_own_words(
    client: httpx.AsyncClient, ctx: AppContext
) -> None:
    async with ctx.unit_of_work() as session:
        slug = (await factories.fair(session)).slug
    page = await client.get(
        f"/fairs/{slug}/vacancies", params={"q": "x" * (MAX_KEYWORD + 1), "lang": "en"}
    )
    assert page.status_code == 200
    assert f'id="f-q-error">At most {MAX_KEYWORD} characters.</p>' in page.text
