"""Tests for the gold-standard scorer (self-contained: gold documents are built here)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from fogofwar.evaluate import (
    Counts,
    EvalError,
    GoldDoc,
    QuoteStats,
    default_matcher,
    f1_score,
    format_report,
    load_gold_dir,
    max_matching,
    quote_overlap,
    run_eval,
    score_corpus,
    score_document,
)
from fogofwar.models import Actor, Claim, Place, Quote, Span

TEXT = (
    "Prigozhin said his troops had also advanced up to 400 meters. "
    "Ukraine said it repelled a day of Russian attacks. "
    "Russian forces shelled Kherson overnight."
)


def gclaim(**kw: Any) -> dict[str, Any]:
    """A gold claim with sensible defaults."""
    base = {
        "source": "Yevgeny Prigozhin",
        "source_side": "RU",
        "event": "ADVANCE",
        "actor_side": "RU",
        "place": "Bakhmut",
        "polarity": "asserted",
        "evidence": "his troops had also advanced up to 400 meters",
    }
    return {**base, **kw}


def pclaim(evidence: str | None = None, **kw: Any) -> dict[str, Any]:
    """A predicted claim dict shaped like Claim.to_dict()."""
    ev = evidence if evidence is not None else TEXT.split(". ")[0] + "."
    base = {
        "source": "Yevgeny Prigozhin",
        "source_side": "RU",
        "event": "ADVANCE",
        "actor_side": "RU",
        "place": "Bakhmut",
        "polarity": "asserted",
        "evidence": {"start": 0, "end": len(ev), "text": ev},
    }
    return {**base, **kw}


def gold(claims=(), quotes=(), text: str = TEXT, doc_id: str = "doc") -> GoldDoc:
    return GoldDoc(
        id=doc_id,
        published="2023-05-12",
        outlet=None,
        url=None,
        sides=None,
        text=text,
        quotes=list(quotes),
        claims=list(claims),
    )


def score(preds, golds, quotes=(), gold_quotes=(), matcher=None):
    doc = gold(golds, gold_quotes)
    return score_document(list(preds), list(quotes), doc, doc.text, matcher or default_matcher())


# --------------------------------------------------------------------------- metrics


def test_counts_exact_values():
    c = Counts(tp=3, fp=1, fn=2)
    assert c.precision == pytest.approx(0.75)
    assert c.recall == pytest.approx(0.6)
    assert c.f1 == pytest.approx(2 * 0.75 * 0.6 / 1.35)
    assert c.to_dict() == {
        "tp": 3,
        "fp": 1,
        "fn": 2,
        "precision": 0.75,
        "recall": 0.6,
        "f1": 0.6667,
    }


def test_counts_undefined_denominators():
    assert Counts().precision is None and Counts().recall is None and Counts().f1 is None
    only_misses = Counts(fn=2)
    assert only_misses.precision is None
    assert only_misses.recall == 0.0
    assert only_misses.f1 == 0.0
    assert f1_score(1.0, 1.0) == 1.0
    assert f1_score(0.0, 0.0) == 0.0


def test_toy_document_precision_recall():
    golds = [
        gclaim(),
        gclaim(
            source="Ukraine",
            event="REPEL",
            actor_side="UA",
            evidence="it repelled a day of Russian attacks",
        ),
        gclaim(source=None, event="SHELLING", place="Kherson", evidence="shelled Kherson"),
    ]
    preds = [
        pclaim(),
        pclaim(
            "Ukraine said it repelled a day of Russian attacks.",
            source="Ukraine",
            event="REPEL",
            actor_side="UA",
        ),
        pclaim("Prigozhin said his troops had also advanced up to 400 meters.", event="CAPTURE"),
    ]
    s = score(preds, golds)
    assert (s.claims.tp, s.claims.fp, s.claims.fn) == (2, 1, 1)
    assert s.claims.precision == pytest.approx(2 / 3)
    assert s.claims.recall == pytest.approx(2 / 3)
    assert s.claims.f1 == pytest.approx(2 / 3)
    assert [m.gold["event"] for m in s.misses] == ["SHELLING"]
    assert [e["event"] for e in s.extras] == ["CAPTURE"]


# --------------------------------------------------------------------------- optional claims


def test_optional_gold_absent_is_not_a_miss():
    s = score([], [gclaim(optional=True)])
    assert (s.claims.tp, s.claims.fp, s.claims.fn) == (0, 0, 0)
    assert s.misses == []


def test_optional_gold_found_is_neither_tp_nor_fp():
    s = score([pclaim()], [gclaim(optional=True)])
    assert (s.claims.tp, s.claims.fp, s.claims.fn) == (0, 0, 0)
    assert s.optional_found == 1
    assert s.extras == []


def test_optional_gold_is_matched_one_to_one_too():
    s = score([pclaim(), pclaim()], [gclaim(optional=True)])
    assert (s.claims.tp, s.claims.fp, s.optional_found) == (0, 1, 1)


def test_required_gold_wins_over_optional():
    golds = [gclaim(optional=True), gclaim()]
    s = score([pclaim()], golds)
    assert (s.claims.tp, s.claims.fp, s.claims.fn, s.optional_found) == (1, 0, 0, 0)


# --------------------------------------------------------------------------- one-to-one


def test_two_identical_predictions_one_gold():
    s = score([pclaim(), pclaim()], [gclaim()])
    assert (s.claims.tp, s.claims.fp, s.claims.fn) == (1, 1, 0)


def test_maximum_matching_beats_greedy():
    # pred 0 fits both gold claims, pred 1 only the first: greedy would give 1 TP.
    golds = [gclaim(evidence="advanced"), gclaim(evidence="advanced up to 400 meters")]
    preds = [pclaim("his troops had advanced up to 400 meters"), pclaim("troops advanced")]
    s = score(preds, golds)
    assert (s.claims.tp, s.claims.fp, s.claims.fn) == (2, 0, 0)
    assert s.matches == [(0, 1), (1, 0)]


def test_max_matching_function():
    edges = {(0, 0), (0, 1), (1, 0)}
    owner = max_matching([0, 1], 2, lambda g, p: (g, p) in edges)
    assert owner == {0: 1, 1: 0}


# --------------------------------------------------------------------------- evidence


def test_evidence_curly_vs_straight_quotes_and_dashes():
    g = gclaim(evidence="the drones were “shot down” over the Yakovlevsky district – Gladkov’s")
    p = pclaim(
        'He said the drones were "shot down"  over the\nYakovlevsky district - Gladkov\'s area.'
    )
    assert score([p], [g]).claims.tp == 1


def test_evidence_must_be_contained():
    p = pclaim("Prigozhin spoke about the city.")
    s = score([p], [gclaim()])
    assert (s.claims.tp, s.claims.fp, s.claims.fn) == (0, 1, 1)
    assert s.relaxed["evidence"] == 1


def test_evidence_from_offsets_when_text_missing():
    start = TEXT.index("his troops")
    p = pclaim()
    p["evidence"] = {"start": start, "end": start + 60}  # no "text": sliced from the article
    assert score([p], [gclaim()]).claims.tp == 1


# --------------------------------------------------------------------------- sources


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Syrskyi", "Oleksandr Syrskyi"),
        ("Gen Syrskyi", "Oleksandr Syrskyi"),
        ("Gen. Oleksandr Syrskyi", "Syrskyi"),
        ("yevgeny prigozhin", "Yevgeny Prigozhin"),
        ("The Kremlin", "Kremlin"),
        ("Belgorod regional governor Vyacheslav Gladkov", "Vyacheslav Gladkov"),
        ("Oleksander Prokudin", "Oleksandr Prokudin"),
    ],
)
def test_same_source_positive(a, b):
    m = default_matcher()
    assert m.same_source(a, b)
    assert m.same_source(b, a)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Russian Defense Ministry", "Ukrainian Defense Ministry"),
        ("Oleksandr Tarnavskyi", "Oleksandr Syrskyi"),
        ("Ukrainian army", "Russian army"),
        ("Volunteers in El Fasher", "Residents of El Fasher"),
        ("Ukrainian Prosecutors", "Russian Prosecutors"),
        ("Russia's defense ministry", "Russian Defense Ministry"),  # needs the alias hook
        ("Prigozhin", None),
    ],
)
def test_same_source_negative(a, b):
    m = default_matcher()
    assert not m.same_source(a, b)
    assert not m.same_source(b, a)


def test_surname_match_in_scoring():
    s = score([pclaim(source="Prigozhin")], [gclaim()])
    assert s.claims.tp == 1


def test_narration_null_source():
    g = gclaim(source=None, source_kind="narration")
    assert score([pclaim(source=None)], [g]).claims.tp == 1
    assert score([pclaim(source="")], [g]).claims.tp == 1
    s = score([pclaim(source="Reuters")], [g])
    assert (s.claims.tp, s.claims.fn) == (0, 1)
    assert s.misses[0].near == ["source"]
    assert score([pclaim(source=None)], [gclaim()]).claims.tp == 0


# --------------------------------------------------------------------------- places


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Belgorod region", "Belgorod"),
        ("Dnipro river", "Dnipro River"),
        ("the Dnipro River", "Dnipro"),
        ("Kherson Oblast", "Kherson"),
        ("city of Bakhmut", "Bakhmut"),
        ("Yakovlevsky district", "Yakovlevsky"),
        ("BAKHMUT", "Bakhmut"),
        ("Rostov-on-Don", "Rostov–on–Don"),
        (None, None),
    ],
)
def test_same_place_positive(a, b):
    assert default_matcher().same_place(a, b)


@pytest.mark.parametrize(
    ("a", "b"),
    [("Kherson", "Kharkiv"), ("Bakhmut", None), ("Kiev", "Kyiv"), ("region", "Bakhmut")],
)
def test_same_place_negative(a, b):
    assert not default_matcher().same_place(a, b)


def test_place_normalisation_in_scoring():
    s = score([pclaim(place="Bakhmut city")], [gclaim(place="Bakhmut")])
    assert s.claims.tp == 1
    s = score([pclaim(place="Soledar")], [gclaim()])
    assert s.claims.tp == 0 and s.relaxed["place"] == 1 and s.misses[0].near == ["place"]


# --------------------------------------------------------------------------- alias hooks


def _alias(name: str) -> set[str]:
    table = {
        "russia's defense ministry": "ru_mod",
        "russian defense ministry": "ru_mod",
        "russian ministry of defence": "ru_mod",
    }
    key = table.get(name.casefold())
    return {key} if key else set()


def _place_alias(name: str) -> set[str]:
    return {"kyiv"} if name.casefold() in {"kiev", "kyiv", "kyiv city"} else set()


def test_alias_hooks():
    m = default_matcher(alias_keys=_alias, place_keys=_place_alias)
    assert m.same_source("Russia's defense ministry", "Russian Defense Ministry")
    assert m.same_source("Russian Ministry of Defence", "Russian Defense Ministry")
    assert not m.same_source("Russia's defense ministry", "Ukrainian Defense Ministry")
    assert m.same_place("Kiev", "Kyiv")
    assert not m.same_place("Kiev", "Kharkiv")
    # the built-in rules still apply and None still only matches None
    assert m.same_source("Syrskyi", "Oleksandr Syrskyi")
    assert not m.same_source(None, "Russian Defense Ministry")


def test_alias_hooks_in_scoring():
    g = gclaim(source="Russian Defense Ministry", place="Kiev")
    p = pclaim(source="Russia's defense ministry", place="Kyiv")
    assert score([p], [g]).claims.tp == 0
    m = default_matcher(alias_keys=_alias, place_keys=_place_alias)
    assert score([p], [g], matcher=m).claims.tp == 1


# --------------------------------------------------------------------------- per event, relaxed


def test_per_event_breakdown():
    golds = [gclaim(), gclaim(event="CAPTURE", evidence="advanced up to 400")]
    preds = [pclaim(), pclaim(event="WITHDRAW")]
    s = score(preds, golds)
    assert s.per_event["ADVANCE"] == Counts(tp=1, fp=0, fn=0)
    assert s.per_event["CAPTURE"] == Counts(tp=0, fp=0, fn=1)
    assert s.per_event["WITHDRAW"] == Counts(tp=0, fp=1, fn=0)


def test_relaxed_counts():
    golds = [
        gclaim(),
        gclaim(event="REPEL", source="Ukraine", actor_side="UA", evidence="it repelled"),
    ]
    preds = [
        pclaim(source="Wagner Group"),
        pclaim("Ukraine said it repelled a day.", event="REPEL", source="Ukraine", actor_side="RU"),
    ]
    s = score(preds, golds)
    assert s.claims.fn == 2
    assert s.relaxed == {"source": 1, "place": 0, "actor_side": 1, "evidence": 0}
    assert [m.near for m in s.misses] == [["source"], ["actor_side"]]


# --------------------------------------------------------------------------- quotes


def test_quote_overlap():
    assert quote_overlap("shot down", "the drones were “shot down” over") == 1.0
    assert quote_overlap("We are pushing Bakhmut all the way", "pushing Bakhmut") == 1.0
    assert quote_overlap("abcdefghij", "xxabcdefyy") == pytest.approx(0.6)
    assert quote_overlap("abcdefghij", "xxabcdyy") == pytest.approx(0.4)
    assert quote_overlap("", "anything") == 0.0


def test_quote_recall_and_speaker_accuracy():
    gold_quotes = [
        {"text": "We are pushing Bakhmut all the way to the end", "speaker": "Yevgeny Prigozhin",
         "kind": "direct"},
        {"text": "Air defence systems on duty destroyed two UAVs", "speaker": "Russian MoD",
         "kind": "direct"},
        {"text": "There were no casualties", "speaker": "Vyacheslav Gladkov", "kind": "direct"},
        {"text": "it repelled a day of Russian attacks", "speaker": "Ukraine", "kind": "indirect"},
        {"text": "an optional quote", "speaker": None, "kind": "direct", "optional": True},
    ]  # fmt: skip
    preds = [
        {"text": "“We are pushing Bakhmut all the way to the end,”", "speaker": "Prigozhin",
         "kind": "direct"},
        {"text": "Air defence systems on duty destroyed", "speaker": "Gladkov", "kind": "direct"},
        {"text": "it repelled a day of Russian attacks", "speaker": "Ukraine", "kind": "indirect"},
    ]  # fmt: skip
    s = score([], [], preds, gold_quotes)
    direct, indirect = s.quotes["direct"], s.quotes["indirect"]
    assert (direct.gold, direct.found, direct.speaker_ok) == (3, 2, 1)
    assert direct.recall == pytest.approx(2 / 3)
    assert direct.speaker_accuracy == pytest.approx(0.5)
    assert (indirect.gold, indirect.found, indirect.speaker_ok) == (1, 1, 1)
    assert indirect.recall == 1.0 and indirect.speaker_accuracy == 1.0
    assert [q.gold["text"] for q in s.quote_misses] == ["There were no casualties"]
    assert [q.predicted["speaker"] for q in s.wrong_speakers] == ["Gladkov"]


def test_quote_prefers_same_kind_and_null_speaker():
    gold_quotes = [{"text": "shot down", "speaker": None, "kind": "direct"}]
    preds = [
        {"text": "the drones were shot down over the district", "speaker": "X", "kind": "indirect"},
        {"text": "shot down", "speaker": None, "kind": "direct"},
    ]
    s = score([], [], preds, gold_quotes)
    assert s.quotes["direct"].speaker_ok == 1


def test_quote_stats_empty():
    assert QuoteStats().recall is None and QuoteStats().speaker_accuracy is None


# --------------------------------------------------------------------------- models compatibility


def test_scores_model_to_dict_output():
    text = "Kyiv said its forces repelled attacks near Bakhmut."
    ev = Span(0, len(text), text)
    claim = Claim(
        source=Actor("Kyiv", side="UA", kind="government"),
        event="REPEL",
        actor_side="UA",
        evidence=ev,
        trigger=Span(21, 29, "repelled"),
        place=Place("Bakhmut"),
    )
    quote = Quote(
        text="its forces repelled attacks near Bakhmut",
        span=Span(10, 50, "its forces repelled attacks near Bakhmut"),
        kind="indirect",
        speaker=Actor("Kyiv", side="UA"),
    )
    g = gold(
        [gclaim(source="Kyiv", event="REPEL", actor_side="UA", evidence="forces repelled attacks")],
        [{"text": "its forces repelled attacks", "speaker": "Kyiv", "kind": "indirect"}],
        text=text,
    )
    s = score_document([claim.to_dict()], [quote.to_dict()], g, text, default_matcher())
    assert s.claims.tp == 1
    assert s.quotes["indirect"].speaker_ok == 1


# --------------------------------------------------------------------------- gold files


def _write(path: Path, data: Any) -> Path:
    path.write_text(json.dumps(data) if not isinstance(data, str) else data, encoding="utf-8")
    return path


def _gold_json(doc_id: str, **kw: Any) -> dict[str, Any]:
    return {
        "id": doc_id,
        "published": "2023-05-12",
        "outlet": None,
        "url": None,
        "text": TEXT,
        "quotes": [
            {"text": "his troops had also advanced", "speaker": "Prigozhin", "kind": "indirect"}
        ],
        "claims": [gclaim()],
        **kw,
    }  # fmt: skip


def test_load_gold_dir_sorted(tmp_path):
    _write(tmp_path / "b.json", _gold_json("b", sides={"SAF": "Sudanese Armed Forces"}))
    _write(tmp_path / "a.json", _gold_json("a"))
    _write(tmp_path / "notes.txt", "ignored")
    docs = load_gold_dir(tmp_path)
    assert [d.id for d in docs] == ["a", "b"]
    assert docs[0].path == tmp_path / "a.json"
    assert docs[0].sides is None
    assert docs[1].sides == {"SAF": "Sudanese Armed Forces"}
    assert docs[0].claims[0]["event"] == "ADVANCE"


def test_gold_id_defaults_to_file_stem(tmp_path):
    data = _gold_json("x")
    del data["id"]
    _write(tmp_path / "stem-name.json", data)
    assert load_gold_dir(tmp_path)[0].id == "stem-name"


@pytest.mark.parametrize(
    "content",
    [
        "{not json",
        "[1, 2]",
        _gold_json("x", text=""),
        _gold_json("x", claims={"event": "ADVANCE"}),
        _gold_json("x", claims=[gclaim(event="TELEPORT")]),
        _gold_json("x", claims=[{"event": "ADVANCE", "actor_side": "RU"}]),
        _gold_json("x", quotes=[{"text": "hi", "kind": "shouted"}]),
    ],
)
def test_malformed_gold_raises_eval_error_naming_file(tmp_path, content):
    _write(tmp_path / "a-good.json", _gold_json("good"))
    _write(tmp_path / "broken-file.json", content)
    with pytest.raises(EvalError) as info:
        load_gold_dir(tmp_path)
    message = str(info.value)
    assert "broken-file.json" in message
    assert "\n" not in message


def test_missing_or_empty_gold_dir(tmp_path):
    with pytest.raises(EvalError, match=r"no \*\.json"):
        load_gold_dir(tmp_path)
    with pytest.raises(EvalError, match="not a directory"):
        load_gold_dir(tmp_path / "nope")


# --------------------------------------------------------------------------- corpus / report


def _analyze(doc: GoldDoc):
    if doc.id == "a":
        return [pclaim(), pclaim(event="CAPTURE")], [
            {"text": "his troops had also advanced", "speaker": "Yevgeny Prigozhin",
             "kind": "indirect"}
        ]  # fmt: skip
    return [], []


def test_run_eval_micro_average_and_to_dict(tmp_path):
    _write(tmp_path / "a.json", _gold_json("a"))
    _write(tmp_path / "b.json", _gold_json("b", claims=[gclaim(), gclaim(optional=True)]))
    report = run_eval(tmp_path, _analyze, default_matcher())
    assert (report.claims.tp, report.claims.fp, report.claims.fn) == (1, 1, 1)
    assert report.claims.precision == 0.5 and report.claims.recall == 0.5
    d = report.to_dict()
    json.dumps(d)  # serialisable
    assert set(d) == {"documents", "claims", "per_event", "relaxed", "quotes", "per_document"}
    assert d["documents"] == 2
    assert d["claims"] == {
        "tp": 1,
        "fp": 1,
        "fn": 1,
        "precision": 0.5,
        "recall": 0.5,
        "f1": 0.5,
        "optional_found": 0,
    }
    assert list(d["per_event"]) == ["ADVANCE", "CAPTURE"]
    assert d["per_event"]["CAPTURE"]["fp"] == 1
    assert d["relaxed"] == {"misses": 1, "source": 0, "place": 0, "actor_side": 0, "evidence": 0}
    assert d["quotes"]["indirect"] == {
        "gold": 2,
        "found": 1,
        "speaker_ok": 1,
        "recall": 0.5,
        "speaker_accuracy": 1.0,
    }
    assert d["quotes"]["direct"]["recall"] is None
    doc_a, doc_b = d["per_document"]
    assert doc_a["id"] == "a" and doc_a["tp"] == 1 and doc_a["fp"] == 1
    assert doc_a["extras"][0]["event"] == "CAPTURE"
    assert set(doc_a["extras"][0]) == {
        "event", "actor_side", "polarity", "source", "place", "evidence",
    }  # fmt: skip
    assert doc_b["misses"][0]["event"] == "ADVANCE" and doc_b["misses"][0]["near"] == []
    assert doc_b["quote_misses"][0]["kind"] == "indirect"


def test_score_corpus_default_matcher():
    report = score_corpus([(gold([gclaim()]), ([pclaim(source="Prigozhin")], []))])
    assert report.claims.tp == 1 and len(report.documents) == 1


def test_format_report(tmp_path):
    _write(tmp_path / "a.json", _gold_json("a"))
    _write(tmp_path / "b.json", _gold_json("b"))
    report = run_eval(tmp_path, _analyze, default_matcher())
    brief = format_report(report, verbose=False)
    assert "ADVANCE" in brief and "0.500" in brief and "indirect" in brief
    assert "MISS" not in brief
    full = format_report(report, verbose=True)
    assert "EXTRA  CAPTURE by RU" in full
    assert "MISS   ADVANCE by RU" in full
    assert "QUOTE MISS (indirect)" in full
    assert "== a" in full and "== b" in full
