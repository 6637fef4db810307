"""Tests for quotes: quotation-mark spans on the characters, and direct/indirect quotes with
their cue and speaker through ``fogofwar.analyze``."""

from __future__ import annotations

import pytest

from fogofwar.quotes import find_quote_spans

# --- quotation marks on the characters -----------------------------------------------------

# (text, the quoted words found, in order)
SPANS = [
    ('"We will hold Kupiansk," the commander said.', ["We will hold Kupiansk"]),
    ("“We will hold Kupiansk,” the commander said.", ["We will hold Kupiansk"]),
    ("«We will hold Kupiansk», the commander said.", ["We will hold Kupiansk"]),
    (
        "Maliar said Ukrainian troops were achieving their “military goals” near the city.",
        ["military goals"],
    ),
    (
        'Syrskyi said the Wagner units had "climbed into Bakhmut like rats" and were stuck.',
        ["climbed into Bakhmut like rats"],
    ),
    (
        "“We are not retreating,” Prigozhin said. “We are regrouping.”",
        ["We are not retreating", "We are regrouping."],
    ),
    (
        "Kadyrov called the offensive a “success” and the losses “insignificant”.",
        ["success", "insignificant"],
    ),
    # a straight mark glued to the end of a word (inches) does not open a quote
    ('The 152mm howitzer and the 5" gun were both hit.', []),
    # one character between marks is not a quote
    ("The “a” grade.", []),
]


@pytest.mark.parametrize(("text", "expected"), SPANS)
def test_find_quote_spans(text, expected):
    spans = find_quote_spans(text)
    assert [text[a:b] for a, b in spans] == expected


@pytest.mark.parametrize(("text", "_expected"), SPANS)
def test_quote_spans_exclude_the_marks(text, _expected):
    for start, end in find_quote_spans(text):
        assert 0 < start < end <= len(text)
        assert text[start - 1] in '"“«'
        assert text[start] not in '"“”«»'
        assert text[end - 1] not in '"“”«»'


def test_unbalanced_mark_ends_at_the_paragraph_break():
    text = (
        "“We will not give up a metre of Avdiivka, the commander told reporters.\n\n"
        "Russian forces attacked the town again on Sunday."
    )
    spans = find_quote_spans(text)
    assert [text[a:b] for a, b in spans] == [
        "We will not give up a metre of Avdiivka, the commander told reporters."
    ]


def test_unbalanced_mark_at_the_end_of_the_text():
    text = "Syrskyi said: “The enemy is exhausted"
    assert [text[a:b] for a, b in find_quote_spans(text)] == ["The enemy is exhausted"]


def test_multi_paragraph_quote_is_one_span_per_paragraph():
    # Press convention: an unclosed paragraph continues in the next one, which reopens the mark.
    text = (
        "“The situation near Bakhmut is difficult,” Syrskyi said. “The enemy is exhausted.\n\n"
        "“We will not give up Kupiansk.”"
    )
    spans = find_quote_spans(text)
    assert [text[a:b] for a, b in spans] == [
        "The situation near Bakhmut is difficult",
        "The enemy is exhausted.",
        "We will not give up Kupiansk.",
    ]


def test_no_quotes():
    assert find_quote_spans("Russian forces shelled Kherson overnight.") == []
    assert find_quote_spans("") == []


# --- through the pipeline ----------------------------------------------------------------------


def quotes_of(analysis, kind=None):
    return [q for q in analysis.quotes if kind is None or q.kind == kind]


def quote_with(analysis, fragment, kind=None):
    found = [q for q in quotes_of(analysis, kind) if fragment in q.text]
    assert found, (
        f"no {kind or ''} quote containing {fragment!r}: {[q.text for q in analysis.quotes]}"
    )
    return found[0]


def speaker(quote):
    return quote.speaker.name if quote.speaker else None


