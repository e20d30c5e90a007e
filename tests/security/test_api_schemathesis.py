"""Schemathesis against ``/api/v1/openapi.json``, in process, on the ASGI app.

Every documented operation is fed generated requests (valid ones and, fewer, invalid
ones) as anonymous, as an applicant and as a recruiter (bearer tokens); every answer
must be no 5xx, carry a documented status and content type, and match the documented
schema. Bounded (a few examples per operation) and deterministic (``derandomize``),
without shrinking: a failure is reported with the case that found it.

Schemathesis drives the app on its own event-loop thread (its ASGI transport starts the
lifespan there), so the world is built on that loop too, through the same portal.
"""

from __future__ import annotations

from typing import Any

import hypothesis
import schemathesis
from hypothesis import HealthCheck, Phase
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.generation.modes import GenerationMode
from schemathesis.python import asgi
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from support.security_world import build_world

from jobfair.app import create_app
from jobfair.settings import Settings

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
EXAMPLES = {GenerationMode.POSITIVE: 6, GenerationMode.NEGATIVE: 3}
# Each of these verifies an argon2 hash (~0.3 s on purpose): a couple of examples do.
SLOW = {"POST /api/v1/tokens", "DELETE /api/v1/me", "POST /api/v1/applicants"}


def _meant_for(path: str, role: str) -> bool:
    """Company operations are fuzzed as the recruiter, the applicant's own as the
    applicant (the other role only meets 403, which the authorization matrix covers)."""
    if path.startswith("/api/v1/company/"):
        return role != "applicant"
    if path.startswith("/api/v1/me"):
        return role != "recruiter"
    return True


def _request(case: Any) -> str:
    body = case.body if case.body is not None and not isinstance(case.body, bytes) else "…"
    return f"  path {case.path_parameters} query {case.query} body {str(body)[:300]}"


def _run(operation: Any, headers: dict[str, str], mode: GenerationMode) -> list[str]:
    found: list[str] = []

    @hypothesis.settings(
        max_examples=2 if operation.label in SLOW else EXAMPLES[mode],
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @hypothesis.given(case=operation.as_strategy(generation_mode=mode))
    def check(case: Any) -> None:
        if found:
            return
        try:
            # A generous per-request limit: schemathesis's 10 s default is a liveness guard,
            # and on a loaded 2-core machine with two test workers a request can take longer.
            response = case.call(headers=headers, timeout=60)
        except Exception as error:
            # Starlette re-raises what it answered with a 500 to the test client.
            found.append(f"{operation.label} ({mode.value}): {type(error).__name__} {error}")
            found.append(_request(case))
            return
        try:
            case.validate_response(response, checks=CHECKS, headers=headers)
        except FailureGroup as failure:
            found.append(f"{operation.label} ({mode.value}): {str(failure)[:1500]}")

    try:
        check()
    except hypothesis.errors.Unsatisfiable:
        # Nothing of this operation can be made invalid (no parameters, no body).
        assert mode is GenerationMode.NEGATIVE, operation.label
    return ["\n".join(found)] if found else []


def test_the_api_keeps_its_openapi_promises(settings: Settings, clock: Any) -> None:
    app = create_app(settings, clock=clock)
    schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", app)
    try:
        world = asgi._get_portal().call(build_world, app)
        roles: dict[str, dict[str, str]] = {
            "anonymous": {},
            "applicant": {"Authorization": f"Bearer {world.actors['applicant'].token}"},
            "recruiter": {"Authorization": f"Bearer {world.actors['recruiter'].token}"},
        }
        operations = [result.ok() for result in schema.get_all_operations()]
        # Deleting (the account, a token) last, so the rest runs signed in.
        operations.sort(key=lambda operation: operation.method.upper() == "DELETE")
        assert len(operations) >= 20
        problems: list[str] = []
        for operation in operations:
            secured = bool(operation.definition.raw.get("security"))
            for role, headers in roles.items():
                if secured == (role == "anonymous"):
                    continue
                if not _meant_for(operation.path, role):
                    continue
                for mode in EXAMPLES:
                    problems += _run(operation, headers, mode)
        assert not problems, "\n\n".join(problems)
    finally:
        asgi.shutdown_lifespans()
