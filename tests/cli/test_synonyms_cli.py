"""A user's synonym, stored in the database, is found by search from then on."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.cli_runner import run_cli as run


def test_added_synonym_is_found(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("LOTSEN_DATABASE_URL", f"sqlite:///{tmp_path / 'syn.db'}")
    monkeypatch.setenv("LOTSEN_CACHE_DIR", str(tmp_path / "cache"))
    word = "kvastfenomenet"  # no concept is called anything like this
    code, out, _ = run(capsys, "taxonomy", "search", word, "--type", "occupation-name",
                       "--json")
    assert code == 0
    assert all(r["concept_id"] != "QM63_e85_CUC" for r in json.loads(out)["results"])
    code, out, _ = run(capsys, "taxonomy", "synonyms", "add", word, "QM63_e85_CUC", "--json")
    assert code == 0 and json.loads(out)["preferred_label"] == "Tak- och tätskiktsmontör"
    code, out, _ = run(capsys, "taxonomy", "search", word, "--type", "occupation-name",
                       "--json")
    assert json.loads(out)["results"][0]["concept_id"] == "QM63_e85_CUC"


def test_synonym_for_unknown_concept_is_exit_2(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("LOTSEN_DATABASE_URL", f"sqlite:///{tmp_path / 'syn.db'}")
    code, _, err = run(capsys, "taxonomy", "synonyms", "add", "x", "NOPE_NOPE_NOP")
    assert code == 2 and "finns inte i taxonomin" in err
