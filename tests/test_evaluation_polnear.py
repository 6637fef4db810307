"""evaluation/polnear.py on toy brat files and texts written for the tests (no PolNeAR data)."""

from pathlib import Path

import pytest

from evaluation.polnear import (
    DataError,
    GoldAttribution,
    Predicted,
    classified,
    cue_correct,
    exact_match,
    is_speech,
    load_split,
    main,
    miss_category,
    name_tokens,
    parse_brat,
    quotation_mask,
    score_kind,
    source_prf,
    speaker_correct,
    with_cue_lemmas,
)

TEXT = (
    "Jane Doe said the plan would fail. “It is over,” she said, “and we know it.”\n\n"
    "Officials are looking for ways to save it."
)


def offsets(fragment: str, text: str = TEXT, length: int | None = None) -> str:
    """brat offsets of the first ``fragment`` (or of its first ``length`` characters)."""
    start = text.index(fragment)
    return f"{start} {start + (len(fragment) if length is None else length)}"


# A shared source (T1 for E1 and E2), a discontinuous content (T6), a missing source (E3),
# an unlinked note, and a continuation line of a text with a line break.
ANN = f"""T1\tSource {offsets("Jane Doe")}\tJane Doe
T2\tCue {offsets("said the", length=4)}\tsaid
T3\tContent {offsets("the plan would fail")}\tthe plan would fail
E1\tAttribution:T4 Content:T3 Cue:T2 Source:T1
T4\tAttribution {offsets("said the", length=4)}\tsaid
T5\tSource {offsets("she")}\tshe
T6\tContent {offsets("“It is over,”")};{offsets("“and we know it.”")}\t“It is over,” “and we know it.”
T7\tCue {offsets("said,", length=4)}\tsaid
E2\tAttribution:T8 Content:T6 Cue:T7 Source:T5
T8\tAttribution {offsets("said,", length=4)}\tsaid
T9\tContent {offsets("to save it")}\tto save it
T10\tCue {offsets("are looking for ways")}\tare looking for ways
E3\tAttribution-no-source:T11 Content:T9 Cue:T10
T12\tDiscuss 0 4\tJane
T13\tContent 0 40\tfirst line
second line
"""


@pytest.fixture()
def gold() -> list[GoldAttribution]:
    return classified(parse_brat(ANN), TEXT)


def test_parse_brat_reads_roles_discontinuous_spans_and_missing_sources(gold):
    assert [g.id for g in gold] == ["E1", "E2", "E3"]
    first, second, third = gold
    assert TEXT[slice(*first.source[0])] == "Jane Doe"
    assert first.cue_text == "said"
    assert len(second.content) == 2  # "start end;start end"
    assert [TEXT[s:e] for s, e in second.content] == ["“It is over,”", "“and we know it.”"]
    assert second.source_text == "she"
    assert third.source == () and third.source_text == ""


def test_shared_source_is_given_to_every_attribution():
    ann = (
        "T1\tSource 0 8\tJane Doe\nT2\tCue 9 13\tsaid\nT3\tContent 14 19\tthing\n"
        "T4\tCue 20 25\tadded\nT5\tContent 26 31\tother\n"
        "E1\tAttribution:T9 Content:T3 Cue:T2 Source:T1\n"
        "E2\tAttribution:T8 Source:T1 Content:T5 Cue:T4\n"
    )
    attributions = parse_brat(ann)
    assert [a.source for a in attributions] == [((0, 8),), ((0, 8),)]


def test_second_content_role_joins_the_content():
    ann = (
        "T1\tContent 0 4\tabcd\nT2\tCue 5 9\tsaid\nT3\tContent 20 24\twxyz\n"
        "E1\tAttribution:T5 Content:T1 Cue:T2 Content2:T3\n"
    )
    assert parse_brat(ann)[0].content == ((0, 4), (20, 24))


def test_swapped_source_and_cue_are_put_back():
    ann = "T1\tSource 0 4\tsaid\nT2\tCue 5 10\tJones\nT3\tContent 11 15\tabcd\n"
    ann += "E1\tAttribution:T4 Content:T3 Cue:T2 Source:T1\n"
    attribution = parse_brat(ann)[0]
    assert attribution.source_text == "Jones" and attribution.cue_text == "said"


