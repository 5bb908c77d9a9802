"""Value normalisation: money, percentages, dates and fiscal periods as the spec writes them.

Pure functions over strings, with no spaCy: values are found by regular expressions in the
raw text because the small model's MONEY/DATE entities split "$650M" or swallow two sums
into one span. Each ``find_*`` returns ``(start, end, value)`` triples with character offsets
into the string it was given, so callers can place values inside sentences and parse trees.

Conventions (shared/spec/events.md): money is ``{"value", "currency"[, "value_max"]}`` in
currency units with the currency written first; "more than", "up to" and "$10B+" give the
value only, explicit ranges ("between X and Y", "X to Y") add ``value_max``. Dates are ISO
prefixes resolved against the article's ``published`` date only as far as the text allows
(convention 9): a weekday gives that day (the most recent on or before ``published``),
"last month" a month, "last year" a year, "this week" nothing.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta
from typing import Any

__all__ = [
    "parse_money",
    "find_money",
    "parse_percent",
    "find_percents",
    "find_dates",
    "resolve_date",
    "parse_period",
    "find_periods",
    "parse_published",
]

_CURRENCY_SYMBOLS = {
    "us$": "USD", "$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY", "c$": "CAD", "a$": "AUD",
    "hk$": "HKD", "s$": "SGD", "₹": "INR", "₩": "KRW",
}
_CURRENCY_CODES = ("USD", "EUR", "GBP", "JPY", "CNY", "RMB", "CHF", "INR", "KRW", "CAD",
                   "AUD", "HKD", "SGD", "SEK", "NOK", "DKK", "AED", "SAR", "ILS", "BRL")
_CURRENCY_WORDS = {
    "dollar": "USD", "dollars": "USD", "euro": "EUR", "euros": "EUR", "pound": "GBP",
    "pounds": "GBP", "sterling": "GBP", "yen": "JPY", "yuan": "CNY", "renminbi": "CNY",
    "rupees": "INR", "won": "KRW", "francs": "CHF",
}
_SCALES = {
    "thousand": 1e3, "k": 1e3, "million": 1e6, "mn": 1e6, "mln": 1e6, "m": 1e6, "mm": 1e6,
    "billion": 1e9, "bn": 1e9, "b": 1e9, "bln": 1e9, "trillion": 1e12, "tn": 1e12, "t": 1e12,
    "trn": 1e12,
}

_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_SCALE = r"trillion|billion|million|thousand|bn|bln|mln|mn|trn|tn|mm|[kmbt]"
_SYM = r"US\$|HK\$|C\$|A\$|S\$|\$|€|£|¥|₹|₩"
_CODE = "|".join(_CURRENCY_CODES)
_WORD = "|".join(sorted(_CURRENCY_WORDS, key=len, reverse=True))

# one amount: prefix currency, number, optional scale, optional "+", optional currency word
_AMOUNT = (
    rf"(?:(?P<§sym>{_SYM})\s?|(?P<§code>\b(?:{_CODE}))\s?)(?P<§num>{_NUM})"
    rf"(?:\s?(?P<§scale>{_SCALE})\b)?(?P<§plus>\+)?"
    rf"|\b(?P<§num2>{_NUM})(?:\s?(?P<§scale2>{_SCALE}))?\s(?P<§word>{_WORD})\b"
)
_ONE = _AMOUNT.replace("§", "a")
_RANGE_BETWEEN = re.compile(
    rf"\bbetween\s+(?:{_AMOUNT.replace('§', 'a')})\s+and\s+(?:{_AMOUNT.replace('§', 'b')})", re.I)
_RANGE_TO = re.compile(
    rf"(?:{_AMOUNT.replace('§', 'a')})\s*(?:-|–|to|-to-)\s*(?:{_AMOUNT.replace('§', 'b')})", re.I)
_RANGE_BARE = re.compile(  # "$5.15 to $5.35 billion", "$47-$55"
    rf"(?P<asym>{_SYM})(?P<anum>{_NUM})\s*(?:-|–|to|-to-)\s*(?P<bsym>{_SYM})?(?P<bnum>{_NUM})"
    rf"(?:\s?(?P<bscale>{_SCALE})\b)?", re.I)
_SINGLE = re.compile(_ONE, re.I)


def _number(num: str) -> float:
    return float(num.replace(",", ""))


def _currency(m: re.Match, p: str) -> str | None:
    sym, code, word = m.group(f"{p}sym"), m.group(f"{p}code"), m.group(f"{p}word")
    if sym:
        return _CURRENCY_SYMBOLS.get(sym.lower())
    if code:
        c = code.upper()
        return "CNY" if c == "RMB" else c
    if word:
        return _CURRENCY_WORDS.get(word.lower())
    return None


def _value(m: re.Match, p: str) -> float | None:
    num = m.group(f"{p}num") or m.group(f"{p}num2")
    if num is None:
        return None
    scale = m.group(f"{p}scale") or m.group(f"{p}scale2")
    if scale is not None and scale.lower() not in _SCALES:
        return None
    # a bare one-letter scale must not be a following word ("$5 m" fine, "$5 to" not here)
    factor = _SCALES[scale.lower()] if scale else 1.0
    return _number(num) * factor


def _clean(value: float) -> float | int:
    rounded = round(value, 2)
    return int(rounded) if rounded == int(rounded) else rounded


def _money(value: float, currency: str, value_max: float | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {"value": _clean(value), "currency": currency}
    if value_max is not None and value_max > value:
        out["value_max"] = _clean(value_max)
    return out


def find_money(text: str) -> list[tuple[int, int, dict[str, Any]]]:
    """Every amount of money in ``text`` as (start, end, money dict), ranges first."""
    found: list[tuple[int, int, dict[str, Any]]] = []
    taken: list[tuple[int, int]] = []

    def free(s: int, e: int) -> bool:
        return all(e <= a or s >= b for a, b in taken)

    for rx in (_RANGE_BETWEEN, _RANGE_TO):
        for m in rx.finditer(text):
            lo, hi = _value(m, "a"), _value(m, "b")
            cur = _currency(m, "a") or _currency(m, "b")
            if lo is None or hi is None or cur is None or not free(m.start(), m.end()):
                continue
            if not (m.group("ascale") or m.group("ascale2")) and (m.group("bscale")
                                                                  or m.group("bscale2")):
                lo *= _SCALES[(m.group("bscale") or m.group("bscale2")).lower()]
            found.append((m.start(), m.end(), _money(lo, cur, hi)))
            taken.append((m.start(), m.end()))
    for m in _RANGE_BARE.finditer(text):
        if not free(m.start(), m.end()):
            continue
        factor = _SCALES[m.group("bscale").lower()] if m.group("bscale") else 1.0
        cur = _CURRENCY_SYMBOLS.get(m.group("asym").lower())
        if cur is None:
            continue
        found.append((m.start(), m.end(), _money(_number(m.group("anum")) * factor, cur,
                                                 _number(m.group("bnum")) * factor)))
        taken.append((m.start(), m.end()))
    for m in _SINGLE.finditer(text):
        if not free(m.start(), m.end()):
            continue
        value, cur = _value(m, "a"), _currency(m, "a")
        if value is None or cur is None:
            continue
        found.append((m.start(), m.end(), _money(value, cur)))
        taken.append((m.start(), m.end()))
    found.sort(key=lambda x: x[0])
    return found


def parse_money(text: str) -> dict[str, Any] | None:
    """The first amount in ``text`` ("$1.5B", "EUR 600m", "between $1bn and $2bn"), or None."""
    found = find_money(text)
    return found[0][2] if found else None


_PERCENT = re.compile(rf"(?P<num>{_NUM})\s?(?:%|per\s?cent\b|percent\b)", re.I)


def find_percents(text: str) -> list[tuple[int, int, float | int]]:
    """Every percentage in ``text`` as (start, end, number 0-100)."""
    return [(m.start(), m.end(), _clean(_number(m.group("num")))) for m in _PERCENT.finditer(text)]


def parse_percent(text: str) -> float | int | None:
    """The first percentage in ``text`` ("49%", "35 percent"), or None."""
    found = find_percents(text)
    return found[0][2] if found else None


# ------------------------------------------------------------------ dates

_MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
_MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
_MONTHS["sept"] = 9
_WEEKDAYS = {name.lower(): i for i, name in enumerate(calendar.day_name)}
_MONTH_RX = r"(?:January|February|March|April|May|June|July|August|September|October|November|" \
            r"December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?"
_DAY_RX = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_NUMWORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
             "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "a": 1}

_DATE_RX = re.compile(
    rf"(?P<mdy>\b(?P<m1>{_MONTH_RX})\s+(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(?P<y1>(?:19|20)\d\d))?\b)"
    rf"|(?P<dmy>\b(?P<d2>\d{{1,2}})\s+(?P<m2>{_MONTH_RX})(?:,?\s+(?P<y2>(?:19|20)\d\d))?\b)"
    rf"|(?P<my>\b(?P<last>last\s+|this\s+|early\s+|late\s+|mid-)?(?P<m3>{_MONTH_RX})(?:\s+(?:of\s+)?(?P<y3>(?:19|20)\d\d))?\b)"
    rf"|(?P<iso>\b(?P<iy>(?:19|20)\d\d)-(?P<im>\d\d)(?:-(?P<id>\d\d))?\b)"
    rf"|(?P<wd>\b(?:last\s+)?(?P<wday>{_DAY_RX})\b)"
    rf"|(?P<rel>\b(?:last|previous)\s+(?P<unit>month|year|week)\b)"
    rf"|(?P<this>\b(?:earlier\s+|later\s+)?this\s+(?P<tunit>month|year|week)\b)"
    rf"|(?P<ago>\b(?P<n>\d+|{'|'.join(_NUMWORDS)})\s+(?P<aunit>months?|years?)\s+(?:ago|earlier)\b)"
    rf"|(?P<yest>\b(?:yesterday|today)\b)"
    rf"|(?P<soy>\b(?:at\s+the\s+)?(?:start|beginning)\s+of\s+(?:the|this)\s+year\b)"
    rf"|(?P<year>\b(?:in|from|of|during)\s+(?:early\s+|late\s+|mid-)?(?P<y4>(?:19|20)\d\d)\b)",
    re.I,
)


def parse_published(published: str | None) -> date | None:
    """The article's published date as a ``date`` (a month or year prefix gives its first day)."""
    if not published:
        return None
    m = re.match(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", published)
    if not m:
        return None
    try:
        return date(int(m.group(1)), int(m.group(2) or 1), int(m.group(3) or 1))
    except ValueError:
        return None


def _month_back(pub: date, months: int) -> tuple[int, int]:
    total = pub.year * 12 + pub.month - 1 - months
    return total // 12, total % 12 + 1


def _resolve(m: re.Match, pub: date | None) -> str | None:
    g = m.group
    if g("mdy") or g("dmy"):
        month = _MONTHS[(g("m1") or g("m2")).lower().rstrip(".")]
        day = int(g("d1") or g("d2"))
        year = g("y1") or g("y2")
        try:
            if year is not None:
                return date(int(year), month, day).isoformat()
            if pub is None:
                return None
            resolved = date(pub.year, month, day)
            if (resolved - pub).days > 31:  # "December 31" read in February: last year's
                resolved = date(pub.year - 1, month, day)
            return resolved.isoformat()
        except ValueError:
            return None
    if g("my"):
        month = _MONTHS[g("m3").lower().rstrip(".")]
        if g("y3"):
            return f"{int(g('y3')):04d}-{month:02d}"
        if g("m3").lower().rstrip(".") == "may" and g("m3")[0].islower():
            return None  # the verb "may"
        if pub is None:
            return None
        year = pub.year if month <= pub.month else pub.year - 1
        if (g("last") or "").strip().lower() == "last" and month == pub.month:
            year -= 1
        return f"{year:04d}-{month:02d}"
    if g("iso"):
        return m.group(0)
    if pub is None:
        return None
    if g("wd"):
        target = _WEEKDAYS[g("wday").lower()]
        delta = (pub.weekday() - target) % 7
        if g("wd").lower().startswith("last") and delta == 0:
            delta = 7
        return (pub - timedelta(days=delta)).isoformat()
    if g("rel"):
        unit = g("unit").lower()
        if unit == "month":
            y, mo = _month_back(pub, 1)
            return f"{y:04d}-{mo:02d}"
        if unit == "year":
            return f"{pub.year - 1:04d}"
        d = pub - timedelta(days=7)
        return f"{d.year:04d}-{d.month:02d}"
    if g("this"):
        unit = g("tunit").lower()
        if unit == "month":
            return f"{pub.year:04d}-{pub.month:02d}"
        if unit == "year":
            return f"{pub.year:04d}"
        return None
    if g("ago"):
        n_text = g("n").lower()
        n = int(n_text) if n_text.isdigit() else _NUMWORDS[n_text]
        if g("aunit").lower().startswith("year"):
            return f"{pub.year - n:04d}"
        y, mo = _month_back(pub, n)
        return f"{y:04d}-{mo:02d}"
    if g("soy"):
        return f"{pub.year:04d}-01"
    if g("yest"):
        d = pub - timedelta(days=1) if g("yest").lower() == "yesterday" else pub
        return d.isoformat()
    if g("year"):
        return g("y4")
    return None


def find_dates(text: str, published: str | None) -> list[tuple[int, int, str]]:
    """Every resolvable date expression in ``text`` as (start, end, ISO prefix)."""
    pub = parse_published(published)
    out = []
    for m in _DATE_RX.finditer(text):
        iso = _resolve(m, pub)
        if iso is not None:
            out.append((m.start(), m.end(), iso))
    return out


def resolve_date(expression: str, published: str | None) -> str | None:
    """The ISO prefix that one date expression denotes ("on Tuesday", "last month"), or None."""
    found = find_dates(expression, published)
    return found[0][2] if found else None


# ------------------------------------------------------------------ fiscal periods

_ORD = {"first": 1, "second": 2, "third": 3, "fourth": 4, "1st": 1, "2nd": 2, "3rd": 3,
        "4th": 4}
_PERIOD_RX = re.compile(
    r"(?P<qe>\bquarter\s+(?:ended|ending|to)\s+(?P<qem>January|February|March|April|May|June|"
    r"July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|"
    r"Nov|Dec)\.?(?:\s+\d{1,2})?(?:,?\s+(?P<qey>(?:19|20)\d\d))?)"
    r"|(?P<fyq>\bFY\s?'?(?P<fy1>(?:19|20)?\d\d)[\s-]*Q(?P<q1>[1-4])\b)"
    r"|(?P<qfy>\bQ(?P<q2>[1-4])\s*(?:of\s+)?(?:FY|fiscal)\s?'?(?P<fy2>(?:19|20)?\d\d)\b)"
    r"|(?P<fy>\b(?:FY\s?'?|fiscal\s+(?:year\s+)?)(?P<fy3>(?:19|20)\d\d|\d\d)\b)"
    r"|(?P<qy>\bQ(?P<q3>[1-4])\s*(?P<y3>(?:19|20)\d\d)\b)"
    r"|(?P<yq>\b(?P<y4>(?:19|20)\d\d)[\s-]*Q(?P<q4>[1-4])\b)"
    r"|(?P<ordq>\b(?P<fisc>fiscal\s+)?(?P<ord>first|second|third|fourth|1st|2nd|3rd|4th)[\s-]+"
    r"(?:fiscal\s+)?quarter(?:\s+(?:of\s+)?(?P<fisc2>fiscal\s+)?(?P<y5>(?:19|20)\d\d))?)"
    r"|(?P<yr>\b(?:in|for|of|during)\s+(?P<y6>(?:19|20)\d\d)\b|\b(?P<y7>(?:19|20)\d\d)\s+(?:revenue|sales|profit|loss)\b)",
    re.I,
)


def _full_year(y: str) -> int:
    n = int(y)
    return n + 2000 if n < 100 else n


def _period(m: re.Match, pub: date | None) -> str | None:
    g = m.group
    if g("qe"):
        month = _MONTHS[g("qem").lower().rstrip(".")]
        if g("qey"):
            year = int(g("qey"))
        elif pub is not None:
            year = pub.year if month <= pub.month else pub.year - 1
        else:
            return None
        return f"{year}-Q{(month - 1) // 3 + 1}"
    if g("fyq"):
        return f"FY{_full_year(g('fy1'))}-Q{g('q1')}"
    if g("qfy"):
        return f"FY{_full_year(g('fy2'))}-Q{g('q2')}"
    if g("fy"):
        return f"FY{_full_year(g('fy3'))}"
    if g("qy"):
        return f"{g('y3')}-Q{g('q3')}"
    if g("yq"):
        return f"{g('y4')}-Q{g('q4')}"
    if g("ordq"):
        q = _ORD[g("ord").lower()]
        fiscal = bool(g("fisc") or g("fisc2"))
        if g("y5"):
            year = int(g("y5"))
        elif pub is not None:
            year = pub.year
            # a quarter that has not ended by publication belongs to the year before
            if not fiscal and q * 3 > pub.month:
                year -= 1
        else:
            return None
        return f"FY{year}-Q{q}" if fiscal else f"{year}-Q{q}"
    if g("yr"):
        return g("y6") or g("y7")
    return None


def find_periods(text: str, published: str | None = None) -> list[tuple[int, int, str]]:
    """Every reporting period in ``text`` as (start, end, "2025" | "2025-Q3" | "FY2025[-Q3]")."""
    pub = parse_published(published)
    out = []
    for m in _PERIOD_RX.finditer(text):
        p = _period(m, pub)
        if p is not None:
            out.append((m.start(), m.end(), p))
    return out


def parse_period(text: str, published: str | None = None) -> str | None:
    """The first reporting period in ``text`` ("FY2025", "Q3 2025", "second quarter"), or None."""
    found = find_periods(text, published)
    return found[0][2] if found else None