# (article, words of the quote, speaker, speaker side, cue lemma)
DIRECT = [
    pytest.param(
        "Ukraine's Defence Ministry said on Monday its troops had recaptured the village of "
        "Andriivka.\n\n"
        "“Our forces have pushed the enemy back from the outskirts of Kupiansk,” the ministry said.",
        "Our forces have pushed the enemy back from the outskirts of Kupiansk",
        "Ukrainian Defense Ministry",
        "UA",
        "say",
        id="cue-after-ministry",
    ),
    pytest.param(
        "“We are holding our positions near Klishchiivka,” Oleksandr Syrskyi said on Telegram.",
        "We are holding our positions near Klishchiivka",
        "Oleksandr Syrskyi",
        "UA",
        "say",
        id="cue-after-name",
    ),
    pytest.param(
        "Oleksandr Syrskyi, commander of Ukraine's ground forces, said: “The situation near "
        "Bakhmut is difficult.”",
        "The situation near Bakhmut is difficult",
        "Oleksandr Syrskyi",
        "UA",
        "say",
        id="cue-before",
    ),
    pytest.param(
        "“The city is still holding,” said Wagner boss Yevgeny Prigozhin.",
        "The city is still holding",
        "Yevgeny Prigozhin",
        "RU",
        "say",
        id="inverted-with-title",
    ),
    pytest.param(
        "“Everything is going according to plan,” Kremlin spokesman Dmitry Peskov told reporters.",
        "Everything is going according to plan",
        "Dmitry Peskov",
        "RU",
        "tell",
        id="told-reporters",
    ),
    pytest.param(
        "Maliar said Ukrainian forces were achieving their “military goals” near Bakhmut.",
        "military goals",
        "Hanna Maliar",
        "UA",
        "say",
        id="partial-quote",
    ),
]


@pytest.mark.parametrize(("text", "words", "who", "side", "cue"), DIRECT)
def test_direct_quote_speaker(analyze, text, words, who, side, cue):
    quote = quote_with(analyze(text), words, "direct")
    assert quote.text == words or quote.text.rstrip(".") == words
    assert speaker(quote) == who
    assert quote.speaker.side == side
    assert quote.cue == cue


@pytest.mark.parametrize(("text", "words", "_who", "_side", "_cue"), DIRECT)
def test_direct_quote_text_has_no_marks_or_cue(analyze, text, words, _who, _side, _cue):
    quote = quote_with(analyze(text), words, "direct")
    assert not any(mark in quote.text for mark in '"“”')
    assert " said" not in quote.text
    assert text[quote.span.start : quote.span.end] == quote.span.text


def test_inverted_speaker_keeps_faction(analyze):
    quote = quote_with(
        analyze("“The city is still holding,” said Wagner boss Yevgeny Prigozhin."), "still holding"
    )
    assert quote.speaker.faction == "wagner"


def test_he_said_resolves_to_the_previous_speaker_not_a_mentioned_person(analyze):
    text = (
        "Yevgeny Prigozhin said his fighters were running out of shells.\n\n"
        "Russian President Vladimir Putin met Defence Minister Sergei Shoigu on Tuesday.\n\n"
        "“We are not leaving Bakhmut,” he said."
    )
    quote = quote_with(analyze(text), "We are not leaving Bakhmut", "direct")
    assert speaker(quote) == "Yevgeny Prigozhin"


def test_she_said_resolves_to_the_previous_speaker(analyze):
    text = (
        "Hanna Maliar said Ukrainian forces had advanced near Bakhmut. "
        "Oleksandr Syrskyi visited the front line on Monday.\n\n"
        "“We control the southwestern part of the city,” she said."
    )
    quote = quote_with(analyze(text), "We control the southwestern part", "direct")
    assert speaker(quote) == "Hanna Maliar"
    assert quote.speaker.faction == "ua_mod"


def test_he_told_reporters_after_a_named_quote(analyze):
    text = (
        "Russian President Vladimir Putin met Defence Minister Sergei Shoigu on Tuesday.\n\n"
        "“We have not lost a single position,” Peskov told reporters. "
        "“Everything is going according to plan,” he said."
    )
    analysis = analyze(text)
    assert speaker(quote_with(analysis, "not lost a single position", "direct")) == "Dmitry Peskov"
    assert speaker(quote_with(analysis, "according to plan", "direct")) == "Dmitry Peskov"


def test_according_to_inside_a_direct_quote_is_not_an_attribution(analyze):
    text = "“Everything is going according to plan,” Kremlin spokesman Dmitry Peskov said."
    analysis = analyze(text)
    assert all(speaker(q) != "plan" for q in analysis.quotes)
    assert all(q.cue != "according to" for q in analysis.quotes)


