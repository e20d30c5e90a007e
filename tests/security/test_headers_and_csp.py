"""Security headers and the CSP on every page, and what pages and logs never show.

Every GET page route of the route table is rendered (with the data of the authorization
matrix, as each role, so each renders 200 for someone), and every answer carries the
CSP (no inline script), ``nosniff``, a frame policy and a referrer policy; HSTS in
production. No rendered page has an inline ``<script>`` body, an ``on…=`` handler or a
``style=`` attribute (the CSP would block them, so they would be broken anyway). Error
pages (404, 403, 500) too; and neither they nor the logs contain a NIK or a password.
"""

from __future__ import annotations

import json
import logging
from html.parser import HTMLParser

import httpx
import pytest
from starlette.applications import Starlette
from starlette.routing import Route
from support import factories
from support.security_world import (
    ROLES,
    Endpoint,
    World,
    app_endpoints,
    concrete,
    world_fixture,  # noqa: F401 - the ``world`` fixture
)
from test_authorization_matrix import EXPECTATIONS

from jobfair.app import create_app
from jobfair.settings import Settings

# GET routes that are not HTML pages (files, JSON, fragments needing a token): their
# headers are still checked, but no role has to get an HTML 200 from them.
NOT_PAGES = {
    "GET /me/cv": "the CV as a PDF attachment",
    "GET /chats/{conversation_id:int}/cv": "a chat's CV as a PDF attachment",
    "GET /me/data": "the data download (JSON attachment)",
    "GET /me/data/pdf": "the data download (PDF attachment)",
    "GET /company/exports": "the export file (CSV/XLSX) or a redirect to its progress",
    "GET /company/exports/{job_id:int}/download": "the export file",
    "GET /company/applications/{application_id:int}/cv": "the CV as a PDF attachment",
    "GET /media/logos/{name}": "a logo image",
    "GET /healthz": "the health check (JSON)",
    "GET /password/reset": "needs the reset cookie (covered by the session tests)",
    "GET /company/join": "needs an invitation token (covered by tests/web)",
    "GET /organiser/fairs/{slug}/report.{kind}": "report files (PDF/XLSX/CSV)",
    "GET /organiser/office/statistics.{kind}": "office statistics files (PDF/XLSX/CSV)",
    "GET /organiser/drives/{drive_id:int}/progress.{kind}": "drive progress files (PDF/XLSX/CSV)",
    "GET /organiser/evaluation/export": "the officer evaluation file (PDF/XLSX)",
    "GET /organiser/interchange/export": "the interchange file (CSV/JSON)",
}


