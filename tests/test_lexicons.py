"""The bundled data files (lexicons, profiles, gazetteer supplement) are well-formed: every word
is a string. YAML 1.1 reads bare `false`, `no`, `on`, `off` as booleans, which silently drops
those words from a lexicon."""

from __future__ import annotations

from importlib import resources
from typing import Any

import pytest
import yaml

BOOLEAN_KEYS = {"inverse", "needs_place"}


def data_files() -> list[str]:
    root = resources.files("fogofwar").joinpath("data")
    names = [p.name for p in root.iterdir() if p.name.endswith(".yaml")]
    names += [f"profiles/{p.name}" for p in root.joinpath("profiles").iterdir()
              if p.name.endswith(".yaml")]
    return sorted(names)


def stray_booleans(node: Any, path: str = "") -> list[str]:
    if isinstance(node, bool):
        return [path]
    if isinstance(node, dict):
        out = []
        for key, value in node.items():
            if isinstance(key, bool):
                out.append(f"{path}/<key {key}>")
            elif key in BOOLEAN_KEYS and isinstance(value, bool):
                continue
            else:
                out += stray_booleans(value, f"{path}/{key}")
        return out
    if isinstance(node, list):
        return [hit for i, item in enumerate(node) for hit in stray_booleans(item, f"{path}[{i}]")]
    return []


@pytest.mark.parametrize("name", data_files())
def test_no_word_is_read_as_a_boolean(name):
    text = resources.files("fogofwar").joinpath("data", *name.split("/")).read_text("utf-8")
    assert stray_booleans(yaml.safe_load(text)) == []


def test_the_detector_finds_an_unquoted_false():
    assert stray_booleans(yaml.safe_load("deny_words: [untrue, false]")) == ["/deny_words[1]"]


def test_denial_word_false_denies(analyze):
    analysis = analyze(
        "Reports that Ukrainian troops had advanced near Robotyne are false, Russian officials said."
    )
    claims = [c for c in analysis.claims if c.event == "ADVANCE"]
    assert claims and all(c.polarity == "denied" for c in claims)
