"""The one parse step: a refusal's own message, the model's field message, the generic
one, and the English line a definition file gets."""

from __future__ import annotations

from typing import ClassVar

import pytest
from pydantic import BaseModel, ValidationError, field_validator

from jobfair import i18n
from jobfair.i18n import N_
from jobfair.schemas.base import FieldMessage
from jobfair.schemas.problems import field_messages, file_message, parse, refuse
from jobfair.services.errors import ValidationFailed


class Sample(BaseModel):
    count: int
    name: str = ""
    other: int = 0

    messages: ClassVar = {"count": FieldMessage(N_("Enter a whole number from 0 to 40."))}

    @field_validator("name")
    @classmethod
    def _named(cls, name: str) -> str:
        if name == "x":
            raise refuse("short", "is too short", N_("At most %(limit)s characters."), limit=3)
        return name


def test_each_field_gets_the_right_message() -> None:
    with i18n.using("en"), pytest.raises(ValidationFailed) as error:
        parse(Sample, {"count": "dua", "name": "x", "other": "y"})
    assert error.value.fields == {
        "count": "Enter a whole number from 0 to 40.",
        "name": "At most 3 characters.",
        "other": "This value is not valid.",
    }
    assert error.value.status == 422


def test_messages_are_translated_when_told() -> None:
    with i18n.using("id"), pytest.raises(ValidationFailed) as error:
        parse(Sample, {"count": "dua"})
    assert error.value.fields["count"] != "Enter a whole number from 0 to 40."


def test_a_file_hears_the_english_rule() -> None:
    with pytest.raises(ValidationError) as error:
        Sample.model_validate({"name": "x", "other": "y"})
    told = {str(p["loc"][0]): file_message(p) for p in error.value.errors()}
    assert told == {"count": "is missing", "name": "is too short", "other": told["other"]}
    assert field_messages(error.value, {}, whole="body").keys() == {"count", "name", "other"}
