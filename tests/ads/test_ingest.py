"""Ingest: formats, atomic rejection with FILE:LINE: field: problem, dedupe, idempotence."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from lotsen.ads.reader import read_records
from lotsen.errors import ImportRejected, PermissionDenied
from lotsen.services import ads as ads_service
from lotsen.services.access import SYSTEM, Actor
from lotsen.store.db import transaction
from lotsen.store.models import JobAd

BODY = ("Vi söker en undersköterska till hemtjänsten i Luleå. Du har undersköterskeutbildning "
        "och B-körkort. Meriterande är erfarenhet av demensvård. Välkommen med din ansökan!")


def jobsearch_ad(ad_id: str, body: str = BODY, headline: str = "Undersköterska hemtjänst") -> dict:
    """The JobSearch API shape (nested description, employer, workplace, occupation)."""
    return {"id": ad_id, "headline": headline, "description": {"text": body},
            "employer": {"name": "Luleå kommun"},
            "workplace_address": {"municipality_code": "2580", "municipality": "Luleå"},
            "publication_date": "2024-03-05T08:00:00"}


def write(path: Path, records: list, array: bool = False, gz: bool = False) -> Path:
    text = json.dumps(records, indent=1) if array else "".join(
        (r if isinstance(r, str) else json.dumps(r)) + "\n" for r in records)
    if gz:
        with gzip.open(path, "wt", encoding="utf-8") as handle:
            handle.write(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def count(engine: Engine) -> int:
    with transaction(engine) as session:
        return int(session.scalar(select(func.count(JobAd.id))) or 0)


@pytest.mark.parametrize(("array", "gz"), [(False, False), (True, False), (True, True),
                                           (False, True)])
def test_reads_every_shape_with_lines(tmp_path: Path, array: bool, gz: bool) -> None:
    path = write(tmp_path / "ads.dat", [jobsearch_ad("1"), jobsearch_ad("2")], array, gz)
    records = list(read_records(path))
    assert [r.value["id"] for r in records] == ["1", "2"]
    assert records[1].line > records[0].line >= 1


def test_ingest_dedupes_and_is_idempotent(engine: Engine, tmp_path: Path) -> None:
    repost = BODY.replace("Välkommen med din ansökan!", "Välkommen med din ansökan snarast!")
    records = [jobsearch_ad("1"), jobsearch_ad("1"), jobsearch_ad("2", repost),
               jobsearch_ad("3", "Vi söker en svetsare med MIG/MAG-erfarenhet.", "Svetsare")]
    path = write(tmp_path / "ads.json.gz", records, array=True, gz=True)
    summary = ads_service.ingest(engine, [path], actor=SYSTEM)
    assert (summary["stored"], summary["duplicate_ids_in_file"], summary["reposts"]) == (2, 1, 1)
    with transaction(engine) as session:
        ad = session.scalars(select(JobAd).where(JobAd.source_id == "1")).one()
        assert (ad.duplicate_count, ad.duplicate_ids, ad.municipality_code) == (1, ["2"], "2580")
        assert ad.enrichment and ad.enrichment["ssyk4"][0]["code"].startswith("53")
        assert ad.ssyk4 == ad.enrichment["ssyk4"][0]["code"]
    again = ads_service.ingest(engine, [path], actor=SYSTEM)
    assert (again["stored"], again["reposts"], again["already_stored"]) == (0, 0, 3)
    with transaction(engine) as session:
        assert session.scalars(select(JobAd.duplicate_count)
                               .where(JobAd.source_id == "1")).one() == 1
    assert count(engine) == 2


def test_bad_record_rejects_the_whole_file(engine: Engine, tmp_path: Path) -> None:
    path = write(tmp_path / "ads.jsonl",
                 [jobsearch_ad("1"), {"id": "2", "description": "text"}, "{not json",
                  {**jobsearch_ad("4"), "publication_date": "igår"}])
    with pytest.raises(ImportRejected) as caught:
        ads_service.ingest(engine, [path], actor=SYSTEM)
    assert caught.value.problems == [
        f"{path}:2: headline: missing or empty",
        f"{path}:3: json: invalid JSON: Expecting property name enclosed in double quotes "
        "(column 2)",
        f"{path}:4: publication_date: 'igår' is not an ISO date",
    ]
    assert count(engine) == 0


def test_skip_invalid_stores_the_rest_and_writes_rejects(engine: Engine, tmp_path: Path) -> None:
    path = write(tmp_path / "ads.jsonl", [jobsearch_ad("1"), {"id": "", "headline": "x"}])
    rejects = tmp_path / "rejects.jsonl"
    summary = ads_service.ingest(engine, [path], skip_invalid=True, rejects=rejects, actor=SYSTEM)
    assert (summary["stored"], summary["rejected"]) == (1, 1)
    rejected = [json.loads(line) for line in rejects.read_text().splitlines()]
    assert rejected[0]["line"] == 2 and rejected[0]["record"] == {"id": "", "headline": "x"}
    assert "id: missing or empty" in rejected[0]["problems"][0]
    assert count(engine) == 1


def test_only_analysts_ingest(engine: Engine, tmp_path: Path) -> None:
    path = write(tmp_path / "ads.jsonl", [jobsearch_ad("1")])
    with pytest.raises(PermissionDenied):
        ads_service.ingest(engine, [path], actor=Actor("lotsare", tenant_id=1))


def test_stats_by_group_month_and_growth(engine: Engine, tmp_path: Path) -> None:
    ads = []
    for month, n in (("2024-01", 1), ("2024-04", 3)):
        for i in range(n):
            ad = jobsearch_ad(f"{month}-{i}", f"{BODY} Annons nummer {i} i {month} med unik text "
                              f"{month}{i} " * 3, f"Undersköterska {month} {i}")
            ad["publication_date"] = f"{month}-10"
            ads.append(ad)
    ads_service.ingest(engine, [write(tmp_path / "ads.jsonl", ads)], actor=SYSTEM)
    data = ads_service.stats(engine, ["25"], window=3, actor=SYSTEM)
    assert data["ads"] == 4 and data["months"] == ["2024-01", "2024-04"]
    group = data["groups"][0]
    assert (group["recent"], group["previous"], group["growth"]) == (3, 1, 2.0)
    assert {c["municipality"] for c in data["cells"]} == {"Luleå"}
    assert any(s["label"] == "B" and s["required"] == 4 for s in group["top_skills"])
    assert ads_service.stats(engine, ["0180"], actor=SYSTEM)["ads"] == 0


def test_ingest_in_worker_processes_stores_what_in_process_would(
    engine: Engine, tmp_path: Path
) -> None:
    from lotsen.ads.ingest import ingest_file

    first = write(tmp_path / "first.jsonl", [jobsearch_ad("1")])
    assert ads_service.ingest(engine, [first], actor=SYSTEM)["stored"] == 1
    repost = BODY.replace("Välkommen med din ansökan!", "Välkommen med din ansökan snarast!")
    records = [jobsearch_ad(str(n), f"{BODY} Arbetsplats nummer {n} av tio i länet.",
                            f"Undersköterska {n}") for n in range(10, 17)]
    records.insert(3, jobsearch_ad("5", repost))  # a repost of the stored ad "1"
    path = write(tmp_path / "second.jsonl", records)
    summary = ingest_file(engine, path, chunk_size=2, workers=2)
    assert (summary.stored, summary.reposts) == (7, 1)
    expected = ads_service.classify(records, actor=SYSTEM)
    with transaction(engine) as session:
        stored = {ad.source_id: ad for ad in session.scalars(select(JobAd))}
        assert stored["1"].duplicate_ids == ["5"] and "5" not in stored
        for ad in expected:
            if ad["id"] != "5":
                assert stored[ad["id"]].enrichment == ad["enrichment"]
                assert stored[ad["id"]].ssyk4 == ad["enrichment"]["ssyk4"][0]["code"]
