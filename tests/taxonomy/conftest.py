"""One search index per test session, over the real shipped taxonomy and synonyms."""

from __future__ import annotations

from pathlib import Path

import pytest

from lotsen.taxonomy.model import Taxonomy, load_taxonomy
from lotsen.taxonomy.search import SearchIndex, load_synonyms


@pytest.fixture(scope="session")
def taxonomy() -> Taxonomy:
    return load_taxonomy()


@pytest.fixture(scope="session")
def synonyms() -> list[tuple[str, str]]:
    return load_synonyms()


@pytest.fixture(scope="session")
def index_cache(tmp_path_factory: pytest.TempPathFactory, taxonomy: Taxonomy,
                synonyms: list[tuple[str, str]]) -> Path:
    """A cache directory holding the pickled index (built once)."""
    folder = tmp_path_factory.mktemp("search-cache")
    SearchIndex.cached(taxonomy, synonyms, folder)
    return folder


@pytest.fixture(scope="session")
def index(taxonomy: Taxonomy, synonyms: list[tuple[str, str]],
          index_cache: Path) -> SearchIndex:
    """The shared, read-only index; tests that add synonyms use ``fresh_index``."""
    return SearchIndex.cached(taxonomy, synonyms, index_cache)


@pytest.fixture
def fresh_index(taxonomy: Taxonomy, synonyms: list[tuple[str, str]],
                index_cache: Path) -> SearchIndex:
    """A private copy (unpickled from the cache, so cheap) that a test may change."""
    return SearchIndex.cached(taxonomy, synonyms, index_cache)
