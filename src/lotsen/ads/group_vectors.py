"""multilingual-e5 vectors of the SSYK-4 group names, shipped so no one waits for them.

The title ranker blends each label's score with its SSYK-4 group name's, and uses the
group names as pivots for vocabularies in another language; both need every current
group name embedded. Embedding ~400 names at the first suggestion takes seconds idle and
much longer under load, so ``scripts/build_group_vectors.py`` embeds them once at build
time into ``group_vectors.npz`` (float16, as the vector cache stores them). A name that
is missing (the taxonomy changed since the build) is simply embedded at run time.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import numpy as np

from lotsen.ads.embedding import DIM, MODEL, TextEncoder
from lotsen.ads.npz import save_npz
from lotsen.errors import InvalidInput
from lotsen.taxonomy.model import SSYK4, Taxonomy

GROUP_VECTORS_FILE = "group_vectors.npz"
GROUP_VECTORS_FORMAT = 1
REBUILD = "rebuild it with `python scripts/build_group_vectors.py`"


def group_names(taxonomy: Taxonomy) -> list[str]:
    """Every current SSYK-4 group's name, sorted (the build and the ranker share it)."""
    return sorted({c.label for c in taxonomy.of_type(SSYK4) if not c.deprecated})


def build_group_vectors(encoder: TextEncoder, taxonomy: Taxonomy, path: Path) -> int:
    """Embed every current group name and write the file; the number of names."""
    names = group_names(taxonomy)
    vectors = encoder.encode(names).astype(np.float16)
    save_npz(path, {
        "format": np.array(GROUP_VECTORS_FORMAT), "names": np.array(names),
        "vectors": vectors,
        "meta": np.array([f"model={MODEL}",
                          f"taxonomy_sha256={taxonomy.meta.get('input_sha256')}"])})
    return len(names)


def load_group_vectors(path: Path | None = None) -> dict[str, np.ndarray]:
    """name → vector (float32 of the stored float16) of the file at ``path``, or of the
    one shipped in the package."""
    source = path if path is not None else (
        resources.files("lotsen.ads") / "data" / GROUP_VECTORS_FILE)
    try:
        with source.open("rb") as handle, np.load(handle, allow_pickle=False) as arrays:
            if int(arrays["format"]) != GROUP_VECTORS_FORMAT:
                raise InvalidInput(f"group vectors {source} have format"
                                   f" {int(arrays['format'])}, this Lotsen reads"
                                   f" {GROUP_VECTORS_FORMAT}: {REBUILD}")
            names = [str(name) for name in arrays["names"]]
            vectors = arrays["vectors"].astype(np.float32)
    except (FileNotFoundError, KeyError, ValueError, OSError) as exc:
        raise InvalidInput(f"group vectors {source} cannot be read: {exc}; {REBUILD}"
                           ) from None
    if vectors.shape != (len(names), DIM):
        raise InvalidInput(f"group vectors {source} have shape {vectors.shape} for"
                           f" {len(names)} names: {REBUILD}")
    return dict(zip(names, vectors, strict=True))