def test_quotation_mask_pairs_marks_and_closes_at_the_paragraph_end():
    text = 'a “b” c "d" e “f\n\ng'
    mask = quotation_mask(text)
    inside = "".join(ch for ch, m in zip(text, mask, strict=True) if m)
    assert inside == '“b”"d"“f'


def test_direct_when_most_letters_are_quoted(gold):
    assert [g.kind for g in gold] == ["indirect", "direct", "indirect"]
    partial = classified(
        parse_brat("T1\tContent 0 30\tx\nE1\tAttribution:T2 Content:T1\n"),
        "he is “surprised” by all of it and much more",
    )
    assert partial[0].kind == "indirect"


def test_speech_subset_uses_the_cue_lemmas(gold):
    said = GoldAttribution("E1", ((0, 1),), cue=((2, 3),), cue_lemmas=frozenset({"say", "said"}))
    looking = GoldAttribution("E2", ((0, 1),), cue=((2, 3),), cue_lemmas=frozenset({"look"}))
    assert is_speech(said) and not is_speech(looking)
    according = GoldAttribution("E3", ((0, 1),), cue_lemmas=frozenset({"according", "to"}))
    assert is_speech(according)


def test_name_tokens_drop_titles_pronouns_and_possessors():
    assert name_tokens("Sen. Jane Doe (D-Md.)") == {"jane", "doe", "d-md"}
    assert name_tokens("Doe's spokesman Rick Roe") == {"rick", "roe"}
    assert name_tokens("he") == set()
    assert name_tokens("President Barack Obama") == {"barack", "obama"}


def gold_with_source(source_text: str, source: tuple[int, int]) -> GoldAttribution:
    return GoldAttribution("E1", ((100, 150),), source=(source,), source_text=source_text)


@pytest.mark.parametrize(
    ("source_text", "source", "speaker", "speaker_span", "expected"),
    [
        ("Jane Doe", (0, 8), "Jane Doe", (0, 8), True),  # the same mention
        ("Jane Doe", (0, 8), "Jane Doe", (60, 63), True),  # "she" resolved to Jane Doe
        ("Sen. Doe", (70, 78), "Jane Doe", None, True),  # surname shared, no mention
        ("Jane Doe", (0, 8), "Rick Roe", (60, 63), False),  # another person
        ("he", (60, 62), "Rick Roe", (60, 62), True),  # pronoun: our mention is that pronoun
        ("he", (60, 62), "Rick Roe", (0, 8), False),  # pronoun elsewhere: cannot be checked
        ("Jane Doe", (0, 8), None, None, False),  # no speaker
    ],
)
def test_speaker_rule(source_text, source, speaker, speaker_span, expected):
    pred = Predicted(100, 150, "direct", speaker=speaker, speaker_span=speaker_span)
    assert speaker_correct(gold_with_source(source_text, source), pred) is expected


def test_speaker_not_scored_without_a_gold_source():
    gold = GoldAttribution("E1", ((0, 10),))
    assert speaker_correct(gold, Predicted(0, 10, "direct", speaker="X")) is None


def test_cue_rule():
    gold = GoldAttribution("E1", ((0, 1),), cue=((5, 9),), cue_text="said",
                           cue_lemmas=frozenset({"say", "said"}))  # fmt: skip
    assert cue_correct(gold, Predicted(0, 1, "direct", cue="say"))
    assert not cue_correct(gold, Predicted(0, 1, "direct", cue="tell"))
    assert not cue_correct(gold, Predicted(0, 1, "direct", cue=None))
    according = GoldAttribution("E2", ((0, 1),), cue=((5, 17),), cue_text="According to",
                                cue_lemmas=frozenset({"according", "to"}))  # fmt: skip
    assert cue_correct(according, Predicted(0, 1, "indirect", cue="according to"))