def test_the_think_tank_resolves_to_the_organisation_named_before(analyze):
    text = (
        "The Institute for the Study of War said Russian forces were regrouping near Kreminna.\n\n"
        "“Russian forces likely lack the reserves to sustain the offensive,” the think tank said."
    )
    quote = quote_with(analyze(text), "lack the reserves", "direct")
    assert speaker(quote) == "Institute for the Study of War"
    assert quote.speaker.side == "THIRD"


def test_inverted_descriptive_speaker_with_hyphenated_modifier(analyze):
    text = (
        "The Institute for the Study of War said Russian forces were regrouping near Kreminna.\n\n"
        "“Russian forces likely lack the reserves to sustain the offensive,” "
        "said the Washington-based think tank."
    )
    quote = quote_with(analyze(text), "lack the reserves", "direct")
    assert speaker(quote) == "Institute for the Study of War"


def test_inverted_descriptive_speaker_with_comma_in_modifier(analyze):
    text = (
        "The Institute for the Study of War said Russian forces were regrouping near Kreminna.\n\n"
        "“Russian forces likely lack the reserves to sustain the offensive,” "
        "said the Washington, DC-based think tank."
    )
    quote = quote_with(analyze(text), "lack the reserves", "direct")
    assert speaker(quote) == "Institute for the Study of War"


def test_the_ministry_resolves_to_the_ministry_not_a_person_mentioned_between(analyze):
    text = (
        "Russia's defence ministry said on Sunday that its troops had repelled Ukrainian attacks "
        "near Bakhmut.\n\n"
        "Ukrainian President Volodymyr Zelensky visited troops in the Donetsk region.\n\n"
        "“Ukrainian units suffered heavy losses,” the ministry said."
    )
    quote = quote_with(analyze(text), "suffered heavy losses", "direct")
    assert speaker(quote) == "Russian Defense Ministry"
    assert quote.speaker.faction == "ru_mod"


def test_quote_without_any_speaker_has_speaker_none_and_a_reason(analyze):
    quote = quote_with(
        analyze("The battle for the town has been called a “meat grinder”."),
        "meat grinder",
        "direct",
    )
    assert quote.speaker is None
    assert quote.to_dict()["speaker"] is None
    assert quote.speaker_reason


def test_second_quote_after_the_cue_sentence_keeps_the_speaker(analyze):
    text = (
        "“The situation near Bakhmut is difficult but under control,” Syrskyi said. "
        "“We are holding the line.”"
    )
    quote = quote_with(analyze(text), "We are holding the line", "direct")
    assert speaker(quote) == "Oleksandr Syrskyi"


def test_multi_paragraph_quote_keeps_the_speaker(analyze):
    text = (
        "“We are holding the line,” Oleksandr Syrskyi said. “The enemy is exhausted.\n\n"
        "“We will not give up Kupiansk.”\n\n"
        "The fighting continued overnight."
    )
    analysis = analyze(text)
    assert speaker(quote_with(analysis, "The enemy is exhausted", "direct")) == "Oleksandr Syrskyi"
    assert speaker(quote_with(analysis, "We will not give up Kupiansk", "direct")) == (
        "Oleksandr Syrskyi"
    )


# --- indirect ------------------------------------------------------------------------------

