"""The access log without query strings: a query may carry a secret (a mailed link's
token before it moves into a cookie) or personal data (a search for a name), and the
log keeps neither. The path and the status stay, which is what operators read."""

from __future__ import annotations

import logging

ACCESS_LOGGER = "uvicorn.access"


class QueryRedaction(logging.Filter):
    """Replaces the query of the logged request line with ``?…``."""

    def filter(self, record: logging.LogRecord) -> bool:
        # uvicorn logs '%s - "%s %s HTTP/%s" %d' with (client, method, path, version, status).
        args = record.args
        if isinstance(args, tuple) and len(args) >= 3 and isinstance(args[2], str):
            path, mark, _query = args[2].partition("?")
            if mark:
                record.args = (*args[:2], f"{path}?…", *args[3:])
        return True


def redact_access_log() -> None:
    """Put the filter on uvicorn's access logger once (it outlives uvicorn's own
    logging set-up, which replaces handlers but keeps filters)."""
    logger = logging.getLogger(ACCESS_LOGGER)
    if not any(isinstance(existing, QueryRedaction) for existing in logger.filters):
        logger.addFilter(QueryRedaction())
