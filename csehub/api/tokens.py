"""Making and checking token strings. Only services store them; only auth reads them."""

from __future__ import annotations

import hashlib
import hmac
import re
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


# What token_generate makes: hex, then URL-safe base64. Anything else is refused before the
# prefix is looked up (a NUL, say, would fail in PostgreSQL rather than simply not match).
_TOKEN_SHAPE = re.compile(
    rf"{TOKEN_START}(?P<prefix>[0-9a-f]{{{PREFIX_LENGTH}}})_(?P<secret>[A-Za-z0-9_-]+)"
)


def token_parse(raw: str) -> TokenString | None:
    found = _TOKEN_SHAPE.fullmatch(raw)
    if found is None:
        return None
    return TokenString(prefix=found["prefix"], secret=found["secret"])


def secret_hash(secret: str) -> str:
    # The secret has 256 bits of entropy, so a plain SHA-256 is enough (no slow hash needed).
    return hashlib.sha256(secret.encode()).hexdigest()


def secret_matches(secret: str, stored_hash: str) -> bool:
    return hmac.compare_digest(secret_hash(secret), stored_hash)