# (article, words of the reported speech, speaker, side, cue)
INDIRECT = [
    pytest.param(
        "Hanna Maliar said that Ukrainian troops had advanced near Bakhmut.",
        "Ukrainian troops had advanced near Bakhmut",
        "Hanna Maliar",
        "UA",
        "say",
        id="said-that",
    ),
    pytest.param(
        "Prigozhin said his fighters were running out of ammunition.",
        "his fighters were running out of ammunition",
        "Yevgeny Prigozhin",
        "RU",
        "say",
        id="said-no-that",
    ),
    pytest.param(
        "Hanna Maliar told Reuters that Ukrainian troops had advanced near Bakhmut.",
        "Ukrainian troops had advanced near Bakhmut",
        "Hanna Maliar",
        "UA",
        "tell",
        id="told-reuters-that",
    ),
    pytest.param(
        "According to Hanna Maliar, Ukrainian troops advanced 700 metres near Bakhmut.",
        "Ukrainian troops advanced 700 metres near Bakhmut",
        "Hanna Maliar",
        "UA",
        "according to",
        id="according-to-first",
    ),
    pytest.param(
        "Ukrainian troops advanced 700 metres near Bakhmut, according to the Institute for the "
        "Study of War.",
        "Ukrainian troops advanced 700 metres near Bakhmut",
        "Institute for the Study of War",
        "THIRD",
        "according to",
        id="according-to-last",
    ),
    pytest.param(
        "Russian troops withdrew from Klishchiivka, the ISW said on Friday.",
        "Russian troops withdrew from Klishchiivka",
        "Institute for the Study of War",
        "THIRD",
        "say",
        id="cue-after-alias",
    ),
    pytest.param(
        "Kyiv says Russian troops have been pushed back from the outskirts of Kharkiv.",
        "Russian troops have been pushed back from the outskirts of Kharkiv",
        "Ukraine",
        "UA",
        "say",
        id="metonym-speaker",
    ),
    pytest.param(
        "The Russian Defence Ministry denied that its forces had withdrawn from Bakhmut.",
        "its forces had withdrawn from Bakhmut",
        "Russian Defense Ministry",
        "RU",
        "deny",
        id="denied-that",
    ),
    pytest.param(
        "Russian forces shelled Kherson overnight, killing two civilians, regional governor "
        "Oleksandr Prokudin said.",
        "Russian forces shelled Kherson overnight",
        "Oleksandr Prokudin",
        "UA",
        "say",
        id="trailing-cue-with-title",
    ),
    pytest.param(
        "Ukrainian forces repelled 23 Russian attacks near Avdiivka, the Ukrainian General Staff "
        "said.",
        "Ukrainian forces repelled 23 Russian attacks near Avdiivka",
        "Ukrainian Armed Forces",
        "UA",
        "say",
        id="trailing-cue-parsed-as-apposition",
    ),
]


@pytest.mark.parametrize(("text", "words", "who", "side", "cue"), INDIRECT)
def test_indirect_quote(analyze, text, words, who, side, cue):
    quote = quote_with(analyze(text), words, "indirect")
    assert speaker(quote) == who
    assert quote.speaker.side == side
    assert quote.cue == cue
    assert not quote.text.startswith("that ")
    assert text[quote.span.start : quote.span.end] == quote.span.text


# (article, speaker name without the title, side, faction)
TITLED = [
    pytest.param(
        "Ukrainian Deputy Defence Minister Hanna Maliar said the fighting was intense.",
        "Hanna Maliar", "UA", "ua_mod", id="known-person",
    ),
    pytest.param(
        "Ukrainian Deputy Defence Minister Oksana Hrytsenko said Russian forces had shelled "
        "Bakhmut.",
        "Oksana Hrytsenko", "UA", "ua_mod", id="unknown-person",
    ),
    pytest.param(
        "Ukrainian army spokesman Serhiy Cherevaty said Russian troops had shelled Bakhmut 500 "
        "times in a day.",
        "Serhiy Cherevaty", "UA", "ua_military", id="spokesman",
    ),
    pytest.param(
        "Wagner boss Yevgeny Prigozhin said Russian Defense Ministry units had withdrawn from "
        "Bakhmut.",
        "Yevgeny Prigozhin", "RU", "wagner", id="wagner-boss",
    ),
    pytest.param(
        "Prigozhin, the Wagner boss, said his men were running out of ammunition.",
        "Yevgeny Prigozhin", "RU", "wagner", id="appositive-title",
    ),
]  # fmt: skip


@pytest.mark.parametrize(("text", "who", "side", "faction"), TITLED)
def test_title_is_stripped_but_side_and_faction_kept(analyze, text, who, side, faction):
    quotes = quotes_of(analyze(text), "indirect")
    assert quotes
    assert speaker(quotes[0]) == who
    assert quotes[0].speaker.side == side
    assert quotes[0].speaker.faction == faction


def test_unnamed_source_keeps_its_description(analyze):
    quotes = quotes_of(
        analyze("A senior Ukrainian official said Russian forces had advanced near Avdiivka."),
        "indirect",
    )
    assert quotes
    assert "senior Ukrainian official" in speaker(quotes[0])
    assert quotes[0].speaker.side == "UA"


