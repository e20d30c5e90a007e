"""The OpenAPI document: generated from the models, valid OpenAPI 3.1, every API route
of ``jobfair/routes.py`` in it and nothing else, and every answer model strict."""

from __future__ import annotations

import json
import re
from datetime import date
from typing import Any

import httpx
import jsonschema_rs
import pytest
from pydantic import BaseModel
from schemathesis.specs.openapi.definitions import OPENAPI_31
from support import factories

from jobfair.models.applications import ApplicationStatus
from jobfair.reference.education import EDUCATION_CODES
from jobfair.routes import build_routes
from jobfair.schemas.accounts import ProfileUpdate, Registration
from jobfair.schemas.catalogue import Fair
from jobfair.schemas.errors import Error
from jobfair.settings import Settings
from jobfair.web.api.openapi import OPERATIONS, PREFIX, document


def _api_routes(settings: Settings) -> set[tuple[str, str]]:
    """(method, path) of every route mounted under /api/v1, as the document spells paths."""
    routes = build_routes(settings.static_dir)
    api = next(route for route in routes if getattr(route, "path", "") == PREFIX)
    served = set()
    for route in api.routes:
        if route.path == "/openapi.json":
            continue
        path = PREFIX + re.sub(r"\{(\w+):\w+\}", r"{\1}", route.path)
        served |= {(method, path) for method in route.methods if method != "HEAD"}
    return served


def test_every_api_route_is_documented_and_nothing_else(settings: Settings) -> None:
    documented = {
        (method.upper(), path)
        for path, operations in document()["paths"].items()
        for method in operations
    }
    assert documented == _api_routes(settings)


def test_operation_ids_are_unique() -> None:
    ids = [op.operation_id for op in OPERATIONS]
    assert len(ids) == len(set(ids))


def test_the_document_is_valid_openapi_3_1() -> None:
    spec = document()
    assert spec["openapi"] == "3.1.0"
    errors = [error.message for error in jsonschema_rs.validator_for(OPENAPI_31).iter_errors(spec)]
    assert errors == []
    # Every component is a JSON Schema of OpenAPI 3.1's dialect (2020-12) on its own,
    # its references resolved against the document.
    for name in spec["components"]["schemas"]:
        root = {**spec, "$ref": f"#/components/schemas/{name}"}
        jsonschema_rs.Draft202012Validator(root, validate_formats=False)


def _refs(value: Any) -> set[str]:
    if isinstance(value, dict):
        found = {value["$ref"]} if "$ref" in value else set()
        return found.union(*(_refs(item) for item in value.values()))
    if isinstance(value, list):
        return set().union(*(_refs(item) for item in value))
    return set()


def test_every_reference_resolves_and_every_component_is_used() -> None:
    spec = document()
    names = set(spec["components"]["schemas"])
    refs = _refs(spec)
    assert {ref.rsplit("/", 1)[1] for ref in refs} == names
    assert all(ref.startswith("#/components/schemas/") for ref in refs)


def test_shapes_come_from_the_models() -> None:
    schemas = document()["components"]["schemas"]
    assert schemas["Fair"]["required"] == list(Fair.model_fields)
    assert schemas["Fair"]["additionalProperties"] is False
    # The error shape of DESIGN §7: fields may be left out.
    detail = schemas["ErrorDetail"]
    assert detail["required"] == ["code", "message"]
    assert set(detail["properties"]) == {"code", "message", "fields"}
    # Code lists come from jobfair.reference and the model enums.
    assert set(schemas["Vacancy"]["properties"]["education_min"]["enum"]) == EDUCATION_CODES
    statuses = schemas["MyApplication"]["properties"]["status"]["enum"]
    assert statuses == [status.value for status in ApplicationStatus]
    stage = schemas["StageRequest"]["properties"]["status"]["enum"]
    assert "submitted" not in stage and "withdrawn" not in stage and "hired" in stage


def _answer_models() -> list[type[BaseModel]]:
    models: list[type[BaseModel]] = [Error]
    for op in OPERATIONS:
        if isinstance(op.answer, type):
            models.append(op.answer)
    return models


@pytest.mark.parametrize("model", _answer_models(), ids=lambda model: model.__name__)
def test_every_answer_model_refuses_undocumented_keys(model: type[BaseModel]) -> None:
    schema = model.model_json_schema(mode="serialization")
    if "anyOf" in schema:  # Me: one of two strict models
        return
    assert model.model_config.get("extra") == "forbid"
    for definition in schema.get("$defs", {}).values():
        if definition.get("type") == "object" and "properties" in definition:
            assert definition.get("additionalProperties") is False, definition["title"]


def test_an_undocumented_key_fails_validation() -> None:
    error = {"error": {"code": "not_found", "message": "x"}}
    assert Error.model_validate(error).error.fields == {}
    with pytest.raises(ValueError, match="Extra inputs"):
        Error.model_validate({"error": {**error["error"], "trace": "..."}})


async def test_the_document_is_served_as_generated(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert response.json() == json.loads(json.dumps(document()))


def test_the_documented_bodies_take_what_clients_send() -> None:
    # The NIK's age is judged on a date the caller gives (the test clock's).
    today = {"today": date(2026, 11, 5)}
    registration = Registration.model_validate(factories.registration(), context=today)
    # An empty text is no value: no AK/I card, no e-mail.
    assert registration.consent is True and registration.ak1_number is None
    assert ProfileUpdate.model_validate({"graduation_year": 2021, "email": ""}).email is None
    for bad in ({"consent": False}, {"nik": "12345"}, {"sex": "X"}, {"password": "short"}):
        with pytest.raises(ValueError):
            Registration.model_validate(factories.registration(**bad), context=today)


def _keys(node: Any, path: str = "") -> list[tuple[str, str]]:
    if isinstance(node, dict):
        found = [(path, key) for key in node]
        for key, value in node.items():
            found += _keys(value, f"{path}/{key}")
        return found
    if isinstance(node, list):
        return [pair for index, item in enumerate(node) for pair in _keys(item, f"{path}[{index}]")]
    return []


def test_query_parameters_say_their_bounds_in_json_schema() -> None:
    # pydantic's own names (ge, le) leak into a schema when a bound sits on an optional
    # field; a client generator ignores them, so the bound would be undocumented.
    spec = document()
    leaked = [f"{path}/{key}" for path, key in _keys(spec) if key in {"ge", "le", "gt", "lt"}]
    assert leaked == []
    unbounded = []
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            for parameter in operation.get("parameters", []):
                schema, kind = parameter["schema"], parameter["schema"].get("type")
                if parameter["in"] != "query":
                    continue
                said = set(schema)
                if (kind == "integer" and not {"minimum", "maximum"} <= said) or (
                    kind == "string" and not {"enum", "maxLength", "pattern"} & said
                ):
                    unbounded.append(f"{method} {path} {parameter['name']}")
    assert unbounded == []
