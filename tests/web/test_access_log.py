"""The access log keeps paths and statuses, never query strings (a mailed link's token,
a search for a person's name)."""

from __future__ import annotations

import logging

import pytest

from jobfair.web.access_log import ACCESS_LOGGER, QueryRedaction, redact_access_log


def _line(path: str) -> str:
    record = logging.LogRecord(
        ACCESS_LOGGER, logging.INFO, __file__, 1,
        '%s - "%s %s HTTP/%s" %d', ("10.0.0.1:5000", "GET", path, "1.1", 303), None,
    )  # fmt: skip
    assert QueryRedaction().filter(record)
    return record.getMessage()


def test_query_strings_are_cut_from_access_lines() -> None:
    assert _line("/company/join?token=s3cret-t0ken") == (
        '10.0.0.1:5000 - "GET /company/join?… HTTP/1.1" 303'
    )
    assert _line("/fairs/x/vacancies") == '10.0.0.1:5000 - "GET /fairs/x/vacancies HTTP/1.1" 303'


def test_the_app_puts_the_filter_on_uvicorns_access_logger(
    app: object, caplog: pytest.LogCaptureFixture
) -> None:
    redact_access_log()  # idempotent: once per logger, however many apps are built
    filters = logging.getLogger(ACCESS_LOGGER).filters
    assert sum(isinstance(item, QueryRedaction) for item in filters) == 1
    with caplog.at_level(logging.INFO, logger=ACCESS_LOGGER):
        logging.getLogger(ACCESS_LOGGER).info(
            '%s - "%s %s HTTP/%s" %d', "1.2.3.4:1", "GET", "/password/reset?token=abc", "1.1", 303
        )
    assert "abc" not in caplog.text and "/password/reset?…" in caplog.text
