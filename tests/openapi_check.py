"""A small structural validator for the subset of JSON Schema the OpenAPI document
uses, so tests can check that answers match what the document promises."""

from __future__ import annotations

from typing import Any


def check_schema(schema: dict[str, Any], value: Any, spec: dict[str, Any], where: str) -> None:
    if "$ref" in schema:
        check_schema(
            spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]], value, spec, where
        )
        return
    if "anyOf" in schema:
        errors = []
        for option in schema["anyOf"]:
            try:
                check_schema(option, value, spec, where)
                return
            except AssertionError as error:
                errors.append(error)
        raise AssertionError(f"{where}: {value!r} matches no option")
    if "enum" in schema:
        assert value in schema["enum"], f"{where}: {value!r} not in {schema['enum']}"
        return
    kinds = schema.get("type")
    kinds = [kinds] if isinstance(kinds, str) else kinds
    python = {
        "object": dict,
        "array": list,
        "string": str,
        "integer": int,
        "null": type(None),
        "boolean": bool,
    }
    if kinds:
        assert any(isinstance(value, python[k]) for k in kinds), f"{where}: {value!r} not {kinds}"
    if isinstance(value, dict) and "properties" in schema:
        for name in schema.get("required", []):
            assert name in value, f"{where}: missing {name}"
        for name, sub in schema["properties"].items():
            if name in value:
                check_schema(sub, value[name], spec, f"{where}.{name}")
    if isinstance(value, list) and "items" in schema:
        for n, item in enumerate(value):
            check_schema(schema["items"], item, spec, f"{where}[{n}]")
