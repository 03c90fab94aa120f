"""Loading the YAML lexicons under configs/lexicons/ into validated, immutable values."""
from __future__ import annotations

import importlib.resources
from typing import Any, Mapping

import yaml


class LexiconError(ValueError):
    """A lexicon file is malformed; the message names the file and the key."""


def read_lexicon(name: str, known: Mapping[str, type]) -> dict[str, Any]:
    """configs/lexicons/<name>, checked against ``known`` (key → expected type); unknown keys rejected."""
    source = f"configs/lexicons/{name}"
    try:
        text = importlib.resources.files("configs").joinpath("lexicons", name).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise LexiconError(f"{source}: missing") from None
    data = yaml.safe_load(text) or {}
    if not isinstance(data, dict):
        raise LexiconError(f"{source}: must be a mapping")
    for key, value in data.items():
        if key not in known:
            raise LexiconError(f"{source}: {key}: unknown key (known: {', '.join(sorted(known))})")
        if not isinstance(value, known[key]):
            raise LexiconError(f"{source}: {key}: expected {known[key].__name__}")
    return data
