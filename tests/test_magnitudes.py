"""Tests for fogofwar.magnitudes: distances, areas, percentages and counts in war reporting."""

from __future__ import annotations

import pytest

from fogofwar.magnitudes import MagnitudeMention, find_magnitudes, magnitude_near
from fogofwar.models import Magnitude


def _row(m: MagnitudeMention) -> tuple[str, float, str, str, float | None, str | None]:
    mag = m.magnitude
    return (mag.text, mag.value, mag.unit, mag.qualifier, mag.min, m.noun)


# (sentence, [(text, value, unit, qualifier, min, noun), ...]) -- every mention, in order.
CASES = [
    # distances
    (
        "Ukraine said it repelled a day of Russian attacks in and around the devastated eastern "
        "city on Thursday, gaining up to 1 km in places.",
        [("up to 1 km", 1000, "m", "up_to", None, None)],
    ),
    (
        "The head of the Wagner Group said his troops had also advanced 400 meters "
        "(more than 1,300 feet) in parts of the city.",
        [
            ("400 meters", 400, "m", "exact", None, None),
            ("more than 1,300 feet", 396, "m", "more_than", None, None),
        ],
    ),
    (
        "Russian Defense Ministry units have withdrawn to 570 meters north of Bakhmut, "
        "exposing our flanks.",
        [("570 meters", 570, "m", "exact", None, None)],
    ),
    (
        "The shell landed 30km from the border, about 25km from Kharkiv.",
        [
            ("30km", 30000, "m", "exact", None, None),
            ("about 25km", 25000, "m", "about", None, None),
        ],
    ),
    (
        "Ukrainian units pushed forward one to two km near Robotyne.",
        [("one to two km", 2000, "m", "exact", 1000, None)],
    ),
    (
        "Russian forces advanced 1-2 km west of Avdiivka, the think tank said.",
        [("1-2 km", 2000, "m", "exact", 1000, None)],
    ),
    (
        "Russian troops are now 3 to 5 kilometers from Pokrovsk, about 10 miles to the west.",
        [
            ("3 to 5 kilometers", 5000, "m", "exact", 3000, None),
            ("about 10 miles", 16093, "m", "about", None, None),
        ],
    ),
    (
        "The column stopped a mile from the town and several kilometres from the river.",
        [("a mile", 1609, "m", "exact", None, None)],
    ),
    (
        "Ukrainian forces have advanced 2.5 kilometres to within a few hundred metres of the "
        "village.",
        [("2.5 kilometres", 2500, "m", "exact", None, None)],
    ),
    (
        "A 10-km stretch of the front came under fire from positions 300m away.",
        [
            ("10-km", 10000, "m", "exact", None, None),
            ("300m", 300, "m", "exact", None, None),
        ],
    ),
    (
        "Kyiv's troops crossed the river in excess of 5 km downstream but stayed under 3 km "
        "from the bank.",
        [
            ("in excess of 5 km", 5000, "m", "more_than", None, None),
            ("under 3 km", 3000, "m", "less_than", None, None),
        ],
    ),
    # areas
    (
        "Ukraine says it has liberated 200 square kilometres in the south.",
        [("200 square kilometres", 200, "km2", "exact", None, None)],
    ),
    (
        "The army claimed 50 sq km around the town and 1,000 km2 across the region.",
        [
            ("50 sq km", 50, "km2", "exact", None, None),
            ("1,000 km2", 1000, "km2", "exact", None, None),
        ],
    ),
    (
        "Kyiv's forces seized more than 100 square miles of Kursk region.",
        [("more than 100 square miles", 259, "km2", "more_than", None, None)],
    ),
    # percent
    (
        "Russian forces now control 70 percent of Pokrovsk, the governor said.",
        [("70 percent", 70, "percent", "exact", None, None)],
    ),
    (
        "About 70% of Vovchansk and nearly 70 per cent of Toretsk lie in ruins.",
        [
            ("About 70%", 70, "percent", "about", None, None),
            ("nearly 70 per cent", 70, "percent", "about", None, None),
        ],
    ),
    # counts
    (
        "Russia has carried out nine this month, the mayor said.",
        [("nine", 9, "count", "exact", None, None)],
    ),
    (
        "Air defences shot down 18 of 24 drones launched overnight.",
        [("18 of 24 drones", 18, "count", "exact", None, "drone")],
    ),
    (
        "Ukraine's air force said it destroyed 13 of the X-101 missiles fired at Kyiv.",
        [("13 of the X-101 missiles", 13, "count", "exact", None, "missile")],
    ),
    (
        "Russia's defence ministry said it downed two Ukrainian drones over Belgorod.",
        [("two Ukrainian drones", 2, "count", "exact", None, "drone")],
    ),
    (
        "92 Russians were killed and 156 wounded in the past day, the spokesman said.",
        [
            ("92 Russians", 92, "count", "exact", None, "Russian"),
            ("156", 156, "count", "exact", None, None),
        ],
    ),
    (
        "The shelling killed three civilians in Kherson.",
        [("three civilians", 3, "count", "exact", None, "civilian")],
    ),
    (
        "At least three civilians were killed when a missile hit a supermarket.",
        [("At least three civilians", 3, "count", "at_least", None, "civilian")],
    ),
    (
        "The Sudanese army said it destroyed more than 12 RSF vehicles and killed about 20 others.",
        [
            ("more than 12 RSF vehicles", 12, "count", "more_than", None, "vehicle"),
            ("about 20 others", 20, "count", "about", None, "other"),
        ],
    ),
    (
        "The army said it killed hundreds of RSF fighters in El Fasher.",
        [("hundreds of RSF fighters", 100, "count", "more_than", None, "fighter")],
    ),
    (
        "Eighteen Russian cruise missiles were taken down, the air force said.",
        [("Eighteen Russian cruise missiles", 18, "count", "exact", None, "missile")],
    ),
    (
        "There were 17 firefights along the front line over the past day.",
        [("17 firefights", 17, "count", "exact", None, "firefight")],
    ),
    (
        "Shelling killed 12 people, including 3 children, and wounded twenty-five people.",
        [
            ("12 people", 12, "count", "exact", None, "person"),
            ("3 children", 3, "count", "exact", None, "child"),
            ("twenty-five people", 25, "count", "exact", None, "person"),
        ],
    ),
    (
        "Russia launched 40 Shahed drones and 3 Iskander-M ballistic missiles.",
        [
            ("40 Shahed drones", 40, "count", "exact", None, "drone"),
            ("3 Iskander-M ballistic missiles", 3, "count", "exact", None, "missile"),
        ],
    ),
    (
        "Between 10 and 15 drones reached the city, while some 300 soldiers were evacuated.",
        [
            ("Between 10 and 15 drones", 15, "count", "exact", 10, "drone"),
            ("some 300 soldiers", 300, "count", "about", None, "soldier"),
        ],
    ),
    (
        "An estimated 40,000 people fled and as many as 15 missiles hit the port.",
        [
            ("An estimated 40,000 people", 40000, "count", "about", None, "person"),
            ("as many as 15 missiles", 15, "count", "up_to", None, "missile"),
        ],
    ),
    (
        "Fewer than 40 people remained, down from over 9,000 civilians before the war.",
        [
            ("Fewer than 40 people", 40, "count", "less_than", None, "person"),
            ("over 9,000 civilians", 9000, "count", "more_than", None, "civilian"),
        ],
    ),
    (
        "A dozen drones and dozens of shells hit the town, forcing tens of thousands of people "
        "to flee.",
        [
            ("A dozen drones", 12, "count", "exact", None, "drone"),
            ("dozens of shells", 12, "count", "more_than", None, "shell"),
            ("tens of thousands of people", 10000, "count", "more_than", None, "person"),
        ],
    ),
    (
        "Russia has lost 300,000 troops since February 2022, Kyiv says, and 1500 tanks.",
        [
            ("300,000 troops", 300000, "count", "exact", None, "troop"),
            ("1500 tanks", 1500, "count", "exact", None, "tank"),
        ],
    ),
    (
        "The strikes killed 1,300, officials said, and the army said 3 of its officers died.",
        [
            ("1,300", 1300, "count", "exact", None, None),
            ("3 of its officers", 3, "count", "exact", None, "officer"),
        ],
    ),
    (
        "Russia launched 75 drones and six missiles, of which 66 drones and four missiles were "
        "shot down.",
        [
            ("75 drones", 75, "count", "exact", None, "drone"),
            ("six missiles", 6, "count", "exact", None, "missile"),
            ("66 drones", 66, "count", "exact", None, "drone"),
            ("four missiles", 4, "count", "exact", None, "missile"),
        ],
    ),
    (
        "The city of 20,000 residents lies 15 kilometres (9 miles) from the front, and Russia "
        "occupies about 18% of Ukraine.",
        [
            ("20,000 residents", 20000, "count", "exact", None, "resident"),
            ("15 kilometres", 15000, "m", "exact", None, None),
            ("9 miles", 14484, "m", "exact", None, None),
            ("about 18%", 18, "percent", "about", None, None),
        ],
    ),
    (
        "One Russian soldier was killed and 2.5 million people lost power.",
        [
            ("One Russian soldier", 1, "count", "exact", None, "soldier"),
            ("2.5 million people", 2500000, "count", "exact", None, "person"),
        ],
    ),
    (
        "Twenty Ukrainian servicemen and 5 T-72 tanks were captured, Moscow claimed.",
        [
            ("Twenty Ukrainian servicemen", 20, "count", "exact", None, "serviceman"),
            ("5 T-72 tanks", 5, "count", "exact", None, "tank"),
        ],
    ),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_find_magnitudes(text: str, expected: list[tuple]) -> None:
    assert [_row(m) for m in find_magnitudes(text)] == expected


@pytest.mark.parametrize(
    "text",
    [
        "Russia launched its full-scale invasion in 2022.",
        "The war began in February 2022 and escalated in the summer of 2023.",
        "The battalion was ordered to hold the line until May 25.",
        "In the morning of Oct. 22, air defences were active over Kyiv.",
        "The fighting resumed on 22 October after a lull.",
        "The alarm sounded at 7 a.m. and again at 1:20 am, then at 2220 GMT.",
        "The 3rd Assault Brigade and the 72nd Mechanized Brigade held the town.",
        "It was the sixth day of the offensive.",
        "Russia fired X-101, Х-101 and Kh-101 missiles and S-300 rockets.",
        "Su-25 jets and an F-16 were seen over the front.",
        "Mariupol was besieged for 224 days, 12 hours and three weeks.",
        "A 12-year-old boy was hurt by 155mm shells.",
        "Russians in the 1990s, the 2023-05-20 report and the 24/7 alert.",
        "No one knows what happened. The one who fired was detained.",
        "It was one of the largest attacks of the war.",
        "A unit of the GRU, Unit 29155, was blamed. He was aged 45.",
        "Several kilometres of trenches and a few hundred metres of road were lost.",
        "The EU pledged $5 billion and €2 million in aid.",
        "Russia may attack again, and Ukraine's forces took two-thirds of the village.",
        "Kyiv's COVID-19 hospitals and the G7 leaders.",
    ],
)
def test_no_magnitude(text: str) -> None:
    assert find_magnitudes(text) == []


def test_spans_are_offsets_into_text() -> None:
    text = "Russian forces advanced up to 400 meters, killing 3 civilians."
    for m in find_magnitudes(text):
        assert text[m.start : m.end] == m.magnitude.text
    shifted = find_magnitudes(text, offset=100)
    assert [(m.start - 100, m.end - 100) for m in shifted] == [
        (m.start, m.end) for m in find_magnitudes(text)
    ]


def test_to_dict_of_range() -> None:
    (m,) = find_magnitudes("They advanced 1-2 km.")
    assert m.magnitude.to_dict() == {"value": 2000, "unit": "m", "qualifier": "exact", "min": 1000}


def test_million_m_is_a_count() -> None:
    (m,) = find_magnitudes("The war has driven 6m refugees abroad.")
    assert (m.magnitude.value, m.magnitude.unit, m.noun) == (6_000_000, "count", "refugee")


def test_magnitude_near_prefers_same_clause() -> None:
    text = "Wagner advanced up to 400 meters (more than 1,300 feet), while 20 soldiers died."
    near = magnitude_near(text, text.index("advanced"))
    assert near == Magnitude(400, "m", "up_to", None, "up to 400 meters")
    died = magnitude_near(text, text.index("died"))
    assert died is not None and died.value == 20 and died.unit == "count"


def test_magnitude_near_kinds_and_offset() -> None:
    text = "Russia fired 40 drones and advanced 2 km."
    pos = 50 + text.index("fired")
    assert magnitude_near(text, pos, offset=50, kinds={"m"}) == Magnitude(
        2000, "m", "exact", None, "2 km"
    )
    assert magnitude_near(text, pos, offset=50, kinds={"percent"}) is None
    assert magnitude_near("No numbers here.", 0) is None
