"""Domain errors, mapped to HTTP answers by the web layer (never a 500 for bad input)."""

from __future__ import annotations


class DomainError(Exception):
    """Base of every rule violation a user can cause."""

    code = "invalid"
    status = 400

    def __init__(self, message: str, *, fields: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.fields = fields or {}


class BadRequest(DomainError):
    """A request that cannot be read at all (a body nested too deeply to parse)."""

    code = "bad_request"
    status = 400


class NotFound(DomainError):
    code = "not_found"
    status = 404


class Conflict(DomainError):
    code = "conflict"
    status = 409


class ValidationFailed(DomainError):
    code = "validation_failed"
    status = 422


class PermissionDenied(DomainError):
    code = "forbidden"
    status = 403


class Unauthorized(DomainError):
    """Not signed in, a wrong password, or a revoked session or token."""

    code = "unauthorized"
    status = 401


class PayloadTooLarge(DomainError):
    code = "payload_too_large"
    status = 413


class UnsupportedMediaType(DomainError):
    code = "unsupported_media_type"
    status = 415


class RateLimited(DomainError):
    code = "too_many_requests"
    status = 429


class WrongPassword(ValidationFailed):
    """The password given to confirm a change is not the account's: a failed sign-in
    for the per-account sign-in limit, unlike a form's other refusals."""
