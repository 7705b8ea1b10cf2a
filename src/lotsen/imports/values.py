"""Parse the plain (non-taxonomy) cell values: dates, numbers, yes/no, codes, levels.

Each parser returns the value or raises :class:`CellError` with a message that says
what was expected, so the row converter can report the cell and carry on. Swedish
habits are accepted where they are unambiguous: a decimal comma ("2,5"), "ja"/"nej",
Swedish names of statuses and program forms.
"""

from __future__ import annotations

import re
from datetime import date

from lotsen.imports.columns import MULTI_SEPARATOR
from lotsen.limits import MAX_ID
from lotsen.types import NEED_STATUSES, PROGRAM_FORMS, SWEDISH_LEVELS


class CellError(ValueError):
    """One cell's value is wrong; the message names the value and what is expected."""


_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[T ]\d{2}:\d{2}(?::\d{2})?)?$")
_COMPACT_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
# YYMMDD or YYYYMMDD, then -/+ and four digits: a Swedish personal identity number
# (or a coordination number, day + 60).
_PERSONAL_NUMBER = re.compile(r"^(?:19|20)?\d{2}(0[1-9]|1[0-2])(\d{2})[-+]?\d{4}$")

TRUE = {"ja", "j", "yes", "y", "true", "sant", "1", "x"}
FALSE = {"nej", "n", "no", "false", "falskt", "0", ""}

STATUS_WORDS = {
    "öppen": "open", "öppet": "open", "tillsatt": "filled", "tillsatta": "filled",
    "avbruten": "cancelled", "avbrutet": "cancelled", "stängd": "cancelled",
    "stängt": "cancelled", "canceled": "cancelled",
}
FORM_WORDS = {
    "yh": "YH", "yrkeshögskola": "YH", "yrkeshogskola": "YH", "komvux": "Komvux",
    "aub": "AUB", "arbetsmarknadsutbildning": "AUB", "university": "university",
    "universitet": "university", "högskola": "university", "hogskola": "university",
    "gymnasium": "gymnasium", "gymnasieskola": "gymnasium", "sfi": "SFI",
}
SWEDISH_WORDS = {
    "modersmål": "native", "modersmal": "native", "svenska som modersmål": "native",
    "ingen": "none", "inga": "none", "sva_grundläggande": "sva_grund",
    "sva_gymnasial": "sva_gymn",
}


def split_multi(text: str) -> list[str]:
    """``"a; b;;c"`` → ``["a", "b", "c"]``; a line break inside a cell also separates."""
    if not text:
        return []
    return [part.strip() for part in text.replace("\n", MULTI_SEPARATOR).split(MULTI_SEPARATOR)
            if part.strip()]


def parse_date(text: str) -> date:
    match = _ISO_DATE.match(text) or _COMPACT_DATE.match(text)
    if match:
        try:
            return date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError:
            pass
    raise CellError(f'"{text}" är inget datum: skriv ÅÅÅÅ-MM-DD, t.ex. 2027-01-15')


def _number(text: str) -> float:
    cleaned = text.replace("\u00a0", "").replace(" ", "").replace(",", ".")
    try:
        return float(cleaned)
    except ValueError:
        raise CellError(f'"{text}" är inget tal') from None


def parse_int(text: str, minimum: int, what: str, maximum: int = MAX_ID) -> int:
    """A whole number in minimum..maximum (the column's own bound, else PostgreSQL's
    integer: a larger number would fail at insert instead of naming the cell)."""
    value = _number(text)
    if not value.is_integer():
        raise CellError(f'"{text}" är inget heltal: {what} ska vara ett heltal')
    if value < minimum:
        raise CellError(f'"{text}": {what} ska vara minst {minimum}')
    if value > maximum:
        raise CellError(f'"{text}": {what} får vara högst {maximum:,}'.replace(",", " "))
    return int(value)


def parse_float(text: str, minimum: float, what: str, maximum: float = 1e9) -> float:
    value = _number(text)
    if value != value or value in (float("inf"), float("-inf")):
        raise CellError(f'"{text}" är inget tal')
    if value < minimum:
        raise CellError(f'"{text}": {what} ska vara minst {minimum:g}')
    if value > maximum:
        raise CellError(f'"{text}": {what} får vara högst {maximum:g}')
    return value


def parse_bool(text: str) -> bool:
    word = text.strip().lower()
    if word in TRUE:
        return True
    if word in FALSE:
        return False
    raise CellError(f'"{text}" är varken ja eller nej: skriv ja eller nej')


def org_number(text: str) -> str:
    """A Swedish organisation number as 10 digits, its check digit verified."""
    digits = re.sub(r"[\s-]", "", text)
    if len(digits) == 12 and digits.startswith("16"):
        digits = digits[2:]
    if not (digits.isdigit() and len(digits) == 10):
        raise CellError(f'"{text}" är inget organisationsnummer: skriv 10 siffror, 556677-8899')
    if not _luhn_ok(digits):
        raise CellError(f'"{text}" är inget giltigt organisationsnummer (kontrollsiffran): '
                        "kontrollera om det är felskrivet")
    return digits


def _luhn_ok(digits: str) -> bool:
    total = 0
    for position, char in enumerate(digits):
        n = int(char) * (2 if position % 2 == 0 else 1)
        total += n - 9 if n > 9 else n
    return total % 10 == 0


def swedish_level(text: str) -> str:
    word = re.sub(r"[\s-]+", "_", text.strip().lower())
    word = SWEDISH_WORDS.get(word, SWEDISH_WORDS.get(text.strip().lower(), word))
    if word not in SWEDISH_LEVELS:
        raise CellError(f'"{text}" är ingen nivå i svenska: ange en av {", ".join(SWEDISH_LEVELS)}')
    return word


def program_form(text: str) -> str:
    form = FORM_WORDS.get(text.strip().lower())
    if form is None:
        raise CellError(f'"{text}" är ingen utbildningsform: ange en av {", ".join(PROGRAM_FORMS)}')
    return form


def need_status(text: str) -> str:
    word = text.strip().lower()
    status = word if word in NEED_STATUSES else STATUS_WORDS.get(word)
    if status is None:
        raise CellError(f'"{text}" är ingen status: ange open (öppet), filled (tillsatt) '
                        "eller cancelled (avbrutet)")
    return status


def looks_like_personal_number(text: str) -> bool:
    """True for 850101-1234, 198501011234, 850161-1234 (coordination number) and the like."""
    match = _PERSONAL_NUMBER.match(text.strip())
    if not match:
        return False
    day = int(match[2])
    return 1 <= day <= 31 or 61 <= day <= 91
