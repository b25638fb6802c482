"""TIMEX3 values: what a date expression means against a publication date, and day spans of values.

No parse here: :func:`normalise` turns an expression's text into a TIMEX3 type and value
(dateparser only for what the rules do not cover); :func:`day_span`, :func:`first_day`,
:func:`last_day` and :func:`iso_week` do the calendar arithmetic every stage shares.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from typing import TYPE_CHECKING

from briefgen.doc import Relation, TimexType

if TYPE_CHECKING:
    pass


WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
MONTHS = [
    "january", "february", "march", "april", "may", "june", "july", "august",
    "september", "october", "november", "december",
]  # fmt: skip
_MONTH_RE = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100, "another": 1, "couple of": 2,
    "a couple of": 2, "half a": 0.5,
}  # fmt: skip
_VAGUE_NUMBERS = {"few", "a few", "several", "many", "some", "the", "numerous", "recent"}
_UNIT = {"year": "Y", "month": "M", "week": "W", "day": "D", "decade": "DE", "quarter": "Q",
         "hour": "H", "minute": "M", "second": "S", "century": "CE", "fortnight": "W"}  # fmt: skip
_UNITS = "year|month|week|day|decade|quarter|hour|minute|second|century|fortnight"
_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "1st": 1, "2nd": 2, "3rd": 3,
             "4th": 4, "last": 4, "final": 4}  # fmt: skip
_SEASONS = {"spring": "SP", "summer": "SU", "fall": "FA", "autumn": "FA", "winter": "WI"}
_PARTS = {"morning": "MO", "afternoon": "AF", "evening": "EV", "night": "NI"}

_NUM = (
    r"\d+(?:\.\d+)?(?:\s+1/2)?|a few|a couple of|couple of|several|few|many|some|numerous|"
    r"half a|another|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
    r"thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|"
    r"fifty|sixty|hundred|(?:twenty|thirty|forty|fifty)[\s-](?:one|two|three|four|five|six|"
    r"seven|eight|nine)"
)
_DURATION = re.compile(
    r"^(?:(?:the|a|an)\s+)?(?:(?:past|last|next|first|coming|previous|following|final|"
    r"latest|nearly|almost|about|over|under|more than|less than|fewer than|at least|at most|"
    r"up to|no more than|no less than|roughly|some|full|entire|whole|succeeding|ensuing|"
    r"preceding|remaining|another)\s+)*"
    rf"(?P<n>{_NUM})?(?:\s+(?:to|or)\s+(?:{_NUM}))?[\s-]*(?:(?:more|additional|straight|"
    r"consecutive|full|calendar|fiscal|trading|business|working|long)\s+)?"
    rf"(?P<unit>{_UNITS})(?P<plural>s)?(?P<half>\s+and\s+a\s+half)?"
    r"(?:-long|\s+long|\s+old|\s+or\s+so|\s+or\s+more)?$",
    re.I,
)
_SHIFT = re.compile(
    rf"^(?:(?:nearly|almost|about|some|more than|less than|roughly|only|just)\s+)?"
    rf"(?P<n>{_NUM})?[\s-]*(?P<unit>{_UNITS})s?\s+(?:or so\s+)?"
    r"(?P<dir>ago|earlier|before|later|after|from now|hence|previously)$",
    re.I,
)
_YEAR_AGO = re.compile(r"^(?:(?:the|a)\s+)?(?:year|quarter|month)[\s-](?:earlier|ago)\b", re.I)
_QUARTER = re.compile(
    r"^(?:(?:the|its|a|an|this|that|their|fiscal|flat|latest|current|same|calendar)\s+)*"
    r"(?:(?P<y1>\d{4})\s+)?(?:fiscal\s+)?(?P<ord>first|second|third|fourth|1st|2nd|3rd|4th|"
    r"last|final)[\s-](?P<unit>quarter|half|period)(?:\s+(?:of\s+)?(?:fiscal\s+)?(?P<y2>\d{4}))?$",
    re.I,
)
_SET = re.compile(
    r"^(?:every|each|per)\b|^(?:daily|weekly|monthly|annually|yearly|nightly|biweekly|"
    r"hourly)$|^(?:once|twice|three times) an?\b",
    re.I,
)
_TRAIL = re.compile(r"(?:'s|’s|[\s.,;:!?\"'`)(-]|\s(?:and|or)\b)+$")
_CLOCK = re.compile(
    r"(?P<h>\d{1,2})(?::(?P<m>\d\d))?\s*(?P<ap>[ap])\.?\s*m\.?|(?P<h24>\d{1,2}):(?P<m24>\d\d)|"
    r"(?P<word>\bnoon\b|\bmidnight\b)",
    re.I,
)
_REF_WORDS: dict[str, str] = {
    "now": "PRESENT_REF", "right now": "PRESENT_REF", "currently": "PRESENT_REF",
    "at present": "PRESENT_REF", "the present": "PRESENT_REF", "nowadays": "PRESENT_REF",
    "these days": "PRESENT_REF", "this time": "PRESENT_REF", "at this time": "PRESENT_REF",
    "recently": "PAST_REF", "recent": "PAST_REF", "more recently": "PAST_REF",
    "the past": "PAST_REF", "previously": "PAST_REF", "formerly": "PAST_REF",
    "the future": "FUTURE_REF", "the near future": "FUTURE_REF",
    "soon": "FUTURE_REF", "the near term": "FUTURE_REF", "the short term": "FUTURE_REF",
    "the long term": "FUTURE_REF", "the days ahead": "FUTURE_REF",
}  # fmt: skip


_FISCAL_YEAR = {
    "the fiscal year", "the current fiscal year", "this fiscal year", "fiscal year",
    "the full year", "the full fiscal year", "the latest fiscal year",
}  # fmt: skip
_THIS_QUARTER = {
    "the quarter", "the latest quarter", "the latest period", "the period", "the current quarter",
    "this quarter", "the same quarter", "the same period",
}  # fmt: skip
_RELATIVE_UNIT = re.compile(
    r"(this|last|next|the past|the last|the coming|the previous|the following|the current|"
    r"the same|the)"
    r" (week|month|year|quarter|weekend|decade|century)"
)


def iso_week(d: dt.date) -> str:
    """The TIMEX3 week value of a day: ``2025-W38``."""
    y, w, _ = d.isocalendar()
    return f"{y}-W{w:02d}"


def day_span(value: str | None) -> tuple[dt.date, dt.date] | None:
    """The first and last day a TIMEX3 date value covers (a day, ISO week, month or year)."""
    if not value:
        return None
    try:
        if len(value) >= 10:
            day = dt.date.fromisoformat(value[:10])
            return day, day
        if len(value) == 7 and value[4] == "-" and value[5:].isdigit():
            year, month = int(value[:4]), int(value[5:])
            first = dt.date(year, month, 1)
            return first, dt.date(year + (month == 12), month % 12 + 1, 1) - dt.timedelta(days=1)
        if len(value) == 8 and value[4:6] == "-W" and value[6:].isdigit():
            monday = dt.date.fromisocalendar(int(value[:4]), int(value[6:]), 1)
            return monday, monday + dt.timedelta(days=6)
        if len(value) == 4 and value.isdigit():
            return dt.date(int(value), 1, 1), dt.date(int(value), 12, 31)
    except ValueError:
        return None
    return None


def first_day(value: str | None) -> dt.date | None:
    span = day_span(value)
    return span[0] if span else None


def last_day(value: str | None) -> dt.date | None:
    span = day_span(value)
    return span[1] if span else None


def _number(raw: str | None) -> float | None:
    """The number in a duration, or None when it is vague ("several")."""
    if raw is None:
        return 1
    raw = raw.lower().strip()
    if raw in _VAGUE_NUMBERS:
        return None
    if raw in _NUMBER_WORDS:
        return _NUMBER_WORDS[raw]
    parts = re.split(r"[\s-]+", raw)
    if len(parts) == 2 and all(p in _NUMBER_WORDS for p in parts):  # "twenty-four"
        return _NUMBER_WORDS[parts[0]] + _NUMBER_WORDS[parts[1]]
    half = raw.endswith("1/2")
    raw = raw.replace("1/2", "").strip()
    try:
        return float(raw) + (0.5 if half else 0)
    except ValueError:
        return None


def _fmt(n: float | None) -> str:
    if n is None:
        return "X"
    return str(int(n)) if n == int(n) else str(n)


_SMALLER = {"Y": ("M", 12), "D": ("H", 24), "H": ("M", 60), "M": ("S", 60)}


def _duration_value(n: float | None, unit: str) -> str:
    """TIMEX3 duration: decades and centuries in years, halves in the next smaller unit."""
    unit = unit.lower()
    if n is not None and unit in {"fortnight", "decade", "century"}:
        n *= {"fortnight": 2, "decade": 10, "century": 100}[unit]
        unit = "week" if unit == "fortnight" else "year"
    elif n is None and unit in {"decade", "century"}:
        unit = "year"
    time = unit in {"hour", "minute", "second"}
    code = _UNIT[unit]
    prefix = "PT" if time else "P"
    if n is not None and n != int(n) and code in _SMALLER and not (code == "M" and not time):
        small, per = _SMALLER[code]
        whole, part = int(n), round((n - int(n)) * per)
        if code == "Y":
            return f"P{whole}Y{part}M" if whole else f"P{part}M"
        if code == "D":
            return f"P{whole}DT{part}H" if whole else f"PT{part}H"
        return f"{prefix}{whole}{code}{part}{small}" if whole else f"{prefix}{part}{small}"
    return f"{prefix}{_fmt(n)}{code}"


def _add_months(d: dt.date, months: int) -> dt.date:
    m = d.month - 1 + months
    return dt.date(d.year + m // 12, m % 12 + 1, 1)


def _quarter(d: dt.date) -> int:
    return (d.month - 1) // 3 + 1


def _shift(value: str, years: int) -> str | None:
    """``value`` (a year, quarter, month or day) moved by whole years."""
    m = re.fullmatch(r"(\d{4})(.*)", value)
    if not m:
        return None
    rest = m.group(2)
    if rest.startswith("-02-29"):
        rest = "-02-28"
    return f"{int(m.group(1)) + years:04d}{rest}"


def _month_of(word: str) -> int | None:
    w = word.lower().rstrip(".")
    for i, name in enumerate(MONTHS, start=1):
        if w == name or (len(w) >= 3 and name.startswith(w)):
            return i
    return None


def _pick_year(
    month: int, day: int | None, published: dt.date, relation: Relation, weekday: int | None = None
) -> int:
    """The year of a month (and day) written without one.

    The occurrence closest to the publication date, after it when the sentence speaks of the
    future; news in the past tense often reports dates still to come ("was extended to Nov. 20"),
    so the tense only weighs against the other direction. A weekday given with it decides.
    """
    year = published.year
    best, best_cost = year, None
    for y in (year - 1, year, year + 1):
        try:
            d = dt.date(y, month, day or 15)
        except ValueError:
            continue
        if weekday is not None and day and d.weekday() == weekday:
            return y
        gap = (d - published).days
        cost = float(abs(gap))
        if (relation == "future" and gap < 0) or (relation == "past" and gap > 0):
            cost *= 3
        if best_cost is None or cost < best_cost:
            best, best_cost = y, cost
    return best


def _weekday(i: int, published: dt.date, relation: Relation, modifier: str) -> dt.date:
    delta = (i - published.weekday()) % 7
    if modifier == "next":
        return published + dt.timedelta(days=delta or 7)
    if modifier == "last":
        return published - dt.timedelta(days=(published.weekday() - i) % 7 or 7)
    if modifier == "this" or relation in {"future", "present"}:
        return published + dt.timedelta(days=delta)
    return published - dt.timedelta(days=(published.weekday() - i) % 7)


def _clean(text: str) -> str:
    t = re.sub(r"\s+", " ", text.strip()).lower().replace("’", "'")
    t = _TRAIL.sub("", t)
    return t


def normalise(
    text: str,
    *,
    published: dt.date | None,
    relation: Relation,
    reference: str | None = None,
) -> tuple[TimexType, str, dt.date | None]:
    """TIMEX3 type and value of an expression, and the day it resolves to when it is one day.

    ``reference`` is the last absolute date value mentioned before the expression, for
    anaphoric ones ("a year earlier", "the quarter").
    """
    t = _clean(text)
    t = re.sub(r"^(?:on|in|at(?! least| most)|by|since|from|until|during|for|of|as of) ", "", t)
    result = _normalise(t, published, relation, reference)
    if result[2] is None and re.fullmatch(r"\d{4}-\d\d-\d\d", result[1]):
        return result[0], result[1], dt.date.fromisoformat(result[1])
    return result


def _normalise(
    t: str, published: dt.date | None, relation: Relation, reference: str | None
) -> tuple[TimexType, str, dt.date | None]:
    # Sets first, so "every week" is never a date or a duration.
    if _SET.search(t) or re.fullmatch(
        r"(?:[a-z]+day)s(?: (?:morning|afternoon|evening|night)s?)?", t
    ):
        return _set(t)
    if t in _REF_WORDS:
        return "DATE", _REF_WORDS[t], None
    m = re.fullmatch(rf"recent ({_UNITS})s", t)
    if m:
        return "DURATION", _duration_value(None, m.group(1)), None
    m = re.fullmatch(r"(?:the|a|its|this|that) ((?:19|20)\d\d) (quarter|period|half)", t)
    if m:
        if reference and "-Q" in reference and m.group(2) != "half":
            return "DATE", f"{m.group(1)}{reference[4:]}", None
        return "DATE", m.group(1), None
    if t in {"the coming weeks", "the coming days", "the coming months"}:
        return "DATE", "FUTURE_REF", None
    shift = _SHIFT.match(t)
    if shift and published is not None:
        return _shifted(shift, published, reference)
    if published is not None and (_YEAR_AGO.match(t) or t in {"year-earlier", "year-ago"}):
        return "DATE", _year_ago(t, published, reference), None
    if published is not None:  # "the first quarter of next year": of its year
        t = re.sub(
            r"\b((?:quarter|half)) of (next|this|last) year$",
            lambda m: (
                f"{m.group(1)} of "
                + str(published.year + {"next": 1, "this": 0, "last": -1}[m.group(2)])
            ),
            t,
        )
    q = _QUARTER.match(t)
    if q:
        return _quarter_value(q, published, relation)
    if re.fullmatch(r"(?:the )?(?:latest|current|same|recent|comparable) (?:quarter|period)", t):
        return _date(t, published, relation, reference) if published else ("DATE", "XXXX-QX", None)
    if t in _FISCAL_YEAR:
        return "DATE", str(published.year) if published else "XXXX", None
    m = re.fullmatch(r"(?:the )?(\d{1,2})(?:st|nd|rd|th) century", t)
    if m:
        return "DATE", f"{int(m.group(1)) - 1:02d}", None
    if re.fullmatch(rf"(?:the )?(?:near )?future (?:{_UNITS})s", t):
        return "DATE", "FUTURE_REF", None
    m = _DURATION.match(t)
    if (
        m
        and not re.match(r"^(?:last|next|this|that|the (?:year|quarter|week|month|day))\b", t)
        and not (t.startswith(("the past ", "the last ")) and m.group("n") is None)
    ):
        n = _number(m.group("n")) if m.group("n") or not m.group("plural") else None
        if m.group("half") and n is not None:
            n += 0.5
        return "DURATION", _duration_value(n, m.group("unit")), None
    if published is None:
        return "DATE", "XXXX-XX-XX", None
    return _date(t, published, relation, reference)


def _set(t: str) -> tuple[TimexType, str, dt.date | None]:
    m = re.search(rf"\b({_MONTH_RE})(?![\w.])", t)
    month = _month_of(m.group(1)) if m and m.group(1) != "may" else None
    if month is not None:
        return "SET", f"XXXX-{month:02d}", None
    for i, w in enumerate(WEEKDAYS):
        if w in t:
            part = next((v for k, v in _PARTS.items() if k in t), "")
            return "SET", f"XXXX-WXX-{i + 1}" + (f"T{part}" if part else ""), None
    simple = {"daily": "P1D", "nightly": "P1D", "weekly": "P1W", "biweekly": "P2W",
              "monthly": "P1M", "annually": "P1Y", "yearly": "P1Y", "hourly": "PT1H"}  # fmt: skip
    if t in simple:
        return "SET", simple[t], None
    unit = next((u for u in _UNIT if re.search(rf"\b{u}", t)), None)
    if unit is None:
        if "weekend" in t:
            return "SET", "XXXX-WXX-WE", None
        return "SET", "P1D" if any(p in t for p in _PARTS) else "P1W", None
    return "SET", _duration_value(1, unit), None


def _shifted(
    m: re.Match[str], published: dt.date, reference: str | None
) -> tuple[TimexType, str, dt.date | None]:
    n = _number(m.group("n"))
    unit = m.group("unit").lower()
    sign = -1 if m.group("dir").lower() in {"ago", "earlier", "before", "previously"} else 1
    if n is None:
        return "DATE", "PAST_REF" if sign < 0 else "FUTURE_REF", None
    k = int(n)
    if (
        unit == "year"
        and reference
        and k
        and (m.group("dir").lower() != "ago" or (k == 1 and "-Q" in reference))
    ):
        moved = _shift(reference if "-Q" in reference else reference[:4], sign * k)
        if moved:
            return "DATE", moved, None
    if unit == "day":
        d = published + dt.timedelta(days=sign * k)
        return "DATE", d.isoformat(), d
    if unit in {"week", "fortnight"}:
        return (
            "DATE",
            iso_week(published + dt.timedelta(weeks=sign * k * (2 if unit == "fortnight" else 1))),
            None,
        )
    if unit == "month":
        return "DATE", _add_months(published, sign * k).strftime("%Y-%m"), None
    if unit == "quarter":
        d = _add_months(published, sign * 3 * k)
        return "DATE", f"{d.year}-Q{_quarter(d)}", None
    if unit == "year":
        return "DATE", str(published.year + sign * k), None
    if unit == "decade":
        return "DATE", str(published.year + sign * 10 * k)[:3], None
    if unit == "century":
        return "DATE", str(published.year + sign * 100 * k)[:2], None
    return "TIME", f"{published.isoformat()}TXX:XX", None


def _year_ago(t: str, published: dt.date, reference: str | None) -> str:
    if "quarter" in t:
        base = reference if reference and "-Q" in reference else None
        if base is None:
            q = _quarter(published) - 1 or 4
            base = f"{published.year - (q == 4)}-Q{q}"
        year, quarter = base.split("-Q")
        return f"{int(year) - 1}-Q{quarter}" if "year" in t else base
    if "month" in t:
        return _add_months(published, -1).strftime("%Y-%m")
    if reference and re.fullmatch(r"\d{4}(?:-Q\d)?", reference):
        moved = _shift(reference, -1)
        if moved:
            return moved
    return str(published.year - 1)


def _quarter_value(
    q: re.Match[str], published: dt.date | None, relation: Relation
) -> tuple[TimexType, str, dt.date | None]:
    n = _ORDINALS[q.group("ord").lower()]
    unit = q.group("unit").lower()
    if unit == "half":
        n = min(n, 2)
    year_text = q.group("y1") or q.group("y2")
    if year_text:
        year = int(year_text)
    elif published is None:
        return "DATE", f"XXXX-{'H' if unit == 'half' else 'Q'}{n}", None
    else:
        year = published.year
        current = _quarter(published) if unit != "half" else (1 if published.month <= 6 else 2)
        if n > current and relation != "future":
            year -= 1
    return "DATE", f"{year:04d}-{'H' if unit == 'half' else 'Q'}{n}", None


def _date(
    t: str, published: dt.date, relation: Relation, reference: str | None
) -> tuple[TimexType, str, dt.date | None]:
    pub = published
    # Modifiers that keep the value of what they modify ("early next year", "late Tuesday").
    core = re.sub(
        r"^(?:(?:the )?(?:end|beginning|start|middle|rest|remainder|first half|second half)"
        r" of |(?:early|earlier|late|later|mid|the middle|the end)[\s-]+)",
        "",
        t,
    )
    core = re.sub(r"^(?:the )?(?:first|last|final|next) (?:days?|weeks?) of ", "", core)
    if core != t:
        core = re.sub(r"^the (week|month|year|quarter|decade)$", r"this \1", core)
    if t in {"year-end", "year end", "the year-end"}:
        return "DATE", f"{pub.year}-12-31", dt.date(pub.year, 12, 31)
    if core in {"today", "this day", "the day", "tonight"}:
        return "DATE", pub.isoformat(), pub
    if core == "yesterday":
        d = pub - dt.timedelta(days=1)
        return "DATE", d.isoformat(), d
    if core == "tomorrow":
        d = pub + dt.timedelta(days=1)
        return "DATE", d.isoformat(), d
    m = re.fullmatch(
        r"(?:the )?(?:early|late|mid)?[\s-]?(morning|afternoon|evening|night)"
        r"(?: (?:of )?(yesterday|today|tomorrow|[a-z]+day))?",
        t,
    )
    if m and (
        m.group(2) is None
        or m.group(2) in WEEKDAYS
        or m.group(2) in {"yesterday", "today", "tomorrow"}
    ):
        when = m.group(2) or "today"
        if when in WEEKDAYS:
            d = _weekday(WEEKDAYS.index(when), pub, relation, "")
        else:
            d = pub + dt.timedelta(days={"yesterday": -1, "tomorrow": 1}.get(when, 0))
        return "TIME", f"{d.isoformat()}T{_PARTS[m.group(1)]}", None
    m = re.fullmatch(r"(this|last|yesterday|tomorrow|the) (morning|afternoon|evening|night)", core)
    if m:
        d = pub + dt.timedelta(days={"last": -1, "yesterday": -1, "tomorrow": 1}.get(m.group(1), 0))
        return "TIME", f"{d.isoformat()}T{_PARTS[m.group(2)]}", None
    core = re.sub(r"^the (?:latest|comparable) ", "the latest ", core)
    if core in _THIS_QUARTER:
        if reference and "-Q" in reference:
            return "DATE", reference, None
        if core in {"this quarter", "the current quarter"}:
            return "DATE", f"{pub.year}-Q{_quarter(pub)}", None
        q = _quarter(pub) - 1 or 4
        return "DATE", f"{pub.year - (q == 4)}-Q{q}", None
    m = _RELATIVE_UNIT.fullmatch(core)
    if m:
        return _relative_unit(m.group(1), m.group(2), pub, relation)
    m = re.fullmatch(r"the (following|previous|preceding|next|prior) year", core)
    if m:
        base = int(reference[:4]) if reference and reference[:4].isdigit() else pub.year
        return "DATE", str(base + (1 if m.group(1) in {"following", "next"} else -1)), None
    if core in {"that year", "the same year"} and reference and reference[:4].isdigit():
        return "DATE", reference[:4], None
    m = re.fullmatch(rf"({_MONTH_RE}),? (this|last|next) year", core)
    if m:
        month = _month_of(m.group(1))
        if month is not None:
            year = pub.year + {"this": 0, "last": -1, "next": 1}[m.group(2)]
            return "DATE", f"{year}-{month:02d}", None
    m = re.fullmatch(
        r"(this|last|next) year's (?:fiscal )?(first|second|third|fourth|1st|2nd|3rd|4th)"
        r"[\s-](quarter|half)",
        core,
    )
    if m:
        year = pub.year + {"this": 0, "last": -1, "next": 1}[m.group(1)]
        n = _ORDINALS[m.group(2)]
        return "DATE", f"{year}-{'Q' if m.group(3) == 'quarter' else 'H'}{n}", None
    if core in {"year-end", "year end", "the year-end"}:
        return "DATE", str(pub.year), None
    core = re.sub(r"^this past ", "last ", core)
    m = re.fullmatch(r"(?:(this|last|next|the|that) )?(spring|summer|fall|autumn|winter)"
                     r"(?: (?:of )?(\d{4}))?", core)  # fmt: skip
    if m:
        return "DATE", _season(m.group(1), m.group(2), m.group(3), pub, relation), None
    core = re.sub(r"^the (?:previous|preceding) ", "last ", core)
    core = re.sub(r"^the following ", "next ", core)
    m = re.fullmatch(r"(?:(this|last|next|the|that|coming|past) )?([a-z]+day)"
                     r"(?:,? (?:(morning|afternoon|evening|night)|(.+)))?", core)  # fmt: skip
    if m and m.group(2) in WEEKDAYS:
        if m.group(4):  # "Friday, Sept. 30": the date decides, the weekday picks its year
            got = _calendar(m.group(4), pub, relation, WEEKDAYS.index(m.group(2)))
            return got or _date(m.group(4), pub, relation, reference)
        d = _weekday(WEEKDAYS.index(m.group(2)), pub, relation, m.group(1) or "")
        if m.group(3):
            return "TIME", f"{d.isoformat()}T{_PARTS[m.group(3)]}", None
        return "DATE", d.isoformat(), d
    m = re.fullmatch(rf"(last|next|this past|this coming) ({_MONTH_RE} \d{{1,2}})", core)
    if m:
        relation = "past" if m.group(1) in {"last", "this past"} else "future"
        core = m.group(2)
    got = _calendar(core, pub, relation) or _holiday(core, pub, relation)
    if got is not None:
        return got
    m = re.fullmatch(r"(?:the )?(?:(?:early|mid|late)[\s-])?(?:(\d{2})(\d)0|'(\d)0)'?s", core)
    if m:
        if m.group(3):
            return "DATE", f"19{m.group(3)}", None
        if m.group(2) == "0" and m.group(1) and core.rstrip("s").endswith("00"):
            return "DATE", m.group(1), None
        return "DATE", f"{m.group(1)}{m.group(2)}", None
    m = re.fullmatch(r"(?:(?:the )?(?:fiscal|calendar|year|model year|school year) )?"
                     r"((?:1[5-9]|20|21)\d\d)(?:[-/](?:\d\d|\d{4}))?", core)  # fmt: skip
    if m:
        return "DATE", m.group(1), None
    m = re.fullmatch(r"(?:fiscal|fy) ?'?(\d\d)", core)
    if m:
        return "DATE", f"{'19' if int(m.group(1)) > 30 else '20'}{m.group(1)}", None
    clock = _CLOCK.search(core)
    if clock:
        day = pub
        named = next((i for i, w in enumerate(WEEKDAYS) if w in core), None)
        md = re.search(rf"({_MONTH_RE})\s+(\d{{1,2}})(?!\d)", core)
        dated = _calendar(f"{md.group(1)} {md.group(2)}", pub, relation) if md else None
        if dated is not None and dated[2] is not None:
            day = dated[2]
        elif named is not None:
            day = _weekday(named, pub, relation, "")
        elif "tomorrow" in core:
            day = pub + dt.timedelta(days=1)
        elif "yesterday" in core:
            day = pub - dt.timedelta(days=1)
        return "TIME", f"{day.isoformat()}T{_clock(clock)}", None
    if core in {"the weekend", "this weekend", "weekend"}:
        return "DATE", f"{iso_week(pub)}-WE", None
    if re.fullmatch(r"(?:the )?(?:last|past) (?:few|several|couple of) \w+", core):
        return "DATE", "PAST_REF", None
    if re.fullmatch(r"(?:the )?(?:next|coming) (?:few|several|couple of) \w+", core):
        return "DATE", "FUTURE_REF", None
    return _fallback(core, pub, relation)


def _nth_weekday(year: int, month: int, weekday: int, n: int) -> dt.date:
    """The ``n``-th given weekday of a month (``n`` = -1: the last)."""
    if n > 0:
        first = dt.date(year, month, 1)
        return first + dt.timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))
    last = _add_months(dt.date(year, month, 1), 1) - dt.timedelta(days=1)
    return last - dt.timedelta(days=(last.weekday() - weekday) % 7)


# (month, day) for fixed dates; (month, weekday, n) for the n-th weekday, n = -1 the last,
# n = 0 US Election Day, n = -2 Victoria Day.
_HOLIDAYS: dict[str, tuple[int, ...]] = {
    "christmas": (12, 25), "christmas day": (12, 25), "christmas eve": (12, 24),
    "new year's day": (1, 1), "new year's": (1, 1), "new year's eve": (12, 31),
    "independence day": (7, 4), "halloween": (10, 31), "valentine's day": (2, 14),
    "veterans day": (11, 11), "boxing day": (12, 26), "canada day": (7, 1),
    "thanksgiving": (11, 3, 4), "thanksgiving day": (11, 3, 4), "labor day": (9, 0, 1),
    "memorial day": (5, 0, -1), "victoria day": (5, 0, -2),
    "election day": (11, 1, 0),
}  # fmt: skip


def _holiday(
    core: str, pub: dt.date, relation: Relation
) -> tuple[TimexType, str, dt.date | None] | None:
    """Fixed and movable (US/Canadian) holidays, in the year the sentence points to."""
    m = re.fullmatch(r"(?:(last|next|this) )?(.+)", core)
    rule = _HOLIDAYS.get(m.group(2)) if m else None
    if m is None or rule is None:
        return None

    def on(year: int) -> dt.date:
        assert rule is not None
        if len(rule) == 2:
            return dt.date(year, rule[0], rule[1])
        month, weekday, n = rule
        if n == 0:  # US Election Day: the Tuesday after the first Monday of November
            return _nth_weekday(year, month, 0, 1) + dt.timedelta(days=1)
        if n == -2:  # Victoria Day: the Monday before May 25
            d = dt.date(year, 5, 24)
            return d - dt.timedelta(days=d.weekday())
        return _nth_weekday(year, month, weekday, n)

    mod = m.group(1)
    days = [on(y) for y in (pub.year - 1, pub.year, pub.year + 1)]
    if mod == "last" or (mod is None and relation == "past"):
        d = max((x for x in days if x <= pub), default=days[1])
    elif mod == "next" or (mod is None and relation == "future"):
        d = min((x for x in days if x >= pub), default=days[1])
    else:
        d = min(days, key=lambda x: abs((x - pub).days))
    return "DATE", d.isoformat(), d


def _clock(m: re.Match[str]) -> str:
    if m.group("word"):
        return "12:00" if m.group("word").lower() == "noon" else "24:00"
    if m.group("h24"):
        return f"{int(m.group('h24')):02d}:{m.group('m24')}"
    h = int(m.group("h")) % 12 + (12 if m.group("ap").lower() == "p" else 0)
    return f"{h:02d}:{m.group('m') or '00'}"


def _relative_unit(
    mod: str, unit: str, pub: dt.date, relation: Relation
) -> tuple[TimexType, str, dt.date | None]:
    step = {"last": -1, "the past": -1, "the last": -1, "the previous": -1, "next": 1,
            "the coming": 1,
            "the following": 1}.get(mod, 0)  # fmt: skip
    if mod == "the" and unit == "week":
        return "DATE", f"{pub.year}-WXX", None
    if mod == "the" and unit in {"year", "month", "decade"}:
        return "DURATION", _duration_value(1, unit), None
    if unit == "week":
        return "DATE", iso_week(pub + dt.timedelta(weeks=step)), None
    if unit == "weekend":
        if mod == "the":  # "over the weekend": the one just gone, unless the clause looks ahead
            ahead = relation == "future" or pub.weekday() >= 5
            return "DATE", f"{iso_week(pub - dt.timedelta(weeks=0 if ahead else 1))}-WE", None
        return "DATE", f"{iso_week(pub + dt.timedelta(weeks=step))}-WE", None
    if unit == "month":
        return "DATE", _add_months(pub, step).strftime("%Y-%m"), None
    if unit == "quarter":
        d = _add_months(pub, 3 * step)
        return "DATE", f"{d.year}-Q{_quarter(d)}", None
    if unit == "decade":
        return "DATE", str(pub.year + 10 * step)[:3], None
    if unit == "century":
        return "DATE", str(pub.year + 100 * step)[:2], None
    return "DATE", str(pub.year + step), None


def _season(
    mod: str | None, name: str, year_text: str | None, pub: dt.date, relation: Relation
) -> str:
    code = _SEASONS[name]
    if year_text:
        return f"{year_text}-{code}"
    start = {"SP": 3, "SU": 6, "FA": 9, "WI": 12}[code]
    year = pub.year
    if mod == "last":
        year -= 1 if pub.month < start + 3 else 0
    elif mod == "next":
        year += 1 if pub.month >= start else 0
    elif mod in {None, "the", "that"}:
        if relation == "past" and pub.month < start:
            year -= 1
        elif relation == "future" and pub.month >= start + 3:
            year += 1
    return f"{year}-{code}"


_CAL_MD = re.compile(
    rf"^(?P<mon>{_MONTH_RE})\s+(?P<day>\d{{1,2}})(?!\d)(?:st|nd|rd|th)?(?:,?\s+(?P<year>\d{{4}}))?"
)
_CAL_DM = re.compile(
    rf"^(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<mon>{_MONTH_RE})(?:,?\s+(?P<year>\d{{4}}))?"
)
_CAL_M = re.compile(
    rf"^(?:(?P<mod>this|last|next|the|that|coming|past)\s+)?(?P<mon>{_MONTH_RE})"
    r"(?:,?\s+(?:of\s+)?(?P<year>\d{4}))?$"
)


def _calendar(
    core: str, pub: dt.date, relation: Relation, weekday: int | None = None
) -> tuple[TimexType, str, dt.date | None] | None:
    m = re.fullmatch(r"(\d{4})-(\d\d)-(\d\d)|(\d{1,2})/(\d{1,2})/(\d{2}|\d{4})", core)
    if m:
        try:
            if m.group(1):
                d = dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            else:
                y = int(m.group(6))
                y += 1900 if y >= 50 and y < 100 else 2000 if y < 50 else 0
                d = dt.date(y, int(m.group(4)), int(m.group(5)))
        except ValueError:
            return None
        return "DATE", d.isoformat(), d
    m = _CAL_MD.match(core) or _CAL_DM.match(core)
    if m:
        month = _month_of(m.group("mon"))
        day = int(m.group("day"))
        if month is None or not 1 <= day <= 31:
            return None
        year = (
            int(m.group("year"))
            if m.group("year")
            else _pick_year(month, day, pub, relation, weekday)
        )
        try:
            d = dt.date(year, month, day)
        except ValueError:
            return None
        return "DATE", d.isoformat(), d
    m = _CAL_M.match(core)
    if m:
        month = _month_of(m.group("mon"))
        if month is None or (
            m.group("mon").startswith("may")
            and not m.group("year")
            and not m.group("mod")
            and core != "may"
        ):
            return None
        if m.group("year"):
            year = int(m.group("year"))
        elif m.group("mod") == "last":
            year = pub.year - (month >= pub.month)
        elif m.group("mod") == "next":
            year = pub.year + (month <= pub.month)
        elif m.group("mod") == "this":
            year = pub.year
        else:
            year = _pick_year(month, None, pub, relation)
        return "DATE", f"{year:04d}-{month:02d}", None
    return None


def _fallback(core: str, pub: dt.date, relation: Relation) -> tuple[TimexType, str, dt.date | None]:
    value = _dateparser(core, pub.isoformat(), relation)
    if value is None:
        if re.search(r"\b(?:hours?|minutes?|seconds?)\b", core):
            return "DURATION", "PTXH", None
        return "DATE", "XXXX-XX-XX", None
    if len(value) == 10:
        return "DATE", value, dt.date.fromisoformat(value)
    return "DATE", value, None


@lru_cache(maxsize=4096)
def _dateparser(text: str, published: str, relation: Relation) -> str | None:
    """dateparser for what the rules leave, anchored to the publication date (cached)."""
    import dateparser

    prefer = {"future": "future", "past": "past"}.get(relation, "current_period")
    base = dt.datetime.combine(dt.date.fromisoformat(published), dt.time(12))
    parsed = dateparser.parse(
        text,
        languages=["en"],
        settings={
            "RELATIVE_BASE": base,
            "PREFER_DATES_FROM": prefer,
            "RETURN_AS_TIMEZONE_AWARE": False,
            "REQUIRE_PARTS": ["month"],
        },
    )
    if parsed is None:
        return None
    if re.search(r"\b\d{1,2}(?:st|nd|rd|th)?\b", text) or any(w in text for w in WEEKDAYS):
        return str(parsed.date().isoformat())
    return str(parsed.strftime("%Y-%m"))
