"""Tests for fogofwar.timex: day-level time expressions resolved against publication dates."""

from __future__ import annotations

import datetime as dt

import pytest

from fogofwar.models import TimeRef
from fogofwar.timex import find_times, resolve_time

FRI = dt.date(2023, 5, 12)  # a Friday
MON = dt.date(2023, 9, 11)  # a Monday

# (published, sentence, [(expression as written, iso date), ...]) -- every expression, in order.
CASES = [
    (
        FRI,
        "Russia attacked Bakhmut all day on Thursday, Ukraine said.",
        [("on Thursday", "2023-05-11")],
    ),
    (FRI, "Wagner said on Friday its fighters had advanced.", [("on Friday", "2023-05-12")]),
    (
        MON,
        "Overnight into Thursday, Russia launched 30 drones at Odesa.",
        [("Overnight into Thursday", "2023-09-07")],
    ),
    (MON, "The air force said on Monday all were downed.", [("on Monday", "2023-09-11")]),
    (
        dt.date(2024, 10, 2),
        "Ukraine's army said Wednesday it was withdrawing from the eastern town of Vuhledar.",
        [("Wednesday", "2024-10-02")],
    ),
    (
        dt.date(2023, 4, 16),
        "The Sudanese army said on Saturday it had repelled a major attack by the RSF.",
        [("on Saturday", "2023-04-15")],
    ),
    (
        dt.date(2022, 10, 24),
        "Eighteen Russian cruise missiles were taken down in the morning of Oct. 22.",
        [("in the morning of Oct. 22", "2022-10-22")],
    ),
    (
        dt.date(2023, 5, 20),
        "The mercenaries will leave Bakhmut from May 25, Prigozhin said.",
        [("from May 25", "2023-05-25")],
    ),
    (
        dt.date(2023, 1, 3),
        "The strike on December 30 killed five people in Kherson.",
        [("on December 30", "2022-12-30")],
    ),
    (
        dt.date(2022, 12, 28),
        "Officials expect another wave of strikes around January 2.",
        [("January 2", "2023-01-02")],
    ),
    (
        FRI,
        "Fighting flared Thursday evening and again on Thursday night near Marinka.",
        [("Thursday evening", "2023-05-11"), ("on Thursday night", "2023-05-11")],
    ),
    (
        FRI,
        "Kyiv came under attack overnight into Friday, and Russia struck Odesa on Tuesday.",
        [("overnight into Friday", "2023-05-12"), ("on Tuesday", "2023-05-09")],
    ),
    (
        FRI,
        "Explosions were heard today and yesterday in Melitopol.",
        [("today", "2023-05-12"), ("yesterday", "2023-05-11")],
    ),
    (
        FRI,
        "Drones hit Kyiv last night and again this morning; more strikes are expected tonight.",
        [("last night", "2023-05-11"), ("this morning", "2023-05-12"), ("tonight", "2023-05-12")],
    ),
    (
        dt.date(2024, 8, 11),
        "Overnight, President Zelensky acknowledged the incursion into Kursk.",
        [("Overnight", "2024-08-11")],
    ),
    (
        FRI,
        "Russia shelled Kherson last Friday and plans talks next Monday.",
        [("last Friday", "2023-05-05"), ("next Monday", "2023-05-15")],
    ),
    (
        FRI,
        "The invasion began on February 24, 2022; the town fell on 22 October 2022.",
        [("on February 24, 2022", "2022-02-24"), ("on 22 October 2022", "2022-10-22")],
    ),
    (
        dt.date(2024, 8, 12),
        "The incursion started on August 10, 2024, according to the report dated 2024-08-11.",
        [("on August 10, 2024", "2024-08-10"), ("2024-08-11", "2024-08-11")],
    ),
    (
        FRI,
        "On Thursday, May 11, Ukraine said it took back positions lost on 5 May.",
        [("On Thursday, May 11", "2023-05-11"), ("on 5 May", "2023-05-05")],
    ),
    (
        FRI,
        "Russia launched 20 drones on the night of May 10-11, and the attack on May 3-4 failed.",
        [("on the night of May 10-11", "2023-05-11"), ("on May 3-4", "2023-05-03")],
    ),
    (
        FRI,
        "Units regrouped in the early hours of Wednesday after Oct. 3rd's shelling.",
        [("in the early hours of Wednesday", "2023-05-10")],
    ),
    (
        FRI,
        "Thursday's attack on Kramatorsk killed 11, on the 3rd of May.",
        [("Thursday's", "2023-05-11"), ("on the 3rd of May", "2023-05-03")],
    ),
]


@pytest.mark.parametrize(("published", "text", "expected"), CASES)
def test_find_times(published: dt.date, text: str, expected: list[tuple[str, str]]) -> None:
    found = find_times(text, published)
    assert [(ref.text, ref.date) for _, ref in found] == expected
    for span, ref in found:
        assert text[span.start : span.end] == span.text == ref.text


@pytest.mark.parametrize(
    "text",
    [
        "Twelve may have reached their target, officials said.",
        "12 may have reached target.",
        "Russia may attack again in the coming weeks.",
        "Last May, Russian troops took the town.",
        "This week, shelling intensified; earlier this week, two villages fell.",
        "In recent months, in late June and in August, Russia advanced slowly.",
        "The war began in February 2022.",
        "Russian forces have lost 200 tanks since May 1 and will hold out until Friday.",
        "Kyiv must decide by Monday, before Oct. 22 and after 5 June.",
        "Russia Today reported on the strike.",
        "The 3rd Assault Brigade fought for the sixth day.",
        "The X-101 and Su-25 were used.",
        "The log is dated 2023-13-01 and 2023-02-30.",
    ],
)
def test_no_time(text: str) -> None:
    assert find_times(text, FRI) == []
    assert resolve_time(text, FRI) is None


def test_relative_needs_publication_date() -> None:
    text = "Fighting continued on Thursday and yesterday, and on October 22, 2022, and Oct. 5."
    assert [ref for _, ref in find_times(text, None)] == [
        TimeRef("2022-10-22", "on October 22, 2022")
    ]


def test_offset_and_datetime_published() -> None:
    text = "Kyiv was hit on Thursday."
    ((span, ref),) = find_times(text, dt.datetime(2023, 5, 12, 18, 30), offset=40)
    assert (span.start, span.end, ref) == (53, 64, TimeRef("2023-05-11", "on Thursday"))


@pytest.mark.parametrize(
    ("published", "text", "expected"),
    [
        # the event date wins over the date the source spoke
        (
            FRI,
            "Ukraine said on Friday that Russia attacked overnight into Thursday.",
            TimeRef("2023-05-11", "overnight into Thursday"),
        ),
        (
            FRI,
            "Kyiv said yesterday that drones hit the port last night.",
            TimeRef("2023-05-11", "last night"),
        ),
        (
            FRI,
            "Prigozhin said in his latest voice message on Thursday that units withdrew.",
            TimeRef("2023-05-11", "on Thursday"),
        ),
        # ... but a date attached to a speech verb is kept when it is the only one
        (
            dt.date(2023, 4, 16),
            "The Sudanese army said on Saturday it had repelled a major attack.",
            TimeRef("2023-04-15", "on Saturday"),
        ),
        (
            FRI,
            "Russia attacked Bakhmut all day on Thursday, Maliar told reporters on Friday.",
            TimeRef("2023-05-11", "on Thursday"),
        ),
        (FRI, "No time expression at all.", None),
    ],
)
def test_resolve_time(published: dt.date, text: str, expected: TimeRef | None) -> None:
    assert resolve_time(text, published) == expected
