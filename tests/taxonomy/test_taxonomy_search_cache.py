"""The on-disk index cache: a round trip gives identical results; bad files are rebuilt."""

from __future__ import annotations

from pathlib import Path

from lotsen.taxonomy.model import Taxonomy
from lotsen.taxonomy.search import CACHE_PREFIX, SearchIndex

QUERIES = [
    ("lakare", ["occupation-name"]),
    ("montörerna", None),
    ("godschaufför", ["occupation-name"]),
    ("busschaffis", None),
    ("sjuksköteska", ["occupation-name", "skill"]),
    ("ingenj", None),
]


def results(index: SearchIndex) -> list[list[dict[str, object]]]:
    return [[h.as_dict() for h in index.search(q, t, limit=20)] for q, t in QUERIES]


def test_round_trip_gives_identical_results(tmp_path: Path, taxonomy: Taxonomy,
                                             synonyms: list[tuple[str, str]],
                                             index: SearchIndex) -> None:
    built = SearchIndex.cached(taxonomy, synonyms, tmp_path)
    assert not built.loaded_from_cache
    files = list(tmp_path.glob(f"{CACHE_PREFIX}*.pickle"))
    assert len(files) == 1
    loaded = SearchIndex.cached(taxonomy, synonyms, tmp_path)
    assert loaded.loaded_from_cache and loaded is not built
    assert results(loaded) == results(built) == results(index)


def test_corrupt_or_foreign_cache_is_rebuilt_silently(tmp_path: Path, taxonomy: Taxonomy,
                                                       synonyms: list[tuple[str, str]],
                                                       index: SearchIndex) -> None:
    SearchIndex.cached(taxonomy, synonyms, tmp_path)
    (path,) = tmp_path.glob(f"{CACHE_PREFIX}*.pickle")
    for garbage in (b"", b"not a pickle at all", path.read_bytes()[:1000]):
        path.write_bytes(garbage)
        rebuilt = SearchIndex.cached(taxonomy, synonyms, tmp_path)
        assert not rebuilt.loaded_from_cache
        assert results(rebuilt) == results(index)
    assert SearchIndex.cached(taxonomy, synonyms, tmp_path).loaded_from_cache


def test_other_synonyms_use_another_cache_entry(tmp_path: Path, taxonomy: Taxonomy,
                                                 synonyms: list[tuple[str, str]]) -> None:
    SearchIndex.cached(taxonomy, synonyms, tmp_path)
    fewer = SearchIndex.cached(taxonomy, synonyms[:10], tmp_path)
    assert not fewer.loaded_from_cache
    assert fewer.search("rörmokare", ["occupation-name"])[0].preferred_label == "VVS-montör"
    assert fewer.search("usk", ["occupation-name"]) == []


def test_unwritable_cache_directory_only_costs_a_rebuild(tmp_path: Path, taxonomy: Taxonomy,
                                                         synonyms: list[tuple[str, str]]) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("a file where the cache directory should be")
    index = SearchIndex.cached(taxonomy, synonyms, blocker / "cache")
    assert index.search("lakare")[0].preferred_label == "Läkare"
