"""What the services answer: the shapes at the service boundary, named and typed
(one module per area; the shapes every area shares are here).

Each is a TypedDict because the product is a dict: the API sends it as JSON (and the
OpenAPI document shows its fields), the CLI prints it with ``--json``, the web
templates read its keys. Naming the keys here lets
mypy check every edge that reads them, and a reader see in one place what a use case
gives back. Records of one kind (a need, a person, a program) stay ``Record``: they
are the rows of ``lotsen.store.records``, and round-trip through imports unchanged.
"""

from __future__ import annotations

from typing import Any, Generic, TypeVar

# typing_extensions' TypedDict: pydantic (FastAPI's response models) needs it before 3.12.
from typing_extensions import TypedDict

Record = dict[str, Any]  # one stored row as lotsen.store.records writes it
Row = TypeVar("Row")


class Page(TypedDict, Generic[Row]):
    """One page of a listing, and where it lies in the whole."""

    results: list[Row]
    total: int
    limit: int
    offset: int


class Deleted(TypedDict):
    id: int
    name: str
    deleted: bool
