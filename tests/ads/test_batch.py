"""The batch path gives identical results in process and on a 2-worker Dask cluster."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from distributed import LocalCluster

from lotsen.ads.batch import aggregate_chunk, chunked, enrich_and_aggregate, run_chunks
from lotsen.ads.synthetic import synthetic_ads
from lotsen.errors import InvalidInput
from lotsen.services import ads as ads_service
from lotsen.services.access import SYSTEM
from lotsen.taxonomy import load_taxonomy


@pytest.fixture(scope="module")
def ads_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from lotsen.ads.enrich import get_enricher

    model = get_enricher().classifier
    codes = [g[1] for g in model.groups[::20]]
    path = tmp_path_factory.mktemp("batch") / "ads.jsonl"
    with path.open("w", encoding="utf-8") as handle:
        for number, ad in enumerate(synthetic_ads(load_taxonomy(), model, codes, 6, seed=5)):
            handle.write(json.dumps({"id": ad.id, "headline": ad.headline,
                                     "description": ad.description,
                                     "municipality_code": "2580",
                                     "publication_date": f"2024-0{1 + number % 3}-01"},
                                    ensure_ascii=False) + "\n")
    return path


def test_dask_and_in_process_are_identical(ads_file: Path, tmp_path: Path) -> None:
    local = tmp_path / "local.jsonl"
    ads_service.classify_file(ads_file, local, chunk_size=16, actor=SYSTEM)
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                      dashboard_address=None) as cluster:
        remote = tmp_path / "dask.jsonl"
        summary = ads_service.classify_file(ads_file, remote, chunk_size=16,
                                            scheduler=cluster.scheduler_address, actor=SYSTEM)
    assert summary["ads"] == 120 and summary["scheduler"].startswith("tcp://")
    assert local.read_bytes() == remote.read_bytes()


def test_worker_pool_and_in_process_are_identical(ads_file: Path, tmp_path: Path) -> None:
    local = tmp_path / "local.jsonl"
    ads_service.classify_file(ads_file, local, chunk_size=16, actor=SYSTEM)
    pooled = tmp_path / "pool.jsonl"
    summary = ads_service.classify_file(ads_file, pooled, chunk_size=16, workers=2, actor=SYSTEM)
    assert summary == {**summary, "ads": 120, "scheduler": "2 worker processes"}
    assert local.read_bytes() == pooled.read_bytes()
    with pytest.raises(InvalidInput, match="workers must be"):
        ads_service.classify_file(ads_file, pooled, workers=-1, actor=SYSTEM)


def test_aggregation_is_a_sum_over_chunks(ads_file: Path) -> None:
    ads = [json.loads(line) for line in ads_file.read_text("utf-8").splitlines()]
    whole = aggregate_chunk(ads_service.classify(ads[:100], actor=SYSTEM))
    parts = sum((agg for _, agg in run_chunks(chunked(ads[:100], 7), enrich_and_aggregate)),
                start=type(whole)())
    assert parts == whole and sum(whole.values()) == 100
    assert {month for _, _, month in whole} == {"2024-01", "2024-02", "2024-03"}


def test_unreachable_scheduler_is_a_clear_error(ads_file: Path, tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="cannot reach the Dask scheduler"):
        ads_service.classify_file(ads_file, tmp_path / "x.jsonl",
                                  scheduler="tcp://127.0.0.1:9", actor=SYSTEM)
    assert not (tmp_path / "x.jsonl").exists()
