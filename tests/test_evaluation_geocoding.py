"""The geocoding evaluation's pure functions, on toy inputs (no data from shared/ is read)."""

import math
from pathlib import Path

import pytest

from evaluation.geocoding import (
    Case,
    Outcome,
    Toponym,
    align,
    baseline_geocoder,
    cdf_points,
    cir_resolvable,
    distinct_places,
    is_oblast_name,
    is_settlement_name,
    load_baseline,
    main,
    parse_description,
    similarity,
    skeleton,
    summarize,
    ucdp_resolvable,
)


def names(text: str) -> list[tuple[str, str | None]]:
    return [(t.name, t.region) for t in parse_description(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("village of Pravdyne, the #Kherson region", [("Pravdyne", "Kherson")]),
        ("Sinelnikovsky district in the Dnipropetrovsk region", []),
        ("Kherson direction", []),
        ("Donetsk direction  Krasnolymansky direction Kupyansk direction", []),
        ("Kirovsky district of Donetsk", [("Donetsk", None)]),
        ("Pervomaiskoye, Kharkiv", [("Pervomaiskoye", "Kharkiv")]),
        ("Kremennaya Luhansk region", [("Kremennaya", "Luhansk")]),
        ("village of Rubtsy in the Donetsk People's Republic (DPR)", [("Rubtsy", "Donetsk")]),
        ("near the city of Kremennaya in the LPR", [("Kremennaya", "Luhansk")]),
        ("Donetsk region — in Chasovoy Yar.", [("Chasovoy Yar", "Donetsk")]),
        (
            "Belyaevka and a ferry crossing in the Lvovo region in the Kherson region.",
            [("Belyaevka", "Kherson"), ("Lvovo", "Kherson")],
        ),
        (
            "areas of the settlements of Krasnoe Znamya and Novogrigorovka of the Nikolaev "
            "region, areas of the settlements of Sukhoi Stavok and Belogorka of the Kherson region",
            [
                ("Krasnoe Znamya", "Nikolaev"),
                ("Novogrigorovka", "Nikolaev"),
                ("Sukhoi Stavok", "Kherson"),
                ("Belogorka", "Kherson"),
            ],
        ),
        (
            "Yuzhno-Donetsk and Zaporizhia directions: area of ??Vuhledar and Shevchenko",
            [("Vuhledar", None), ("Shevchenko", None)],
        ),
        (
            "Verbivka, #Kharkiv Oblast. 49.48613251095017, 36.84078934388335.",
            [("Verbivka", "Kharkiv")],
        ),
    ],
)
def test_parse_description(text, expected):
    assert names(text) == expected


def test_parse_description_keeps_the_other_names_as_context():
    (first, second) = parse_description("Krasnoliman direction: areas of Torskoye and Yampolovka")
    assert first.name == "Torskoye" and set(first.context) == {"Krasnoliman", "Yampolovka"}
    assert second.context == ("Krasnoliman", "Torskoye")


def test_oblast_names_are_told_from_settlement_areas():
    assert is_oblast_name("Zaporozhye") and is_oblast_name("Kharkov")
    assert not is_oblast_name("Lvovo") and not is_oblast_name("Volnovakha")


def test_skeleton_ignores_transliteration_vowels():
    assert skeleton("Chervonopopovka") == skeleton("Chervonopopivka village")
    assert skeleton("Gorlovka") == skeleton("Horlivka")
    assert (
        similarity("Bakhmut", "Toretsk town") < 0.5 < similarity("Kurakhovo", "Kurakhove village")
    )


def test_align_picks_the_toponym_naming_the_gold_place():
    toponyms = [Toponym("Novosadove"), Toponym("Makeevka"), Toponym("Chervonopopovka")]
    assert align(toponyms, "Chervonopopivka village").name == "Chervonopopovka"
    assert align([], "Kherson town") is None


