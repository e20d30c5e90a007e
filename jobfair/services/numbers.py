"""Whole numbers from untrusted text (query strings, forms, headers, JSON).

``str.isdigit()`` is true for '²' and other Unicode digits that ``int()`` refuses, and an
unbounded number overflows the database's INTEGER columns; either used to end in a 500.
Every id or count read from a request goes through :func:`whole_number` instead.
"""

from __future__ import annotations

import re
from typing import Any

# Primary keys are INTEGER columns: PostgreSQL's int4 is the narrowest backend.
MAX_ID = 2**31 - 1
# Path parameters (``{…:int}``) match at most this many ASCII digits (see routes.py):
# 999,999,999 fits every backend, so a longer number is simply an unknown page.
ID_DIGITS = 9
_DIGITS = re.compile(r"[0-9]{1,18}")


def whole_number(raw: Any, *, minimum: int = 0, maximum: int = MAX_ID) -> int | None:
    """``raw`` as an int when it is ASCII digits (or an int, not a bool) within
    ``minimum``…``maximum``; otherwise None."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        value = raw
    elif isinstance(raw, str) and _DIGITS.fullmatch(raw.strip()):
        value = int(raw.strip())
    else:
        return None
    return value if minimum <= value <= maximum else None


def is_id(raw: Any) -> bool:
    """An int that can be a primary key (JSON ids of bulk requests)."""
    return whole_number(raw, minimum=1) is not None and not isinstance(raw, str)
