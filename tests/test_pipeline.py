"""End-to-end tests of the pipeline on the bundled Bakhmut article and on small documents:
the JSON contract of the ontology, the seed's key claims, and batch analysis."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest

import fogofwar
from fogofwar.models import EVENT_TYPES

CLAIM_FIELDS = {
    "source", "source_side", "source_faction", "source_kind", "event", "actor", "actor_side",
    "place", "place_relation", "geo", "geo_reason", "time", "time_text", "magnitude", "weapon",
    "polarity", "modality", "interest", "quote", "trigger", "evidence",
}  # fmt: skip
SOURCE_KINDS = {
    "person", "military", "government", "armed_group", "analyst", "media", "witness", "narration",
}  # fmt: skip
WEAPONS = {None, "missile", "drone", "aircraft", "artillery", "rocket_artillery", "glide_bomb"}
SIDES = {"UA", "RU", "THIRD", "UNKNOWN", "CIVILIAN"}


def find(claims: list[dict[str, Any]], **want: Any) -> list[dict[str, Any]]:
    return [c for c in claims if all(c.get(k) == v for k, v in want.items())]


# --- JSON shape ---------------------------------------------------------------------------------


def test_seed_top_level_shape(seed, seed_text):
    assert set(seed) == {"article", "quotes", "claims"}
    article = seed["article"]
    assert article["published"] == "2023-05-12"
    assert article["profile"] == "russia-ukraine"
    assert article["length"] == len(seed_text)
    assert article["title"] == "Bakhmut battle rages as Ukraine claims advances, Russian retreat"
    assert seed["claims"] and seed["quotes"]
    json.loads(json.dumps(seed, ensure_ascii=False))  # JSON-serialisable as is


def test_every_claim_has_the_ontology_fields(seed, seed_text):
    for claim in seed["claims"]:
        assert set(claim) >= CLAIM_FIELDS, CLAIM_FIELDS - set(claim)
        assert claim["event"] in EVENT_TYPES
        assert claim["source_side"] in SIDES - {"CIVILIAN"}
        assert claim["actor_side"] in SIDES
        assert claim["source_kind"] in SOURCE_KINDS
        assert claim["polarity"] in {"asserted", "denied"}
        assert claim["modality"] in {"factual", "hedged", "prospective"}
        assert claim["interest"] in {"self_serving", "against_interest", "neutral"}
        assert claim["quote"] in {"direct", "indirect", "none"}
        assert claim["weapon"] in WEAPONS
        if claim["source"] is None:
            assert claim["source_kind"] == "narration"
            assert claim["source_side"] == "UNKNOWN"
        if claim["geo"] is None:
            assert claim["geo_reason"]
        else:
            assert set(claim["geo"]) == {"name", "lat", "lon", "country", "admin1", "precision"}
        if claim["time"] is not None:
            dt.date.fromisoformat(claim["time"])
            assert claim["time_text"]
        if claim["magnitude"] is not None:
            assert claim["magnitude"]["unit"] in {"m", "count", "km2", "percent"}
            assert isinstance(claim["magnitude"]["value"], (int, float))


def test_evidence_and_trigger_offsets_are_valid(seed, seed_text):
    for claim in seed["claims"]:
        ev, tr = claim["evidence"], claim["trigger"]
        assert 0 <= ev["start"] < ev["end"] <= len(seed_text)
        assert seed_text[ev["start"] : ev["end"]] == ev["text"]
        assert seed_text[tr["start"] : tr["end"]] == tr["text"]
        assert ev["start"] <= tr["start"] < tr["end"] <= ev["end"]


def test_every_quote_has_text_speaker_cue_kind_span(seed, seed_text):
    for quote in seed["quotes"]:
        assert {"text", "speaker", "cue", "kind", "span"} <= set(quote)
        assert quote["kind"] in {"direct", "indirect"}
        assert quote["text"].strip()
        span = quote["span"]
        assert seed_text[span["start"] : span["end"]] == span["text"]
        assert quote["text"] in span["text"]
        if quote["speaker"] is None:
            assert quote["speaker_reason"]


# --- the seed's key claims -------------------------------------------------------------------------


def test_seed_maliar_capture(seed):
    found = find(seed["claims"], source="Hanna Maliar", event="CAPTURE", actor_side="UA",
                 place="Bakhmut", place_relation="southwestern part of")  # fmt: skip
    assert found
    claim = found[0]
    assert claim["source_side"] == "UA"
    assert claim["quote"] == "direct"
    assert claim["interest"] == "self_serving"
    assert "southwestern part of Bakhmut" in claim["evidence"]["text"]


def test_seed_isw_advance(seed):
    found = find(seed["claims"], source="Institute for the Study of War", event="ADVANCE",
                 actor_side="UA")  # fmt: skip
    assert found
    claim = found[0]
    assert claim["source_side"] == "THIRD"
    assert claim["interest"] == "neutral"
    assert claim["place"] == "Bakhmut"


def test_seed_prigozhin_withdraw(seed):
    found = find(seed["claims"], source="Yevgeny Prigozhin", event="WITHDRAW", actor_side="RU")
    assert found
    assert all(c["interest"] == "against_interest" for c in found)
    assert all(c["source_faction"] == "wagner" for c in found)
    north = [c for c in found if c["place_relation"] == "north of"]
    assert north and north[0]["magnitude"]["value"] == 570
    assert north[0]["magnitude"]["unit"] == "m"


def test_seed_prigozhin_advance_up_to_400_m(seed):
    found = find(seed["claims"], source="Yevgeny Prigozhin", event="ADVANCE", actor_side="RU")
    assert found
    assert found[0]["magnitude"] == {"value": 400, "unit": "m", "qualifier": "up_to"}


def test_seed_danilov_air_strike(seed):
    found = find(seed["claims"], source="Oleksiy Danilov", event="AIR_STRIKE", actor_side="RU",
                 place="Kiev")  # fmt: skip
    assert found
    claim = found[0]
    assert claim["magnitude"]["value"] == 9
    assert claim["magnitude"]["unit"] == "count"
    assert claim["source_side"] == "UA"


def test_seed_ru_mod_acknowledged_withdrawals(seed):
    found = find(seed["claims"], source="Russian Defense Ministry", event="WITHDRAW",
                 actor_side="RU")  # fmt: skip
    assert found
    assert found[0]["interest"] == "against_interest"


def test_seed_direct_quote_of_prigozhin(seed):
    quotes = [
        q for q in seed["quotes"] if q["text"] == "We are pushing Bakhmut all the way to the end"
    ]
    assert quotes
    assert quotes[0]["speaker"] == "Yevgeny Prigozhin"
    assert quotes[0]["kind"] == "direct"


def test_seed_headline_is_not_a_claim(seed, seed_text):
    headline_end = seed_text.index("\n")
    assert all(c["evidence"]["start"] > headline_end for c in seed["claims"])


# --- batch analysis --------------------------------------------------------------------------------

DOCS = [
    (
        "Russian forces shelled Kherson overnight, killing two civilians, regional governor "
        "Oleksandr Prokudin said.",
        "2023-05-12",
    ),
    (
        "Ukrainian air defences shot down 25 Iranian-made Shahed drones over the Odesa region, "
        "the Ukrainian Air Force said on Thursday.",
        "2023-09-08",
    ),
    (
        "“We control the southwestern part of Kupiansk,” Oleksandr Syrskyi said.\n\n"
        "Russian troops withdrew from Klishchiivka, the ISW said on Friday.",
        dt.date(2023, 5, 12),
    ),
]


@pytest.fixture(scope="module")
def batch():
    documents = [fogofwar.Document(text, published=published) for text, published in DOCS]
    return list(fogofwar.analyze_many(documents, batch_size=2))


def test_analyze_many_yields_one_analysis_per_document(batch):
    assert len(batch) == len(DOCS)
    for analysis, (text, _published) in zip(batch, DOCS, strict=True):
        assert analysis.article.text == text


def test_analyze_many_equals_analyze(batch):
    for analysis, (text, published) in zip(batch, DOCS, strict=True):
        single = fogofwar.analyze(text, published=published)
        assert analysis.to_dict() == single.to_dict()


def test_published_accepts_dates_and_strings(batch):
    assert batch[2].article.published == "2023-05-12"
    withdraw = find(batch[2].to_dict()["claims"], event="WITHDRAW")
    assert withdraw and withdraw[0]["time"] == "2023-05-12"
    intercept = find(batch[1].to_dict()["claims"], event="INTERCEPT")
    assert intercept and intercept[0]["time"] == "2023-09-07"


def test_document_is_exported_from_the_package():
    from fogofwar.pipeline import Document

    assert fogofwar.Document is Document


def test_metadata_is_kept():
    analysis = fogofwar.analyze(
        DOCS[0][0], published="2023-05-12", outlet="Reuters", url="https://example.org/kherson"
    )
    article = analysis.to_dict()["article"]
    assert article["outlet"] == "Reuters"
    assert article["url"] == "https://example.org/kherson"


def test_text_without_events_has_no_claims(analyze):
    analysis = analyze("The weather in Kyiv was mild on Tuesday and the markets were busy.")
    assert analysis.to_dict()["claims"] == []


def test_a_dateline_is_not_where_the_event_happened(analyze):
    analysis = analyze(
        "KYIV, Aug 20 (Reuters) - Russian troops have advanced to within 10 km of the eastern "
        "hub of Pokrovsk, Ukrainian officials said on Tuesday."
    )
    places = {c.place.name for c in analysis.claims if c.place}
    assert "KYIV" not in places
    assert "Pokrovsk" in places


def test_a_background_as_clause_is_the_outlets_narration(analyze):
    analysis = analyze(
        "Russian troops advanced near Pokrovsk, Ukrainian officials said on Tuesday, as Kyiv "
        "pressed on with its own incursion into Russia's Kursk region."
    )
    incursion = [c for c in analysis.claims if c.trigger.text == "incursion"]
    assert incursion and incursion[0].source.name is None
    advance = [c for c in analysis.claims if c.event == "ADVANCE"]
    assert advance and advance[0].source.name is not None


def test_evidence_has_no_surrounding_line_breaks(seed, seed_text):
    for claim in seed["claims"]:
        text = claim["evidence"]["text"]
        assert text == text.strip()
        assert seed_text[claim["evidence"]["start"] : claim["evidence"]["end"]] == text


@pytest.mark.parametrize(
    "text, side, place",
    [
        ("Ukrainian troops remain in Bakhmut, a military spokesman said on Saturday.", "UA", "Bakhmut"),
        ("Russian units remain in Kreminna despite the shelling, the Russian Defense Ministry said.", "RU", "Kreminna"),
    ],
)
def test_forces_remaining_in_a_place_hold_it(text, side, place):
    analysis = fogofwar.analyze(text, published="2023-05-20")
    captures = [(c.actor_side, c.place.name if c.place else None) for c in analysis.claims
                if c.event == "CAPTURE"]
    assert (side, place) in captures


def test_civilians_remaining_in_a_place_hold_nothing():
    analysis = fogofwar.analyze(
        "Several hundred civilians remain in Bakhmut, Ukrainian officials said.", published="2023-05-20"
    )
    assert not [c for c in analysis.claims if c.event == "CAPTURE"]
