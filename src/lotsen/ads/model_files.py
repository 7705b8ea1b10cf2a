"""Saving and loading the occupation classifier: JSON metadata + ``.npz`` arrays.

Nothing is pickled. The JSON's ``format`` number names the layout; loading another
format is refused with the command that rebuilds the model, instead of failing later
on a missing key.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
from scipy import sparse

from lotsen.ads.classifier import (
    MODEL_FILES,
    MODEL_FORMAT,
    ClassifierParams,
    OccupationClassifier,
)
from lotsen.ads.features import TfidfSpace
from lotsen.ads.memory import AdMemory
from lotsen.ads.static_vectors import STATIC, TABLE_FILE, StaticTable
from lotsen.ads.titles import TitleRanker
from lotsen.errors import InvalidInput


def save_model(model: OccupationClassifier, folder: Path) -> None:
    """Write the model as JSON + ``.npz`` (plain arrays; ``format`` names the layout)."""
    folder.mkdir(parents=True, exist_ok=True)
    assert model.titles.space is not None and model.titles.matrix is not None
    meta = {
        "format": MODEL_FORMAT,
        "params": model.params.as_dict(),
        "groups": model.groups,
        "occupations": model.occupations,
        "title_ids": model.titles.ids,
        "title_labels": model.titles.labels,
        "title_vocabulary": model.titles.space.vocabulary,
        "body_vocabulary": model.body_space.vocabulary,
        "mentions": model.mentions,
        "meta": model.meta,
        "memory_vocabularies": model.memory.vocabularies() if model.memory else None,
    }
    (folder / MODEL_FILES[0]).write_text(
        json.dumps(meta, ensure_ascii=False, separators=(",", ":")), "utf-8"
    )
    arrays: dict[str, np.ndarray] = {
        "entry_occupation": model.entry_occupation,
        "title_idf": model.titles.space.idf,
        "body_idf": model.body_space.idf,
    }
    for name, matrix in (("title", model.titles.matrix), ("proto", model.prototypes)):
        csr = matrix.tocsr()
        arrays[f"{name}_data"] = csr.data.astype(np.float16)
        arrays[f"{name}_indices"] = csr.indices.astype(np.int32)
        arrays[f"{name}_indptr"] = csr.indptr.astype(np.int32)
        arrays[f"{name}_shape"] = np.array(csr.shape, dtype=np.int64)
    if model.memory is not None:
        arrays.update(model.memory.arrays())
    if model.label_vectors is not None:
        # Title entries repeat labels ("Militär" under several names): store each once.
        unique, index = np.unique(model.label_vectors.astype(np.float16), axis=0,
                                  return_inverse=True)
        arrays["label_vectors"] = unique
        arrays["label_vector_index"] = index.astype(np.int32).ravel()
    if model.ad_vectors is not None:
        arrays["ad_vectors"] = model.ad_vectors.astype(np.float16)
    np.savez_compressed(folder / MODEL_FILES[1], **arrays)  # type: ignore[arg-type]


def load_model(folder: Path) -> OccupationClassifier:
    """Read a saved model; a missing, unreadable or other-format model is a clear error."""
    try:
        meta = json.loads((folder / MODEL_FILES[0]).read_text("utf-8"))
        arrays = np.load(folder / MODEL_FILES[1], allow_pickle=False)
    except FileNotFoundError:
        raise InvalidInput(
            f"no occupation model in {folder}: run `python scripts/train_ads_model.py`"
        ) from None
    except (json.JSONDecodeError, UnicodeDecodeError, ValueError) as exc:
        raise InvalidInput(f"occupation model in {folder} is unreadable: {exc}") from None
    found = meta.get("format") if isinstance(meta, dict) else None
    if found != MODEL_FORMAT:
        raise InvalidInput(
            f"occupation model in {folder} has format {found!r}, this Lotsen reads"
            f" format {MODEL_FORMAT}: rebuild it with `python scripts/train_ads_model.py`")

    def matrix(name: str) -> sparse.csr_matrix:
        return sparse.csr_matrix(
            (
                arrays[f"{name}_data"].astype(np.float32),
                arrays[f"{name}_indices"],
                arrays[f"{name}_indptr"],
            ),
            shape=tuple(arrays[f"{name}_shape"]),
        )

    title_space = TfidfSpace(meta["title_vocabulary"], arrays["title_idf"])
    titles = TitleRanker.from_arrays(
        title_space, matrix("title"), meta["title_ids"], meta["title_labels"]
    )
    label_vectors = ad_vectors = None
    if "label_vectors" in arrays:
        label_vectors = arrays["label_vectors"].astype(np.float32)[arrays["label_vector_index"]]
    if "ad_vectors" in arrays:
        ad_vectors = arrays["ad_vectors"].astype(np.float32)
    # The model names its embedding; a static one reads the table beside it.
    static = StaticTable.load(folder / TABLE_FILE) if meta["meta"].get(
        "embedding") == STATIC else None
    memory = None
    if meta.get("memory_vocabularies"):
        memory = AdMemory.from_arrays(arrays, meta["memory_vocabularies"],
                                      len(meta["groups"]))
    return OccupationClassifier(
        groups=[(g[0], g[1], g[2]) for g in meta["groups"]],
        occupations=[(o[0], o[1], int(o[2]), bool(o[3])) for o in meta["occupations"]],
        titles=titles,
        entry_occupation=arrays["entry_occupation"],
        body_space=TfidfSpace(meta["body_vocabulary"], arrays["body_idf"]),
        prototypes=matrix("proto"),
        mentions={k: list(v) for k, v in meta["mentions"].items()},
        params=ClassifierParams(**meta["params"]),
        meta=meta["meta"],
        memory=memory,
        label_vectors=label_vectors,
        ad_vectors=ad_vectors,
        static=static,
    )
