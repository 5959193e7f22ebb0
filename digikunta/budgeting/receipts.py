"""Receipt codes: what a voter writes down to check later that their ballot is counted.

Twelve characters from Crockford's base 32 alphabet (no I, L, O or U), 60 random bits, shown
in three groups of four: ``K7QM-2XRB-9TFA``. Reading is forgiving: case, spaces and hyphens do
not matter, and O, I and L read as 0, 1 and 1. Only the SHA-256 digest is stored, like the API
tokens' (accounts.ApiToken), so the database holds nothing a person could use as a receipt.
"""

import hashlib
import re
import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 12
GROUP = 4
_READS_AS = str.maketrans({"O": "0", "I": "1", "L": "1"})
_SEPARATORS = re.compile(r"[\s\-–—]+")


def new_code() -> str:
    """A fresh code, grouped for reading."""
    raw = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    return "-".join(raw[i : i + GROUP] for i in range(0, LENGTH, GROUP))


def normalise(typed: str) -> str | None:
    """The code as stored for hashing (12 characters, upper case), or None when what was typed
    cannot be a code."""
    text = _SEPARATORS.sub("", typed or "").upper().translate(_READS_AS)
    if len(text) != LENGTH or any(char not in ALPHABET for char in text):
        return None
    return text


def digest(code: str) -> str:
    """The stored form of a code, typed or fresh; an empty string when it cannot be one."""
    normal = normalise(code)
    return hashlib.sha256(normal.encode()).hexdigest() if normal else ""
