"""`lotsen taxonomy search|show|types` through the real entry point."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.cli_runner import run_cli as run

from lotsen.taxonomy.search import get_search_index


@pytest.fixture(autouse=True, scope="module")
def private_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Keep the CLI's index cache out of the user's ~/.cache during tests."""
    folder = tmp_path_factory.mktemp("cli-cache")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("LOTSEN_CACHE_DIR", str(folder))
        get_search_index.cache_clear()
        yield folder
    get_search_index.cache_clear()




def test_search_json(capsys: pytest.CaptureFixture[str], private_cache: Path) -> None:
    code, out, _ = run(capsys, "taxonomy", "search", "lakare", "--type", "occupation-name",
                       "--json")
    assert code == 0
    results = json.loads(out)["results"]
    assert 1 <= len(results) <= 10
    assert all(list(r) == ["concept_id", "type", "preferred_label", "ssyk4", "score"]
               for r in results)
    assert results[0]["preferred_label"] == "Läkare" and results[0]["ssyk4"] == "2219"
    assert {r["type"] for r in results} == {"occupation-name"}
    assert list(private_cache.glob("*.pickle"))


def test_search_table_several_types_and_limit(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "taxonomy", "search", "svetsare", "-t", "occupation-name",
                       "-t", "keyword", "--limit", "3")
    assert code == 0 and "Svetsare" in out and "matched" in out
    code, out, _ = run(capsys, "taxonomy", "search", "svetsare", "--json", "--limit", "3")
    assert len(json.loads(out)["results"]) == 3


def test_search_errors_exit_2_with_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "taxonomy", "search", "lakare", "--type", "yrke")
    assert code == 2 and out == ""
    assert err.startswith("error: Okänd begreppstyp yrke") and err.count("\n") == 1
    code, _, err = run(capsys, "taxonomy", "search", "   ")
    assert code == 2 and "empty query" in err


def test_show_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "taxonomy", "show", "ZZTi_v6g_4cZ", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["preferred_label"] == "VVS-montör" and data["ssyk4"] == "7125"
    for relation in ("broader", "narrower", "related", "substitutes"):
        assert all({"concept_id", "type", "preferred_label"} <= set(r) for r in data[relation])
    assert "ssyk-level-4" in {r["type"] for r in data["broader"]}
    assert data["substitutes"] and all(r["substitutability"] in (25.0, 75.0)
                                       for r in data["substitutes"])


def test_show_caps_long_lists_in_the_table_only(capsys: pytest.CaptureFixture[str]) -> None:
    group = "9K3i_XD4_Kyy"
    code, out, _ = run(capsys, "taxonomy", "show", group, "--json")
    ssyk = next(r["concept_id"] for r in json.loads(out)["broader"]
                if r["type"] == "ssyk-level-4")
    code, out, _ = run(capsys, "taxonomy", "show", ssyk, "--json")
    related = json.loads(out)["related"]
    assert len(related) > 15
    code, out, _ = run(capsys, "taxonomy", "show", ssyk)
    assert code == 0 and f"first 15 of {len(related)}" in out


def test_show_unknown_id_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "taxonomy", "show", "nope_nope_no")
    assert code == 2 and out == ""
    assert err.startswith("error: Begreppet nope_nope_no finns inte")


def test_types(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "taxonomy", "types", "--json")
    assert code == 0
    rows = {r["type"]: r for r in json.loads(out)["results"]}
    assert rows["occupation-name"]["concepts"] > 4000
    assert 0 < rows["occupation-name"]["deprecated"] < rows["occupation-name"]["concepts"]
    code, out, _ = run(capsys, "taxonomy", "types")
    assert code == 0 and "municipality" in out
