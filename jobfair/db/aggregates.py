"""Portable SQL pieces for conditional counts, shared by every grouped query (the report,
the live counters, the company dashboard) so that they count alike on both backends."""

from __future__ import annotations

from sqlalchemy import case, func
from sqlalchemy.sql.elements import ColumnElement


def flag(condition: ColumnElement[bool]) -> ColumnElement[int]:
    """1 where ``condition`` holds, else 0 (a boolean as a number on both backends)."""
    return case((condition, 1), else_=0)


def count_if(condition: ColumnElement[bool]) -> ColumnElement[int]:
    """How many rows of the group satisfy ``condition``; 0 for an empty group."""
    return func.coalesce(func.sum(flag(condition)), 0)
