"""Making and checking token strings. Only services store them; only auth reads them."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass

PREFIX_LENGTH = 10
TOKEN_START = "csehub_"  # noqa: S105 - a visible marker, not a secret


@dataclass(frozen=True)
class TokenString:
    prefix: str
    secret: str

    @property
    def full(self) -> str:
        return f"{TOKEN_START}{self.prefix}_{self.secret}"


def token_generate() -> TokenString:
    return TokenString(
        prefix=secrets.token_hex(PREFIX_LENGTH // 2), secret=secrets.token_urlsafe(32)
    )


def token_parse(raw: str) -> TokenString | None:
    if not raw.startswith(TOKEN_START):
        return None
    prefix, _, secret = raw.removeprefix(TOKEN_START).partition("_")
    if len(prefix) != PREFIX_LENGTH or not secret:
        return None
    return TokenString(prefix=prefix, secret=secret)


def secret_hash(secret: str) -> str:
    # The secret has 256 bits of entropy, so a plain SHA-256 is enough (no slow hash needed).
    return hashlib.sha256(secret.encode()).hexdigest()


def secret_matches(secret: str, stored_hash: str) -> bool:
    return hmac.compare_digest(secret_hash(secret), stored_hash)
