"""Loading the YAML lexicons under configs/lexicons/ into validated, immutable values."""
from __future__ import annotations

import importlib.resources
from typing import Any, Mapping

import yaml


# NOTE: libyaml's parser for the files we ship, when PyYAML has it (its wheels do): lexicons, configs and the
# location lists are read by every process at start-up, and the pure-Python parser took a third of a second
# for them. User files keep the default parser (and its error messages).
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_packaged_yaml(text: str) -> Any:
    """yaml.safe_load() of a file we ship, with libyaml when available."""
    return yaml.load(text, Loader=_LOADER)


class LexiconError(ValueError):
    """A lexicon file is malformed; the message names the file and the key."""


def read_lexicon(name: str, known: Mapping[str, type]) -> dict[str, Any]:
    """configs/lexicons/<name>, checked against ``known`` (key → expected type); unknown keys rejected."""
    source = f"configs/lexicons/{name}"
    try:
        text = importlib.resources.files("configs").joinpath("lexicons", name).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise LexiconError(f"{source}: missing") from None
    data = load_packaged_yaml(text) or {}
    if not isinstance(data, dict):
        raise LexiconError(f"{source}: must be a mapping")
    for key, value in data.items():
        if key not in known:
            raise LexiconError(f"{source}: {key}: unknown key (known: {', '.join(sorted(known))})")
        if not isinstance(value, known[key]):
            raise LexiconError(f"{source}: {key}: expected {known[key].__name__}")
    return data
