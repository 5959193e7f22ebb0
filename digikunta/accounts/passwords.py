"""Password rules beyond Django's: no common word or password with a few characters around it.

Django's CommonPasswordValidator refuses only exact matches of its list, so ``Salasana12``,
``salasana123`` or the public demo password pass it. This validator takes the password's
*core* (case, accents, leetspeak and the digits and symbols around it removed) and refuses it
when that core is on Django's list or on our Finnish and Swedish list
(``data/common-passwords-fi-sv.txt.gz``, see ``data/README.md``). Issue 8, finding 12.
"""

import gzip
import re
import unicodedata
from functools import cache
from pathlib import Path
from typing import Any

from django.contrib.auth.password_validation import CommonPasswordValidator
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

WORD_LIST_PATH = Path(__file__).resolve().parent / "data" / "common-passwords-fi-sv.txt.gz"

# Leetspeak: "1" reads as both "i" and "l", so each password is tried with both (and as typed).
_LEET = [
    {},
    str.maketrans("0134578@$!|+269", "oieastbasiitzgg"),
    str.maketrans("0134578@$!|+269", "oleastbasiltzgg"),
]
_EDGES = re.compile(r"^[^a-z]+|[^a-z]+$")
_SYMBOL_EDGES = re.compile(r"^[^a-z0-9]+|[^a-z0-9]+$")
_SEPARATORS = re.compile(r"[^a-z0-9]+")


def fold(text: str) -> str:
    """Lower case without accents: "Lösenord" and "losenord" are the same word here."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).strip()


def password_cores(password: str) -> set[str]:
    """What the password is built on: folded, leetspeak read as letters, the digits and symbols
    at both ends removed, with and without the separators inside."""
    folded = fold(password)
    if folded.isalpha():  # most list entries: nothing to strip or read as letters
        return {folded}
    # "Salasana12", "5alasana!" and "S4l4s4n4!" all come down to "salasana".
    bases = {folded, _SYMBOL_EDGES.sub("", folded), _EDGES.sub("", folded)}
    variants = {_EDGES.sub("", base.translate(table)) for base in bases for table in _LEET}
    cores = variants | {_SEPARATORS.sub("", variant) for variant in variants}
    return {core for core in cores if core}


@cache
def common_words() -> frozenset[str]:
    """The cores of Django's common passwords and of our Finnish and Swedish list; read once.

    Entries are indexed by their cores too, so "1qaz2wsx" and "1qaz2wsx!" meet as "qaz2wsx"."""
    with gzip.open(WORD_LIST_PATH, "rt", encoding="utf-8") as lines:
        entries = {line.strip() for line in lines if line.strip()}
    entries |= CommonPasswordValidator().passwords
    return frozenset(core for entry in entries for core in password_cores(entry))


class CommonWordValidator:
    """Refuses a password whose core is a common word, name or password (AUTH_PASSWORD_VALIDATORS).

    Runs beside Django's validators: sign-up, password change and reset all call them. Commands
    that set a password directly (demo data, test factories) do not, on purpose.
    """

    code = "password_common_word"

    def validate(self, password: str, user: Any = None) -> None:
        if password_cores(password) & common_words():
            raise ValidationError(
                _(
                    "This password is a common word or password with a few characters added; "
                    "choose a passphrase of several unrelated words instead."
                ),
                code=self.code,
            )

    def get_help_text(self) -> str:
        return _(
            "Your password can’t be a common word, name or password, even with digits or "
            "symbols added."
        )