def test_unnamed_commander_is_not_the_named_leader(analyze):
    text = "The Sudanese army has withdrawn from the town of Babanusa, an RSF commander said."
    quotes = quotes_of(analyze(text, profile="sudan"), "indirect")
    assert quotes
    assert speaker(quotes[0]) != "Mohamed Hamdan Dagalo"
    assert "RSF commander" in speaker(quotes[0])
    assert quotes[0].speaker.side == "RSF"


def test_several_speakers_in_one_article(analyze):
    text = (
        "The Kremlin said Russian forces had taken the village, but Ukraine's military said the "
        "fighting continued."
    )
    analysis = analyze(text)
    assert speaker(quote_with(analysis, "Russian forces had taken the village", "indirect")) == (
        "Russia"
    )
    assert speaker(quote_with(analysis, "the fighting continued", "indirect")) == (
        "Ukrainian Armed Forces"
    )


def test_quote_dict_shape(analyze):
    analysis = analyze("“We are holding our positions near Klishchiivka,” Oleksandr Syrskyi said.")
    data = analysis.to_dict()["quotes"][0]
    assert {"text", "speaker", "cue", "kind", "span"} <= set(data)
    assert set(data["span"]) == {"start", "end", "text"}
    assert data["kind"] == "direct"
    assert data["speaker"] == "Oleksandr Syrskyi"


def test_unnamed_speaker_named_in_the_next_sentence(analyze):
    text = (
        "Ukrainian troops retreating from Avdiivka have been captured, a Ukrainian military "
        "commander has revealed.\n\n"
        "“A certain number of servicemen were captured,” Ukrainian Brigadier-General Oleksandr "
        "Tarnavskyi wrote on Telegram."
    )
    analysis = analyze(text)
    assert speaker(quote_with(analysis, "retreating from Avdiivka", "indirect")) == (
        "Oleksandr Tarnavskyi"
    )


def test_unnamed_speaker_is_not_merged_with_a_person_named_before(analyze):
    text = (
        "Oleksandr Tarnavskyi visited the front on Monday.\n\n"
        "Russian forces advanced near Avdiivka, a Ukrainian military commander said.\n\n"
        "“We are holding,” Brigadier-General Oleksandr Tarnavskyi wrote."
    )
    quote = quote_with(analyze(text), "Russian forces advanced near Avdiivka", "indirect")
    assert speaker(quote) == "Ukrainian military commander"


def test_dateline_is_not_part_of_the_reported_words(analyze):
    text = (
        "KYIV, March 3 (Reuters) - Russian forces captured the village of Orlivka, "
        "the Russian Defence Ministry said on Sunday."
    )
    quote = quote_with(analyze(text), "Orlivka", "indirect")
    assert quote.text.startswith("Russian forces captured")


def test_quote_continues_after_a_long_cue_sentence(analyze):
    text = (
        "“We are not planning to occupy Russian land,” Ukrainian President Volodymyr Zelensky "
        "said in his nightly address. “But we will protect our people.”"
    )
    quote = quote_with(analyze(text), "But we will protect our people", "direct")
    assert speaker(quote) == "Volodymyr Zelensky"


# --- attribution of direct quotes: cues, speakers, continuations ----------------------------