class PageAudit(HTMLParser):
    """Collects what the CSP forbids: inline script bodies, handlers, style."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self._in_script = False
        self._in_data_block = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = {name.lower() for name, _value in attrs}
        for name in names:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=…> event handler attribute")
            if name == "style":
                self.problems.append(f"<{tag} style=…> inline style")
        if tag == "style":
            self.problems.append("<style> element")
        if tag == "script":
            kind = dict(attrs).get("type") or ""
            if kind == "application/ld+json":
                # A data block (a vacancy's JobPosting), never run: its body must be
                # JSON, which handle_data checks.
                self._in_data_block = True
                return
            self._in_script = True
            if "src" not in names:
                self.problems.append("<script> without src")
        if tag in ("a", "form", "iframe") and any(
            (value or "").strip().lower().startswith("javascript:") for _n, value in attrs
        ):
            self.problems.append(f"<{tag}> with a javascript: URL")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False
            self._in_data_block = False

    def handle_data(self, data: str) -> None:
        if self._in_data_block:
            try:
                json.loads(data)
            except ValueError:
                self.problems.append("an ld+json block that is not JSON")
            return
        if self._in_script and data.strip():
            self.problems.append("inline <script> body")


def audit_html(html: str) -> list[str]:
    parser = PageAudit()
    parser.feed(html)
    parser.close()
    return parser.problems


def header_problems(response: httpx.Response, *, production: bool = False) -> list[str]:
    problems = []
    headers = response.headers
    csp = headers.get("content-security-policy", "")
    directives = {
        part.strip().split(" ")[0]: part.strip() for part in csp.split(";") if part.strip()
    }
    script = directives.get("script-src") or directives.get("default-src", "")
    if not script or "'unsafe-inline'" in script or "'unsafe-eval'" in script:
        problems.append(f"script-src allows inline script: {csp!r}")
    if "'unsafe-inline'" in directives.get("style-src", ""):
        problems.append("style-src allows inline style")
    if directives.get("object-src") != "object-src 'none'":
        problems.append("object-src is not 'none'")
    if headers.get("x-content-type-options") != "nosniff":
        problems.append("no X-Content-Type-Options: nosniff")
    if "frame-ancestors" not in directives and headers.get("x-frame-options") is None:
        problems.append("no frame policy")
    if not headers.get("referrer-policy"):
        problems.append("no Referrer-Policy")
    if production and "max-age=" not in headers.get("strict-transport-security", ""):
        problems.append("no HSTS in production")
    return problems


def _page_routes(app: Starlette) -> list[Endpoint]:
    return [
        endpoint
        for endpoint in app_endpoints(app)
        if endpoint.method == "GET" and not endpoint.is_api and endpoint.method != "WEBSOCKET"
    ]


def _path_for(world: World, endpoint: Endpoint) -> str | None:
    if not endpoint.params:
        return endpoint.path
    rule = EXPECTATIONS.get(endpoint.key)
    if rule is None or rule.skip:
        return None  # the matrix's completeness test names it
    values = {
        name: key[1:] if key.startswith("=") else world.owned[key]
        for name, key in rule.params.items()
    }
    return concrete(endpoint.path, values)


async def test_every_page_sends_the_headers_and_has_no_inline_script(world: World) -> None:
    problems: list[str] = []
    unrendered: list[str] = []
    rendered = 0
    for endpoint in _page_routes(world.app):
        path = _path_for(world, endpoint)
        if path is None:
            continue
        got_page = False
        rule = EXPECTATIONS.get(endpoint.key)
        # Those who may see the page (the "other_" twins see the same markup), and
        # anonymous for the redirect or error page.
        roles = [
            role
            for role in ROLES
            if not role.startswith("other_")
            and (rule is None or role in rule.allowed or role == "anonymous")
        ]
        for role in roles:
            # Every role plainly; the htmx variant once, as the first role served a page.
            variants: tuple[dict[str, str], ...] = (
                ({},) if got_page or endpoint.key in NOT_PAGES else ({}, {"HX-Request": "true"})
            )
            for headers in variants:
                response = await world.actors[role].browser.get(path, headers=headers)
                where = f"{endpoint.key} as {role}{' (htmx)' if headers else ''}"
                if response.status_code >= 500:
                    problems.append(f"{where}: {response.status_code}")
                problems += [f"{where}: {p}" for p in header_problems(response)]
                if response.status_code == 200 and response.headers.get(
                    "content-type", ""
                ).startswith("text/html"):
                    got_page = True
                    rendered += 1
                    problems += [f"{where}: {p}" for p in audit_html(response.text)]
                if not got_page and headers:
                    break
        if not got_page and endpoint.key not in NOT_PAGES:
            unrendered.append(endpoint.key)
    assert rendered > 40
    assert not problems, "\n".join(sorted(set(problems)))
    assert not unrendered, (
        "No role got an HTML page from these GET routes, so their markup went unchecked. "
        "Give the world in tests/support/security_world.py what they need, or list them "
        "in NOT_PAGES (tests/security/test_headers_and_csp.py) with the reason:\n  "
        + "\n  ".join(unrendered)
    )


async def test_static_files_and_api_answers_send_the_headers(world: World) -> None:
    anonymous = world.actors["anonymous"]
    for response in (
        await anonymous.browser.get("/static/css/app.css"),
        await anonymous.api.get("/api/v1/fairs"),
        await anonymous.api.get("/api/v1/nothing-here"),
        await world.actors["applicant"].api.get("/api/v1/me/cv"),
        await world.actors["applicant"].browser.get("/me/cv"),
    ):
        assert response.status_code < 500
        assert not header_problems(response), (response.url, header_problems(response))


@pytest.fixture
async def production(settings: Settings, clock: object) -> Starlette:
    application = create_app(
        settings.with_overrides(environment="production", base_url="https://bursa.example"),
        clock=clock,  # type: ignore[arg-type]
    )
    application.router.routes.append(Route("/boom", _boom))
    async with application.router.lifespan_context(application):
        yield application


async def _boom(request: object) -> None:
    raise RuntimeError("broken")


async def test_error_pages_are_plain_and_keep_secrets(
    production: Starlette, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    transport = httpx.ASGITransport(app=production, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="https://testserver") as http:
        form = await http.get("/register")
        token = form.text.split('name="csrf_token" value="')[1].split('"')[0]
        fields = factories.registration()
        # A registration that fails (birth date against the NIK), one that works, a
        # duplicate, a wrong sign-in, and the API's versions of the same.
        bad = {**fields, "birth_date": "1990-01-01", "csrf_token": token, "consent": "1"}
        bad.pop("disability")
        assert (await http.post("/register", data=bad)).status_code == 422
        api = await http.post("/api/v1/applicants", json={**fields, "birth_date": "1990-01-01"})
        assert api.status_code == 422
        assert (await http.post("/api/v1/applicants", json=fields)).status_code == 201
        duplicate = await http.post("/api/v1/applicants", json=fields)
        assert duplicate.status_code == 201  # the same answer as a new one
        wrong = await http.post(
            "/api/v1/tokens", json={"email": fields["email"], "password": fields["password"] + "x"}
        )
        assert wrong.status_code == 401
        answers = {
            404: await http.get(f"/no-such-page?nik={fields['nik']}"),
            403: await http.get("/company/applications/1", headers={"Authorization": "x"}),
            500: await http.get(f"/boom?nik={fields['nik']}&password={fields['password']}"),
        }
        signed = await http.post(
            "/api/v1/tokens", json={"email": fields["email"], "password": fields["password"]}
        )
        bearer = {"Authorization": f"Bearer {signed.json()['token']}"}
        answers[403] = await http.get("/api/v1/company/applications", headers=bearer)
        answers[401] = await http.get("/api/v1/me", headers={"Authorization": "Bearer nope"})
        for status, response in answers.items():
            assert response.status_code == status, (status, response.text[:200])
            assert not header_problems(response, production=True), header_problems(response)
            assert fields["nik"] not in response.text and fields["password"] not in response.text
            assert "Traceback" not in response.text and "RuntimeError" not in response.text
            if response.headers.get("content-type", "").startswith("text/html"):
                assert not audit_html(response.text)
        for response in (duplicate, wrong, api):
            assert fields["password"] not in response.text
            assert fields["nik"] not in response.text
    # The app's own records (httpx logs the test client's requests, query and all).
    records = [record for record in caplog.records if not record.name.startswith("httpx")]
    logged = "\n".join(
        record.getMessage() + (record.exc_text or "") + str(record.exc_info or "")
        for record in records
    )
    assert any("unhandled RuntimeError on GET /boom" in r.getMessage() for r in records)
    assert fields["password"] not in logged
    assert fields["nik"] not in logged