def test_matching_is_one_to_one_and_by_kind(gold):
    text = TEXT
    over, know = text.index("It is over"), text.index("and we know it")
    plan, she = text.index("the plan"), text.index("she")
    preds = [
        Predicted(over, over + len("It is over"), "direct", "Jane Doe", None, "say"),
        Predicted(know, know + len("and we know it."), "direct", "Jane Doe", (she, she + 3), "say"),
        Predicted(plan, plan + len("the plan would fail"), "indirect", "Jane Doe", (0, 8), "say"),
        Predicted(text.index("Officials"), text.index("Officials") + 9, "direct"),
    ]
    direct = score_kind("direct", gold, preds, text)
    assert len(direct.pairs) == 1 and direct.pairs[0].gold.id == "E2"
    assert direct.pairs[0].pred.start == know  # the larger overlap wins
    assert direct.pairs[0].speaker is True  # our mention is the gold "she"
    assert len(direct.excused) == 1  # the other fragment of the same quotation
    assert len(direct.spurious) == 1  # "Officials" overlaps no content
    indirect = score_kind("indirect", gold, preds, text)
    assert len(indirect.pairs) == 1 and indirect.pairs[0].speaker is True
    assert [g.id for g in indirect.missed] == ["E3"]  # the intention nobody said
    assert indirect.pairs[0].exact


def test_exact_ignores_marks_and_punctuation():
    text = "x “It is over,” y"
    gold = GoldAttribution("E1", ((2, 15),))
    assert exact_match(gold, Predicted(3, 13, "direct"), text)
    assert not exact_match(gold, Predicted(3, 5, "direct"), text)


def test_source_f1_matches_mentions_to_sources(gold):
    preds = [
        Predicted(0, 1, "indirect", speaker_span=(0, 8)),
        Predicted(0, 1, "direct", speaker_span=(0, 4)),  # same source, already matched
        Predicted(0, 1, "direct", speaker_span=(90, 95)),
    ]
    prf = source_prf(gold, preds)
    assert (prf.tp, prf.fp, prf.fn) == (1, 2, 1)


def test_load_split_takes_the_first_annotator(tmp_path: Path):
    split = tmp_path / "data" / "dev"
    (split / "text").mkdir(parents=True)
    (split / "attributions").mkdir()
    (split / "text" / "paper_2016-10-01_story.txt").write_text(TEXT, encoding="utf-8")
    (split / "attributions" / "paper_2016-10-01_story_bbbb.ann").write_text("", encoding="utf-8")
    (split / "attributions" / "paper_2016-10-01_story_aaaa.ann").write_text(ANN, encoding="utf-8")
    articles = load_split(tmp_path, "dev")
    assert len(articles) == 1
    assert articles[0].annotator == "aaaa"
    assert articles[0].published == "2016-10-01"
    assert len(articles[0].attributions) == 3


def test_missing_data_is_a_clear_error(tmp_path: Path, capsys):
    with pytest.raises(DataError):
        load_split(tmp_path, "test")
    assert main([str(tmp_path / "nowhere")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error:") and "Traceback" not in err


def test_relative_pronoun_source_is_the_mention_right_before_it():
    text = "an architect who said it"
    gold = GoldAttribution("E1", ((21, 23),), source=((13, 16),), source_text="who")
    assert speaker_correct(gold, Predicted(21, 23, "indirect", "architect", (0, 12)))
    assert not speaker_correct(gold, Predicted(21, 23, "indirect", "Jane Doe", (30, 38)))
    assert text[13:16] == "who"


def test_miss_categories_name_titles_and_non_speech():
    title = GoldAttribution("E1", ((0, 5),), content_text="“Mostly True”", kind="direct")
    assert "title" in miss_category("direct", title, other_kind=False)
    thought = GoldAttribution("E2", ((0, 5),), cue_lemmas=frozenset({"hope"}))
    assert "not speech" in miss_category("indirect", thought, other_kind=False)
    said = GoldAttribution("E3", ((0, 5),), cue_lemmas=frozenset({"say"}))
    assert "direct quote" in miss_category("indirect", said, other_kind=True)


def test_any_dash_cue_is_our_dash_cue(nlp):
    text = "“We lost everything.” ― Olena Kovalenko"
    gold = GoldAttribution("E1", ((0, 21),), cue=((22, 23),), cue_text="―")
    (filled,) = with_cue_lemmas([gold], nlp(text))
    assert cue_correct(filled, Predicted(1, 20, "direct", cue="-"))


@pytest.fixture(scope="module")
def nlp():
    from fogofwar.nlp import get_nlp

    return get_nlp()
