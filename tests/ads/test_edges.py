"""The ad engine through the CLI (--json), the HTTP API and the Swedish pages."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from lotsen.cli.main import main
from lotsen.web.app import create_app

SAMPLES = Path(__file__).resolve().parents[3] / "shared" / "data" / "ads" / "samples.jsonl"


def run_cli(capsys: pytest.CaptureFixture[str], *args: str) -> dict:
    try:
        main(list(args))
    except SystemExit as done:
        assert done.code in (0, None)
    return json.loads(capsys.readouterr().out)


def test_cli_classify_writes_the_contract(tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out.jsonl"
    summary = run_cli(capsys, "ads", "classify", "--input", str(SAMPLES), "--output", str(out),
                      "--top-k", "2", "--json")
    assert summary["ads"] == 3
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r["enrichment"]["ssyk4"][0]["code"] for r in rows] == ["2512", "4323", "2512"]
    assert all(len(r["enrichment"]["ssyk4"]) == 2 for r in rows)


def test_cli_titles_rank_any_vocabulary(tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    vocabulary = tmp_path / "v.tsv"
    vocabulary.write_text("A\tSjuksköterska\nA\tNurse\nB\tLastbilsförare\nC\tKock\n", "utf-8")
    queries = tmp_path / "q.tsv"
    queries.write_text("q1\tsjukskoterskor\nq2\tregistered nurse\nq3\tlastbilschaufför CE\n",
                       "utf-8")
    output = tmp_path / "r.tsv"
    run_cli(capsys, "titles", "rank", "--vocabulary", str(vocabulary), "--queries", str(queries),
            "--top", "2", "--output", str(output), "--json")
    rows = [line.split("\t") for line in output.read_text().splitlines()]
    best = {qid: id_ for qid, id_, rank, _ in rows if rank == "1"}
    assert best == {"q1": "A", "q2": "A", "q3": "B"}
    assert all(len(r) == 4 and float(r[3]) > 0 for r in rows)


def test_cli_default_vocabulary_and_bad_tsv(tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    queries = tmp_path / "q.tsv"
    queries.write_text("q1\tBackend developer\n", "utf-8")
    result = run_cli(capsys, "titles", "rank", "--queries", str(queries), "--top", "1", "--json")
    assert result["results"][0]["id"] == "7wdX_4rv_33z"  # Backend-utvecklare
    queries.write_text("only-one-column\n", "utf-8")
    with pytest.raises(SystemExit) as done:
        main(["titles", "rank", "--queries", str(queries)])
    assert done.value.code == 2
    assert f"{queries}:1: expected qid<TAB>text" in capsys.readouterr().err


@pytest.fixture
def client(db_url: str) -> TestClient:
    return TestClient(create_app(db_url))


def test_api_classify_and_errors(client: TestClient) -> None:
    response = client.post("/api/v1/ads/classify", json={"ads": [
        {"id": "1", "headline": "Busschaufför", "description": {"text": "D-körkort krävs."}}]})
    assert response.status_code == 200
    enrichment = response.json()["results"][0]["enrichment"]
    assert enrichment["ssyk4"][0]["code"] == "8331"
    assert enrichment["skills"][0]["requirement"] == "required"
    bad = client.post("/api/v1/ads/classify", json={"ads": [{"id": "1", "headline": "x"}]})
    assert bad.status_code == 422 and bad.json()["error"]["code"] == "invalid_input"
    suggest = client.get("/api/v1/titles/suggest", params={"q": "undersköterska hemtjänst"})
    assert suggest.json()["results"][0]["ssyk4"] == "5321"


def test_pages_dashboard_and_paste(client: TestClient) -> None:
    page = client.get("/annonser")
    assert page.status_code == 200 and "Efterfrågan i platsannonser" in page.text
    form = client.get("/annonser/analysera")
    token = form.text.split('name="csrf_token" value="')[1].split('"')[0] \
        if 'name="csrf_token"' in form.text else ""
    text = "Krav:\n- B-körkort\nMeriterande:\n- truckkort"
    result = client.post("/annonser/analysera", data={"rubrik": "Truckförare", "text": text,
                                                      "csrf_token": token})
    assert result.status_code == 200
    assert '<mark class="skill-required"' in result.text and ">B-körkort</mark>" in result.text
    assert '<mark class="skill-meriting"' in result.text and "8344" in result.text


def test_unlinked_skill_offers_a_local_concept(client: TestClient) -> None:
    form = client.get("/annonser/analysera")
    token = form.text.split('name="csrf_token" value="')[1].split('"')[0] \
        if 'name="csrf_token"' in form.text else ""
    result = client.post("/annonser/analysera", data={
        "rubrik": "Data Engineer", "text": "Krav:\n- Snowflake\n- SQL", "csrf_token": token})
    assert "saknas i taxonomin" in result.text
    link = result.text.split('data-testid="add-local"')[0].rsplit('href="', 1)[1].split('"')[0]
    assert link == "/nya-yrken?typ=skill&amp;benamning=Snowflake"
    page = client.get("/nya-yrken?typ=skill&benamning=Snowflake")
    assert 'value="Snowflake"' in page.text
    assert '<option value="skill" selected>' in page.text