# (article, words of the quote, speaker, cue lemma)
DIRECT_ATTRIBUTION = [
    pytest.param(
        "Oleksandr Syrskyi said, “The enemy is exhausted. It has no reserves left near Bakhmut.”",
        "It has no reserves",
        "Oleksandr Syrskyi",
        "say",
        id="cue-before-a-quote-of-several-sentences",
    ),
    pytest.param(
        "Oleksandr Syrskyi said:\n\n“We will hold the line. Nobody is leaving Kupiansk.”",
        "Nobody is leaving",
        "Oleksandr Syrskyi",
        "say",
        id="colon-cue-on-the-line-before",
    ),
    pytest.param(
        "Yevgeny Prigozhin spoke first. Hanna Maliar continued: “We will not give up Kupiansk.”",
        "not give up",
        "Hanna Maliar",
        "continue",
        id="any-verb-before-a-colon",
    ),
    pytest.param(
        "“We are holding,” Oleksandr Syrskyi said. “Where are the shells?” Yevgeny Prigozhin "
        "asked.",
        "Where are the shells",
        "Yevgeny Prigozhin",
        "ask",
        id="direct-speech-verb-next-to-the-quote",
    ),
    pytest.param(
        "Natalia Humeniuk said the port had been hit.\n\n"
        "Hanna Maliar scolded the reporters: “The city is ours,” she said.",
        "The city is ours",
        "Hanna Maliar",
        "scold",
        id="colon-cue-before-a-pronoun-cue",
    ),
    pytest.param(
        "Oleksandr Syrskyi told a soldier who said he was tired that “the front will hold.”",
        "the front will hold",
        "Oleksandr Syrskyi",
        "tell",
        id="the-verb-governing-the-quote-not-the-nearest",
    ),
    pytest.param(
        "“He is a fine commander. Not good, excellent. One of the best officers of the entire "
        "army,” Oleksandr Syrskyi said in a phone interview.",
        "One of the best officers",
        "Oleksandr Syrskyi",
        "say",
        id="a-subject-inside-the-marks-is-no-speaker",
    ),
    pytest.param(
        "According to Oleksandr Syrskyi, “the enemy has no reserves left near Bakhmut.”",
        "no reserves left",
        "Oleksandr Syrskyi",
        "according to",
        id="according-to-before-a-direct-quote",
    ),
    pytest.param(
        "Residents described the night.\n\n“We lost everything in one night.” ― Olena Kovalenko"
        "\n\n“The sirens never stopped.” ― Petro Bondar",
        "The sirens never stopped",
        "Petro Bondar",
        "-",
        id="quote-signed-with-a-dash",
    ),
    pytest.param(
        "The video shows Yevgeny Prigozhin asking, “Where is the ammunition?”",
        "Where is the ammunition",
        "Yevgeny Prigozhin",
        "ask",
        id="participle-after-the-speaker",
    ),
    pytest.param(
        '"The shelling went on all night," Mr. Tkachenko said. "Nobody slept in the whole '
        'district."',
        "Nobody slept",
        "Tkachenko",
        "say",
        id="continuation-after-an-abbreviated-title",
    ),
    pytest.param(
        "“We have enough shells for a week,” Yevgeny Prigozhin said after the meeting. The "
        "meeting lasted an hour. “After that, we will leave the city.”",
        "After that",
        "Yevgeny Prigozhin",
        "say",
        id="continuation-after-one-sentence-of-narration",
    ),
    pytest.param(
        "“We have enough shells for a week,” Yevgeny Prigozhin said after the meeting. He gave no "
        "further details. “After that, we will leave the city.”",
        "After that",
        "Yevgeny Prigozhin",
        None,
        id="quote-after-a-sentence-about-the-same-speaker",
    ),
    pytest.param(
        "“The situation is stable,” Dmitry Peskov said on Monday.\n\nHanna Maliar rejected the "
        "Russian account on Tuesday. “Our troops hold the southern flank.”",
        "Our troops hold",
        "Hanna Maliar",
        None,
        id="quote-supporting-a-paraphrase-of-another-speaker",
    ),
    pytest.param(
        "Ukraine's army chief Oleksandr Syrskyi gave an interview on Monday. A partial transcript "
        'follows.\n\n"REPORTER: What happened in Bakhmut?\n\n"SYRSKYI: We held the line for nine '
        'months."',
        "We held the line",
        "Oleksandr Syrskyi",
        ":",
        id="transcript-label-inside-the-marks",
    ),
]


