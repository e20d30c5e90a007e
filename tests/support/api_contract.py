"""Answers checked against the API's contract: the status must be one the OpenAPI table
lists for the operation, and the body must validate, strictly (no extra key, no "1" for
1), against the response model the table names for that status."""

from __future__ import annotations

from typing import Any

import httpx

from jobfair.schemas.errors import Error
from jobfair.web.api.openapi import OPERATIONS, PREFIX, Op


def operation(method: str, path: str) -> Op:
    """The table's operation for ``method`` and a templated ``path`` (``/api/v1/…``)."""
    for op in OPERATIONS:
        if op.method == method.upper() and PREFIX + op.path == path:
            return op
    raise AssertionError(f"{method} {path} is not in the OpenAPI table")


def conforms(response: httpx.Response, method: str, path: str) -> Any:
    """The validated body of ``response`` to ``method path``; fails the test otherwise."""
    op = operation(method, path)
    status = response.status_code
    if status == op.ok:
        model = op.answer
        assert isinstance(model, type), f"{method} {path} answers no JSON"
    else:
        documented = {*op.errors, *((401, 403) if op.auth else ())}
        assert status in documented, f"{method} {path}: {status} is not documented"
        model = Error
    assert response.headers["content-type"].startswith("application/json")
    return model.model_validate_json(response.content, strict=True)
