"""Kinds of disability of UU 8/2016 (several may apply to one person)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DisabilityKind:
    code: str
    label_id: str
    label_en: str


DISABILITY_KINDS: tuple[DisabilityKind, ...] = (
    DisabilityKind("physical", "Disabilitas fisik", "Physical"),
    DisabilityKind("intellectual", "Disabilitas intelektual", "Intellectual"),
    DisabilityKind("mental", "Disabilitas mental", "Mental"),
    DisabilityKind("sensory_sight", "Disabilitas sensorik netra", "Sensory: sight"),
    DisabilityKind("sensory_hearing", "Disabilitas sensorik rungu", "Sensory: hearing"),
    DisabilityKind("sensory_speech", "Disabilitas sensorik wicara", "Sensory: speech"),
)
DISABILITY_CODES: frozenset[str] = frozenset(kind.code for kind in DISABILITY_KINDS)
