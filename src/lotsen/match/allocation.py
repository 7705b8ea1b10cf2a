"""Region-wide allocation: people to open needs, maximising total fit within headcounts.

Each need keeps only its best ``top_k + headcount`` candidates (scored with the
same Matcher as need → people) at or above ``min_score``: the full bipartite graph
of 100,000 people × 5,000 needs would have 500 million edges. The restriction is
a real approximation: on the benchmark population, total fit with 100 candidates
per need is 99.6 % of that with 200 (docs/performance.md § Matching). On that
edge set a min-cost flow (OR-Tools) finds the exact optimum: source → need
(capacity = headcount) → person (capacity 1, cost = −fit) → sink, plus a zero-cost
bypass so that leaving a seat empty is allowed. Two greedy baselines run on the
same edges: need by need in start-date order (how needs are filled one at a time
as they arrive) and best-edge-first.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from ortools.graph.python import min_cost_flow

from lotsen.errors import InvalidInput
from lotsen.match.need import NeedSpec
from lotsen.match.scorer import Matcher

DEFAULT_TOP_K = 100
DEFAULT_MIN_SCORE = 40.0
COST_SCALE = 100  # fit points → integer costs, to 0.01 point


@dataclass
class Edges:
    need: np.ndarray  # int32, position in the needs list
    row: np.ndarray  # int32, row in the PeopleIndex
    score: np.ndarray  # float32

    def __len__(self) -> int:
        return int(self.need.shape[0])


@dataclass
class Allocation:
    chosen: np.ndarray  # indices into edges of the optimal assignment
    edges: Edges
    total: float
    greedy_total: float
    greedy_chosen: np.ndarray
    edge_greedy_total: float
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def gain_over_greedy(self) -> float:
        return self.total / self.greedy_total - 1.0 if self.greedy_total else 0.0


def candidate_edges(
    matcher: Matcher,
    needs: Sequence[NeedSpec],
    top_k: int = DEFAULT_TOP_K,
    min_score: float = DEFAULT_MIN_SCORE,
    mask: np.ndarray | None = None,
) -> Edges:
    need_parts, row_parts, score_parts = [], [], []
    for i, need in enumerate(needs):
        if need.headcount <= 0:
            continue
        ranking = matcher.top(need, top_k + need.headcount, mask)
        keep = ranking.scores >= min_score
        need_parts.append(np.full(int(keep.sum()), i, dtype=np.int32))
        row_parts.append(ranking.rows[keep].astype(np.int32))
        score_parts.append(ranking.scores[keep].astype(np.float32))
    if not need_parts:
        empty = np.empty(0, dtype=np.int32)
        return Edges(empty, empty, np.empty(0, dtype=np.float32))
    return Edges(np.concatenate(need_parts), np.concatenate(row_parts), np.concatenate(score_parts))


def solve_flow(edges: Edges, capacity: np.ndarray) -> np.ndarray:
    """Indices of the edges in a maximum-total-fit assignment (exact on these edges)."""
    if len(edges) == 0:
        return np.empty(0, dtype=np.int64)
    people, person_node = np.unique(edges.row, return_inverse=True)
    n_needs, n_people = len(capacity), len(people)
    source, sink = 0, 1 + n_needs + n_people
    supply = int(capacity.sum())
    need_nodes = 1 + np.arange(n_needs)
    person_nodes = 1 + n_needs + np.arange(n_people)
    tails = np.concatenate([np.zeros(n_needs), 1 + edges.need, person_nodes, [source]])
    heads = np.concatenate([need_nodes, 1 + n_needs + person_node, np.full(n_people, sink), [sink]])
    caps = np.concatenate([capacity, np.ones(len(edges)), np.ones(n_people), [supply]])
    costs = np.concatenate(
        [
            np.zeros(n_needs),
            -np.round(edges.score.astype(np.float64) * COST_SCALE),
            np.zeros(n_people),
            [0],
        ]
    )
    flow = min_cost_flow.SimpleMinCostFlow()
    arcs = flow.add_arcs_with_capacity_and_unit_cost(
        tails.astype(np.int32),
        heads.astype(np.int32),
        caps.astype(np.int64),
        costs.astype(np.int64),
    )
    supplies = np.zeros(sink + 1, dtype=np.int64)
    supplies[source], supplies[sink] = supply, -supply
    flow.set_nodes_supplies(np.arange(sink + 1, dtype=np.int32), supplies)
    status = flow.solve()
    if status != flow.OPTIMAL:
        raise InvalidInput(f"the allocation solver stopped with status {status}")
    flows = flow.flows(arcs[n_needs : n_needs + len(edges)])
    return np.flatnonzero(flows > 0)


def greedy_by_need(edges: Edges, capacity: np.ndarray, order: np.ndarray) -> np.ndarray:
    """Needs one at a time (in ``order``), each taking its best still-free people."""
    taken: set[int] = set()
    chosen: list[int] = []
    by_need = np.lexsort((-edges.score, edges.need))
    bounds = np.searchsorted(edges.need[by_need], np.arange(len(capacity) + 1))
    for need in order:
        left = int(capacity[need])
        for e in by_need[bounds[need] : bounds[need + 1]]:
            if left == 0:
                break
            row = int(edges.row[e])
            if row not in taken:
                taken.add(row)
                chosen.append(int(e))
                left -= 1
    return np.array(chosen, dtype=np.int64)


def greedy_by_edge(edges: Edges, capacity: np.ndarray) -> np.ndarray:
    """Best pair first, across the whole region."""
    left = capacity.astype(np.int64).copy()
    taken: set[int] = set()
    chosen: list[int] = []
    for e in np.argsort(-edges.score, kind="stable"):
        need, row = int(edges.need[e]), int(edges.row[e])
        if left[need] > 0 and row not in taken:
            taken.add(row)
            left[need] -= 1
            chosen.append(int(e))
    return np.array(chosen, dtype=np.int64)


def allocate(
    matcher: Matcher,
    needs: Sequence[NeedSpec],
    top_k: int = DEFAULT_TOP_K,
    min_score: float = DEFAULT_MIN_SCORE,
    mask: np.ndarray | None = None,
) -> Allocation:
    if top_k < 1:
        raise InvalidInput(f"top_k must be 1 or more, got {top_k}")
    seconds: dict[str, float] = {}
    t = time.perf_counter()
    edges = candidate_edges(matcher, needs, top_k, min_score, mask)
    seconds["score"] = time.perf_counter() - t
    capacity = np.array([max(0, n.headcount) for n in needs], dtype=np.int64)
    t = time.perf_counter()
    chosen = solve_flow(edges, capacity)
    seconds["flow"] = time.perf_counter() - t
    order = np.array(
        sorted(range(len(needs)), key=lambda i: (needs[i].start_date, needs[i].need_id or i)),
        dtype=np.int64,
    )
    t = time.perf_counter()
    greedy = greedy_by_need(edges, capacity, order)
    seconds["greedy"] = time.perf_counter() - t
    by_edge = greedy_by_edge(edges, capacity)
    return Allocation(
        chosen=chosen,
        edges=edges,
        total=float(edges.score[chosen].sum()),
        greedy_total=float(edges.score[greedy].sum()),
        greedy_chosen=greedy,
        edge_greedy_total=float(edges.score[by_edge].sum()),
        seconds=seconds,
    )
