"""What the detector keeps in its cache folder to start faster gives what building it gives."""
from __future__ import annotations

import stat

from detectors.gazetteer import WorldGazetteer, _load


def _fresh(**kw: object) -> WorldGazetteer:
    _load.cache_clear()                         # the in-process cache would hide the file
    return WorldGazetteer.load(**kw)            # type: ignore[arg-type]


def test_the_world_gazetteer_from_the_cache_folder_is_the_one_built(tmp_path):
    built = _fresh(skip={"hope"}, trim={"the"})
    first = _fresh(skip={"hope"}, trim={"the"}, cache_dir=tmp_path)
    (cached,) = tmp_path.glob("gazetteer-*.json")
    assert stat.S_IMODE(cached.stat().st_mode) == 0o600
    again = _fresh(skip={"hope"}, trim={"the"}, cache_dir=tmp_path)
    assert built.tiers == first.tiers == again.tiers and built.longest == again.longest
    assert again.find("She moved to Leeds.") == built.find("She moved to Leeds.") != []
    # other words to skip are another table, in another file
    _fresh(skip={"hope", "leeds"}, trim={"the"}, cache_dir=tmp_path)
    assert len(list(tmp_path.glob("gazetteer-*.json"))) == 2


def test_a_damaged_cache_file_is_built_again(tmp_path):
    _fresh(skip={"hope"}, trim=set(), cache_dir=tmp_path)
    (cached,) = tmp_path.glob("gazetteer-*.json")
    cached.write_text('{"tiers": {"zzqplace": 3}')            # cut short
    world = _fresh(skip={"hope"}, trim=set(), cache_dir=tmp_path)
    assert "zzqplace" not in world.tiers and world.tiers["leeds"] > 0
    cached.write_text('{"tiers": {"zzqplace": "big"}, "longest": 1}')   # the wrong shape
    world = _fresh(skip={"hope"}, trim=set(), cache_dir=tmp_path)
    assert "zzqplace" not in world.tiers


def test_an_unwritable_cache_folder_only_costs_the_build(tmp_path):
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    world = _fresh(skip=set(), trim=set(), cache_dir=blocked / "cache")
    assert world.tiers["leeds"] > 0


def test_every_process_finds_the_hyperscan_database_the_first_one_compiled(tmp_path):
    """The compiled pattern database is named by what it was compiled from: two processes with different
    string-hash seeds (a set's order) must name it alike, or each scan start compiles it again (~0.4 s)."""
    import os
    import subprocess
    import sys

    import pytest

    pytest.importorskip("hyperscan")
    code = ("from detectors.recognizers import default_recognizers, ValidatedPatternRecognizer\n"
            "from detectors.fastpath import PatternPass\n"
            "import sys\n"
            "recs = [r for r in default_recognizers() if isinstance(r, ValidatedPatternRecognizer)]\n"
            "assert PatternPass(recs, cache_dir=sys.argv[1]).accelerated\n")
    for seed in ("1", "2", "3"):
        subprocess.run([sys.executable, "-c", code, str(tmp_path)], check=True,
                       env={**os.environ, "PYTHONHASHSEED": seed})
    assert len(list(tmp_path.glob("hyperscan-*.db"))) == 1


def test_country_names_from_the_cache_folder_are_the_ones_built_and_spare_the_geocoder(tmp_path):
    import os
    import subprocess
    import sys

    from detectors.recognizers.phones import _build_names, _cached_names, suggested_regions

    built = _build_names()
    assert _cached_names(str(tmp_path)) == built                   # built, and written
    (cached,) = tmp_path.glob("country-names-*.json")
    assert stat.S_IMODE(cached.stat().st_mode) == 0o600
    assert _cached_names(str(tmp_path)) == built and built["allemagne"] == "DE"
    cached.write_text('{"allemagne": ')                              # cut short: built again
    assert _cached_names(str(tmp_path)) == built
    assert suggested_regions("Call our office in Allemagne", str(tmp_path)) == ("DE",)
    # a process that finds the names in the cache never imports phonenumbers' geocoder (~0.3 s of data)
    code = ("import sys\nfrom detectors.recognizers.phones import suggested_regions\n"
            "assert suggested_regions('an office in Germany', sys.argv[1]) == ('DE',)\n"
            "print('phonenumbers.geocoder' in sys.modules)")
    seen = subprocess.run([sys.executable, "-c", code, str(tmp_path)], check=True, capture_output=True,
                          text=True, env=os.environ).stdout.split()
    assert seen == ["False"]


def test_the_special_lexicon_from_cached_lemmas_is_the_one_built(detector, tmp_path):
    """The special-category terms' lemmas kept in the cache folder give the lexicon the lemmatizer gives, and a
    damaged file is built again."""
    from detectors.special import SpecialMatcher

    built = SpecialMatcher(detector.nlp).lexicon
    first = SpecialMatcher(detector.nlp, cache_dir=str(tmp_path)).lexicon          # built, and written
    (cached,) = tmp_path.glob("special-lemmas-*.json")
    assert stat.S_IMODE(cached.stat().st_mode) == 0o600
    again = SpecialMatcher(detector.nlp, cache_dir=str(tmp_path)).lexicon          # read back
    assert first.terms == built.terms == again.terms and again.forms == built.forms
    import json

    lemmas = json.loads(cached.read_text())
    cached.write_text(json.dumps([["zzplanted"]] + lemmas[1:]))                  # what the file says is used
    assert ("zzplanted",) in {k for terms in SpecialMatcher(detector.nlp, cache_dir=str(tmp_path)).lexicon.terms.values()
                              for k, _, _ in terms}
    cached.write_text("[[")                                                      # cut short: built again
    assert SpecialMatcher(detector.nlp, cache_dir=str(tmp_path)).lexicon.terms == built.terms