def test_resolvable_rules():
    assert ucdp_resolvable("1", "Shpylivka village", [Toponym("Shipilovka")])
    assert ucdp_resolvable("2", "Kherson town", [Toponym("Kherson")])
    assert not ucdp_resolvable("4", "Kherson oblast", [Toponym("Kherson")])
    assert not ucdp_resolvable("2", "Donetsk town", [])  # "Donetsk direction"
    assert not ucdp_resolvable("1", "Road to Chelburda cementary", [Toponym("Oleshky")])
    assert is_settlement_name("Velyka Novosilka town") and not is_settlement_name(
        "Serebrianka forest"
    )
    assert cir_resolvable("Ukraine", "Bucha") and not cir_resolvable("Russia", "Belgorod")
    assert not cir_resolvable("Ukraine", "Vulytsya Yunatsʹka") and not cir_resolvable(
        "Ukraine", " "
    )


def toy_table(tmp_path: Path) -> Path:
    (tmp_path / "cities.csv").write_text(
        "lat,lon,name,admin1,admin2,cc\n"
        "48.6,38.0,Artemivs'k,Donetsk,,UA\n"
        "47.0,33.0,Novoselivka,Kherson,,UA\n"
        "48.0,37.0,Novoselivka,Donetsk,,UA\n",
        encoding="utf-8",
    )
    return tmp_path


def test_baseline_is_a_plain_first_match_lookup(tmp_path):
    geocode = baseline_geocoder(load_baseline(toy_table(tmp_path)))
    assert geocode(Toponym("artemivsk")) == (48.6, 38.0)  # case and apostrophe folded
    assert geocode(Toponym("Novoselivka", region="Donetsk")) == (47.0, 33.0)  # no hints
    assert geocode(Toponym("Bakhmut")) is None


def case(lat: float = 48.0, lon: float = 37.0, **kw) -> Case:
    values = dict(
        dataset="cir",
        key="x",
        gold_name="A",
        lat=lat,
        lon=lon,
        stratum="street",
        tuned=True,
        resolvable=True,
        toponym=Toponym("A", "Donetsk Oblast"),
        text="A",
    )
    values.update(kw)
    return Case(**values)


def test_summary_of_outcomes():
    gold = case()
    outcomes = [
        Outcome(gold, (48.0, 37.0)),  # 0 km
        Outcome(gold, (48.0, 37.1)),  # ~7.4 km
        Outcome(gold, (49.0, 37.0)),  # ~111 km
        Outcome(gold, None),
    ]
    summary = summarize(outcomes)
    assert (summary.n, summary.resolved) == (4, 3)
    assert summary.within_of_resolvable == pytest.approx(0.5)
    assert summary.within_of_resolved == pytest.approx(2 / 3)
    assert summary.median_km == pytest.approx(7.44, abs=0.05)
    assert math.isnan(summarize([Outcome(gold, None)]).median_km)
    xs, ys = cdf_points(outcomes)
    assert len(xs) == 3 and ys == pytest.approx([0.25, 0.5, 0.75])


def test_distinct_places_take_the_median_point():
    cases = [case(48.0, 37.0, key="1"), case(48.2, 37.2, key="2"), case(48.4, 37.0, key="3")]
    (place,) = distinct_places(cases)
    assert (place.dataset, place.lat, place.lon) == ("cir-places", 48.2, 37.0)


def test_wrong_data_path_is_a_clear_error(tmp_path, capsys):
    code = main(
        ["--ucdp", str(tmp_path / "nope"), "--cir", str(tmp_path), "--baseline", str(tmp_path)]
    )
    assert code == 2
    assert "nope" in capsys.readouterr().err


def test_text_outcomes_read_the_description_end_to_end():
    from evaluation.geocoding import text_outcomes

    gold = case(
        50.27,
        35.98,
        dataset="ucdp",
        gold_name="Zolochiv village",
        stratum="1",
        toponym=Toponym("Zolochiv", "Kharkiv"),
        text="village of Zolochiv, Kharkiv region",
    )
    (outcome,) = text_outcomes([gold])
    assert outcome.error_km is not None and outcome.error_km < 10


def test_coverage_section_is_a_table():
    from evaluation.geocoding import Diagnosis, Slice, coverage_section

    gold = case()
    piece = Slice("CIR events", [Outcome(gold, (48.0, 37.0)), Outcome(gold, None)], [], True)
    text = coverage_section([piece], lambda o: Diagnosis(1, o.point is not None))
    assert "| CIR events | 2 | 0.500 | 0.500 | 0.000 |" in text