DIRECT_ATTRIBUTION += [
    pytest.param(
        "When Zelensky thanked Kharkiv, a man yelled “Stay there!” The crowd laughed.",
        "Stay there",
        "man",
        "yell",
        id="cue-without-subject-in-the-parse-takes-the-noun-before-it",
    ),
    pytest.param(
        "Zelensky ended his address by saying “We will rebuild every city.” The hall stood up.",
        "rebuild every city",
        "Volodymyr Zelensky",
        "say",
        id="by-saying-takes-the-subject-of-the-main-verb",
    ),
    pytest.param(
        "Said Prigozhin: “We are leaving Bakhmut on Thursday.”",
        "leaving Bakhmut",
        "Yevgeny Prigozhin",
        ":",
        id="inverted-verb-name-colon",
    ),
    pytest.param(
        "The Russian Defence Ministry issued a statement on Monday. “All attacks near Kreminna "
        "were repelled.”",
        "were repelled",
        "Russian Defense Ministry",
        None,
        id="quote-after-an-organisation-issued-a-statement",
    ),
    pytest.param(
        "According to the newspaper, “the bridge was hit three times overnight.”",
        "hit three times",
        "newspaper",
        "according to",
        id="according-to-a-newspaper",
    ),
    pytest.param(
        "Hanna Maliar said she believes the reports were invented by Russian bloggers: “They want "
        "to frighten people.”",
        "frighten people",
        "Hanna Maliar",
        "say",
        id="colon-after-a-reported-clause-belongs-to-the-reporting-verb",
    ),
    pytest.param(
        "Oleksandr Syrskyi also assured reporters that the army takes the threat “very, very "
        "seriously.”",
        "very seriously",
        "Oleksandr Syrskyi",
        "assure",
        id="partial-quote-under-a-verb-of-judging-or-assuring",
    ),
    pytest.param(
        "“Nobody is retreating,” Prigozhin said. Shoigu did not reply. “You know it, right?” "
        "Prigozhin went on.",
        "You know it",
        "Yevgeny Prigozhin",
        "go",
        id="went-on",
    ),
]


DIRECT_ATTRIBUTION += [
    pytest.param(
        "The new ad uses footage of Volodymyr Zelensky asking, “Why are we still waiting for the "
        "jets?”",
        "still waiting",
        "Volodymyr Zelensky",
        "ask",
        id="participle-right-after-a-name",
    ),
]


@pytest.mark.parametrize(("text", "words", "who", "cue"), DIRECT_ATTRIBUTION)
def test_direct_quote_attribution(analyze, text, words, who, cue):
    quote = quote_with(analyze(text), words, "direct")
    assert speaker(quote) == who
    assert quote.cue == cue
    assert quote.speaker_span is not None
    assert text[quote.speaker_span.start : quote.speaker_span.end] == quote.speaker_span.text


def test_transcript_label_is_not_part_of_the_quote(analyze):
    text = (
        "Ukraine's army chief Oleksandr Syrskyi gave an interview on Monday.\n\n"
        '"SYRSKYI: We held the line for nine months."'
    )
    quote = quote_with(analyze(text), "We held the line", "direct")
    assert quote.text.startswith("We held")
    assert quote.speaker_span.text == "SYRSKYI"


def test_according_to_a_direct_quote_is_not_also_an_indirect_one(analyze):
    text = "According to Oleksandr Syrskyi, “the enemy has no reserves left near Bakhmut.”"
    assert [q.kind for q in analyze(text).quotes] == ["direct"]


def test_continuation_keeps_the_speaker_mention(analyze):
    text = "“The enemy is exhausted,” Syrskyi said. “It has no reserves left.”"
    quote = quote_with(analyze(text), "no reserves left", "direct")
    assert quote.speaker_span is not None and quote.speaker_span.text == "Syrskyi"


def test_no_continuation_after_two_sentences_of_narration(analyze):
    text = (
        "“We have enough shells for a week,” Yevgeny Prigozhin said. The talks began on "
        "Monday. The meeting ended early.\n\n“After that, we will leave the city.”"
    )
    assert quote_with(analyze(text), "After that", "direct").speaker is None


def test_title_in_quotation_marks_is_no_quote(analyze):
    analysis = analyze("Oleksandr Syrskyi appeared on “Meet the Press” on Sunday.")
    assert all("Meet the Press" not in q.text for q in analysis.quotes)


def test_markup_attribute_values_are_no_quotes():
    text = 'He said so. <tweet author="someone" id="123">The front holds.</tweet> Then he left.'
    assert find_quote_spans(text) == []


def test_cue_set_off_by_commas_inside_the_reported_clause(analyze):
    text = "The bridge, Oleksandr Prokudin said, was destroyed overnight."
    quote = quote_with(analyze(text), "destroyed overnight", "indirect")
    assert speaker(quote) == "Oleksandr Prokudin"
    assert quote.text == "The bridge was destroyed overnight"
    assert quote.span.text == text.rstrip(".")


def test_according_to_a_poll_is_an_attribution(analyze):
    text = "Most residents want the talks to continue, according to a poll published on Monday."
    quote = quote_with(analyze(text), "Most residents want", "indirect")
    assert quote.cue == "according to"
    assert quote.speaker is not None
