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
