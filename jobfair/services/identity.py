"""Secrets handling for accounts and personal data: password hashes (argon2) and the
NIK vault (encryption at rest, keyed hash for uniqueness, masked display)."""

from __future__ import annotations

import base64
import hashlib
import hmac

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from cryptography.fernet import Fernet, InvalidToken

from jobfair.reference.nik import mask_nik

_hasher = PasswordHasher()


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def _derive(secret: str, purpose: str) -> bytes:
    # Separate keys per purpose from one configured secret.
    return hmac.new(secret.encode(), purpose.encode(), hashlib.sha256).digest()


def token_hash(token: str) -> str:
    """Tokens (sessions, API, resets) are stored as their SHA-256 only."""
    return hashlib.sha256(token.encode()).hexdigest()


class NikVault:
    """Encrypts NIKs at rest and gives a keyed hash so duplicates can be found."""

    def __init__(self, nik_key: str) -> None:
        self._fernet = Fernet(base64.urlsafe_b64encode(_derive(nik_key, "nik-encryption")))
        self._hmac_key = _derive(nik_key, "nik-hmac")

    def encrypt(self, nik: str) -> bytes:
        return self._fernet.encrypt(nik.encode())

    def decrypt(self, ciphertext: bytes) -> str:
        try:
            return self._fernet.decrypt(ciphertext).decode()
        except InvalidToken as exc:  # wrong key: never echo the ciphertext
            raise ValueError("NIK cannot be decrypted with the configured key") from exc

    def fingerprint(self, nik: str) -> str:
        return hmac.new(self._hmac_key, nik.encode(), hashlib.sha256).hexdigest()

    @staticmethod
    def mask(nik: str) -> str:
        return mask_nik(nik)
