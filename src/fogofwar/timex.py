"""Find day-level time expressions in a sentence and resolve them against the publication date.

Candidates are found with our own patterns (one compiled regex, with a cheaper keyword
pre-filter); month-day dates are then parsed by dateparser with ``RELATIVE_BASE`` set to the
publication date (ISO dates are read strictly as year-month-day). Decisions:

* A weekday is the most recent such day on or before publication ("on Friday" in a Friday
  article is that Friday); "last Friday" is strictly before, "next Friday" strictly after.
  dateparser would put a bare same-day weekday a week back, so weekdays are done by arithmetic.
* "today", "tonight", "this morning|afternoon|evening", "earlier/later today" -> published;
  "yesterday", "last night" -> published - 1; "the day before yesterday" -> published - 2.
* "overnight" alone -> published: reports call the night before the morning of day D "the
  night of D", the same convention as "overnight into Thursday" -> Thursday.
* A month-day without a year takes the year that puts it closest to publication.
* Expressions that bound rather than date an event ("since May 25", "until Friday",
  "by Monday", "before", "after", "prior to") are ignored; "from May 25" is kept.
* Relative expressions need a publication date; without one only explicit years resolve.
* Vague periods ("this week", "last May", "in August", "in late June") give nothing; "May" is
  a month only next to a day number.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

from fogofwar.models import Span, TimeRef

__all__ = ["find_times", "resolve_time"]

_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS = (
    r"January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept\.?|Sep\.?|Oct\.?|Nov\.?|Dec\.?"
)
_WD = "|".join(_WEEKDAYS)
_DAY = r"(?:3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?(?!\d)"
_YEAR = r"(?:19|20)\d\d(?!\d)"
_PART = r"(?i:morning|afternoon|evening|night|overnight)"
_NOT_MODAL = r"(?!\s+(?i:have|has|be|not|also|still|well|never|already|soon|yet)\b)"

# Case-insensitive lead-ins kept in TimeRef.text; weekday and month names stay case-sensitive.
_PREFIX = r"""(?P<prefix>(?i:
    (?:early|late)\s+on\s+
  | (?:in|on|during)\s+the\s+(?:early\s+)?(?:morning|afternoon|evening|night|hours)\s+of\s+
  | the\s+(?:early\s+)?(?:morning|afternoon|evening|night|hours)\s+of\s+
  | overnight\s+(?:into|to|on|from)\s+ | overnight\s+
  | (?:on|from|early|late)\s+
))?"""

_PATTERN = re.compile(
    rf"""(?<![\w-]){_PREFIX}(?:
    (?P<md>(?:(?:{_WD}),?\s+)?(?P<md_mon>{_MONTHS})\s+(?P<md_day>{_DAY})
        (?:\s*(?:-|–|to)\s*(?P<md_day2>{_DAY}))?(?:,?\s+(?P<md_year>{_YEAR}))?(?![\d:]))
  | (?P<dm>(?:(?:{_WD}),?\s+)?(?:the\s+)?(?P<dm_day>{_DAY})(?:\s*(?:-|–|to)\s*(?P<dm_day2>{_DAY}))?
        \s+(?:of\s+)?(?P<dm_mon>{_MONTHS})(?![a-z])(?:,?\s+(?P<dm_year>{_YEAR}))?{_NOT_MODAL})
  | (?P<iso>(?P<iso_y>{_YEAR})-(?P<iso_m>[01]\d)-(?P<iso_d>[0-3]\d)(?!\d))
  | (?P<wd>(?P<wd_rel>(?i:last|next|this|past)\s+)?(?P<wd_name>{_WD})(?:'s|’s)?
        (?:\s+{_PART}(?!\s+of\b))?)
  | (?P<deictic>(?i:the\s+day\s+before\s+yesterday|(?:earlier|later|late|early)\s+today|today
        |tonight|yesterday|last\s+night|overnight
        |(?:earlier\s+|later\s+|late\s+|early\s+)?this\s+(?:morning|afternoon|evening))))
    (?!\w)""",
    re.X,
)

# Cheap test (a few microseconds) run before the full pattern: every candidate contains one.
_PREFILTER = re.compile(
    r"day|night|morning|afternoon|evening|Jan|Feb|Ma[ry]|Apr|Ju[nl]|Aug|Sep|Oct|Nov|Dec|-[01]\d-"
)
_BOUND = re.compile(
    r"(?<!\w)(?i:since|until|till|by|before|after|prior\s+to|as\s+of|no\s+later\s+than)\s+$"
)
_NIGHT_RANGE = re.compile(r"(?i:night|overnight)")
_SPEECH = re.compile(
    r"\b(?:said|says|say|told|tells|reported|reports|announced|announces|added|stated|claimed"
    r"|claims|wrote|writes|confirmed|acknowledged|noted|posted|declared|tweeted)"
    r"(?:\s+(?:in|a|an|the|its|his|her|their|late|early|to|reporters|journalists|Telegram"
    r"|statement|post|briefing|update|report|video|address|message|interview|press|conference"
    r"|evening|daily|televised|online|social|media))*\s+$",
    re.I,
)
_DEICTIC_DAYS = {"yesterday": -1, "last night": -1, "the day before yesterday": -2}
_MONTH_NUM = {
    m: i
    for i, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for m in names
}


# --------------------------------------------------------------------------- resolution


def _as_date(published: dt.date | None) -> dt.date | None:
    """Accept a datetime too (datetime is a date subclass)."""
    return published.date() if isinstance(published, dt.datetime) else published


def _weekday(m: re.Match[str], published: dt.date) -> dt.date:
    """Most recent weekday on or before publication; last/next shift strictly back/forward."""
    target = _WEEKDAYS.index(m.group("wd_name"))
    rel = (m.group("wd_rel") or "").strip().lower()
    back = (published.weekday() - target) % 7
    if rel in ("last", "past") and back == 0:
        back = 7
    if rel == "next":
        return published + dt.timedelta(days=(target - published.weekday()) % 7 or 7)
    return published - dt.timedelta(days=back)


def _deictic(expr: str, published: dt.date) -> dt.date:
    """Words relative to the publication day."""
    key = " ".join(expr.lower().split())
    return published + dt.timedelta(days=_DEICTIC_DAYS.get(key, 0))


def _closest_year(month: int, day: int, published: dt.date) -> dt.date | None:
    """The month-day whose year puts it nearest to the publication date."""
    best: dt.date | None = None
    for year in (published.year - 1, published.year, published.year + 1):
        try:
            cand = dt.date(year, month, day)
        except ValueError:
            continue
        if best is None or abs((cand - published).days) < abs((best - published).days):
            best = cand
    return best


@lru_cache(maxsize=4096)
def _dateparse(expr: str, base: dt.date | None) -> dt.date | None:
    """dateparser on one normalised calendar expression (cached)."""
    import dateparser

    settings: dict[str, object] = {"REQUIRE_PARTS": ["day", "month"], "DATE_ORDER": "DMY"}
    if base is not None:
        settings["RELATIVE_BASE"] = dt.datetime(base.year, base.month, base.day)
    parsed = dateparser.parse(expr, languages=["en"], settings=settings)
    return parsed.date() if parsed else None


def _calendar(mon: str, day: str, year: str | None, published: dt.date | None) -> dt.date | None:
    """Resolve "Oct. 22" / "22 October 2022": explicit years honoured, else closest year."""
    if year:
        base_year = int(year)
    elif published is not None:
        base_year = published.year
    else:
        return None
    name = mon.rstrip(".")
    parsed = _dateparse(f"{int(day.rstrip('stndrh'))} {name} {base_year}", published)
    if parsed is None or parsed.month != _MONTH_NUM[name.lower()]:
        return None
    if year or published is None:
        return parsed
    return _closest_year(parsed.month, parsed.day, published)


def _iso(m: re.Match[str]) -> dt.date | None:
    """ "2023-05-20", strictly year-month-day."""
    try:
        return dt.date(int(m.group("iso_y")), int(m.group("iso_m")), int(m.group("iso_d")))
    except ValueError:
        return None


def _pick_day(m: re.Match[str], first: str, second: str) -> str:
    """For "21-22 October" take the later day after "night"/"overnight", else the first."""
    if m.group(second) and _NIGHT_RANGE.search(m.group("prefix") or ""):
        return m.group(second)
    return m.group(first)


def _resolve(m: re.Match[str], published: dt.date | None) -> dt.date | None:
    """The date a matched expression denotes, or None."""
    if m.group("iso"):
        return _iso(m)
    if m.group("md"):
        day = _pick_day(m, "md_day", "md_day2")
        return _calendar(m.group("md_mon"), day, m.group("md_year"), published)
    if m.group("dm"):
        day = _pick_day(m, "dm_day", "dm_day2")
        return _calendar(m.group("dm_mon"), day, m.group("dm_year"), published)
    if published is None:
        return None
    if m.group("wd"):
        return _weekday(m, published)
    return _deictic(m.group("deictic"), published)


# --------------------------------------------------------------------------- public API


def _matches(text: str) -> list[re.Match[str]]:
    """Candidate expressions, minus bounds ("since May 25") and "Russia Today"."""
    if not _PREFILTER.search(text):
        return []
    out = []
    for m in _PATTERN.finditer(text):
        before = text[max(0, m.start() - 20) : m.start()]
        if _BOUND.search(before):
            continue
        if m.group("deictic") and re.search(r"(?:Russia|USA)\s+$", before):
            continue
        out.append(m)
    return out


def find_times(text: str, published: dt.date | None, offset: int = 0) -> list[tuple[Span, TimeRef]]:
    """All day-level time expressions in ``text`` that resolve, with spans shifted by offset."""
    pub = _as_date(published)
    found = []
    for m in _matches(text):
        day = _resolve(m, pub)
        if day is not None:
            expr = m.group(0)
            span = Span(m.start() + offset, m.end() + offset, expr)
            found.append((span, TimeRef(day.isoformat(), expr)))
    return found


def resolve_time(text: str, published: dt.date | None) -> TimeRef | None:
    """The best date in a sentence: the first one not attached to a speech verb ("said on
    Friday"), else the first one."""
    found = find_times(text, published)
    if not found:
        return None
    for span, ref in found:
        if not _SPEECH.search(text, max(0, span.start - 60), span.start):
            return ref
    return found[0][1]
