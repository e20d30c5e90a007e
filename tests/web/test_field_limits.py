"""A field's ``maxlength`` on a page is its rule's limit, taken from the rule's home
(the template global ``limits``), so the form and the server refuse at the same length."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
from support import factories

from jobfair.context import AppContext
from jobfair.services.accounts import MAX_PASSWORD
from jobfair.services.catalogue import MAX_KEYWORD
from jobfair.services.formats import EMAIL_MAX

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
# A literal is allowed where the length is a format's, not a rule's: a regency code
# (``12.09``) and the free skills box, which the vacancy rules split and check per skill.
FORMAT_LENGTHS = {('name="regency"', "5"), ('name="skills"', "3000")}
# Still literal, pending their screens' rework (booth review and office decisions).
PENDING = {
    "pages/company/booth.html",
    "pages/organiser/companies.html",
    "pages/organiser/queue.html",
}


def test_no_template_types_a_rule_limit_by_hand() -> None:
    literal = re.compile(r'<[^>]*maxlength="(\d+)"[^>]*>')
    found = []
    for path in sorted(TEMPLATES.rglob("*.html")):
        name = path.relative_to(TEMPLATES).as_posix()
        if name in PENDING:
            continue
        for match in literal.finditer(path.read_text(encoding="utf-8")):
            tag, length = match.group(0), match.group(1)
            if not any(field in tag and length == value for field, value in FORMAT_LENGTHS):
                found.append(f"{name}: {tag}")
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
