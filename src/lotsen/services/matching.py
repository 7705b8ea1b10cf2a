"""Use cases of matching: need → people, person → pathway, region-wide allocation,
transitions between occupations and skill profiles.

Who may see what is decided here: ranked people are personal data (lotsare,
officer, admin); a tenant-bound actor sees its own tenant's needs and people.
Programs are public offerings and count region-wide, whoever runs them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import cache
from typing import Any, cast

import numpy as np
from sqlalchemy import Engine, select
from sqlalchemy.orm import selectinload

from lotsen.errors import InvalidInput, LimitExceeded, NotFound
from lotsen.match.allocation import DEFAULT_MIN_SCORE, DEFAULT_TOP_K, Allocation
from lotsen.match.allocation import allocate as solve_allocation
from lotsen.match.explain import Explainer
from lotsen.match.geo import MunicipalityGrid, grid_for
from lotsen.match.index import PeopleIndex
from lotsen.match.levels import LicenceBits
from lotsen.match.loading import IndexCache, consented
from lotsen.match.need import NeedSpec
from lotsen.match.pathway import PathwayPlanner
from lotsen.match.profiles import build_profile
from lotsen.match.relations import OccupationRelations
from lotsen.match.scorer import Matcher, Ranking
from lotsen.match.transitions import TransitionFinder
from lotsen.services import audit, invalidation, local_concepts, validations
from lotsen.services.access import (
    Actor,
    require_aggregates,
    require_personal_data_access,
    scope,
)
from lotsen.services.invalidation import Topic
from lotsen.services.records import get_record
from lotsen.services.results import Record
from lotsen.services.results.matching import (
    AllocatedNeed,
    AllocationResult,
    Candidate,
    MatchResult,
    OccupationProfile,
    Pathway,
    Placement,
    Transitions,
)
from lotsen.store.db import transaction
from lotsen.store.models import CompetenceNeed, EducationProgram, JobAd
from lotsen.store.records import need_to_dict, program_to_dict
from lotsen.taxonomy import Taxonomy, load_taxonomy

MAX_TOP = 500


@dataclass
class Tools:
    taxonomy: Taxonomy
    grid: MunicipalityGrid
    licence_bits: LicenceBits
    relations: OccupationRelations
    cache: IndexCache
    explainer: Explainer
    planner: PathwayPlanner
    transitions: TransitionFinder

    matchers: dict[int, tuple[PeopleIndex, Matcher]] = field(default_factory=dict)

    def matcher(self, index: PeopleIndex) -> Matcher:
        """One matcher per loaded index, so its per-occupation/place shares are reused."""
        found = self.matchers.get(id(index))
        if found is not None and found[0] is index:
            return found[1]
        # A refreshed index: the shares computed so far carry over, recomputed only for
        # the people who changed.
        base = index.patch.base() if index.patch is not None else None
        before = self.matchers.get(id(base)) if base is not None else None
        if index.patch is not None and before is not None and before[0] is base:
            matcher = before[1].refit(index, index.patch.update, index.patch.rows)
        else:
            matcher = Matcher(self.grid, self.licence_bits, self.relations).fit(index)
        # Indexes a refresh replaced (and their shares) go at once; at most 4 databases.
        live = {id(i) for i in self.cache.current()}
        for key in [k for k in self.matchers if k not in live]:
            self.matchers.pop(key)
        if len(self.matchers) >= 4:
            self.matchers.pop(next(iter(self.matchers)))
        self.matchers[id(index)] = (index, matcher)
        return matcher


@cache
def tools() -> Tools:
    taxonomy = load_taxonomy()
    grid = grid_for(taxonomy)
    bits = LicenceBits(taxonomy)
    relations = OccupationRelations(taxonomy)
    return Tools(
        taxonomy,
        grid,
        bits,
        relations,
        IndexCache(grid, bits),
        Explainer(taxonomy, grid, bits, relations),
        PathwayPlanner(taxonomy, grid),
        TransitionFinder(taxonomy, relations),
    )


def _forget_people_index(engine: Engine) -> None:
    """The people index maps local occupations to anchors when it loads; its signature
    notices a change within seconds, this makes it count at once in this process."""
    if tools.cache_info().currsize:
        tools().cache.forget(engine)


def _people_changed(engine: Engine) -> None:
    """Changed people are read at the next use of the index in this process (other
    processes find them within ``RECHECK_SECONDS``; consent is re-checked per result)."""
    if tools.cache_info().currsize:
        tools().cache.due(engine)


invalidation.subscribe(Topic.LOCAL_CONCEPTS, _forget_people_index)
invalidation.subscribe(Topic.PEOPLE, _people_changed)


def people_mask(index: PeopleIndex, *, actor: Actor) -> np.ndarray | None:
    """Rows the actor may match against: everyone for system/admin; otherwise the own
    tenant's people and those who consented to be seen across tenants."""
    reach = scope(actor, "people")
    if reach.region_wide:
        return None
    return np.asarray((index.tenant_ids == (reach.tenant_id or -1)) | index.cross_tenant)


def need_spec(
    need: dict[str, Any], anchors: dict[str, str], allow_relocation: bool = False
) -> NeedSpec:
    """The need as the matcher sees it: a local occupation counts as its standard
    anchor (people's local occupations are mapped the same way when the index loads)."""
    occupation = need["occupation_id"]
    return NeedSpec.from_record(
        {**need, "occupation_id": anchors.get(occupation, occupation)},
        allow_relocation=allow_relocation,
    )


def need_view(need: Record, local: dict[str, str] | None = None) -> Record:
    """A need dict with the labels a page or a report needs (``local``: labels of the
    tenant's local concepts, which the taxonomy does not know)."""
    t = tools()
    names = local or {}

    def label(concept_id: str) -> str:
        return names.get(concept_id) or t.explainer.label(concept_id)

    return {
        **need,
        "occupation_label": label(need["occupation_id"]),
        "municipality_name": t.grid.name(need["municipality_code"]),
        "must_skill_labels": [label(s) for s in need["must_skills"]],
        "nice_skill_labels": [label(s) for s in need["nice_skills"]],
        "driving_licence": (
            t.explainer.label(need["driving_licence_id"]) if need["driving_licence_id"] else None
        ),
    }


def _local_view(engine: Engine, need: dict[str, Any], *, actor: Actor) -> dict[str, Any]:
    ids = [need["occupation_id"], *need["must_skills"], *need["nice_skills"]]
    return need_view(need, local_concepts.labels(engine, ids, actor=actor))


def _named(explained: dict[str, Any], names: dict[str, str]) -> dict[str, Any]:
    """The explainer labels from the taxonomy; a tenant's local skills are named here."""
    if not names:
        return explained
    for item in (*explained["matched_skills"], *explained["missing_skills"]):
        item["label"] = names.get(item["concept_id"], item["label"])
    reasons = []
    for reason in explained["reasons"]:
        for concept_id, label in names.items():
            reason = reason.replace(concept_id, label)
        reasons.append(reason)
    return {**explained, "reasons": reasons}


def _rank_consented(
    engine: Engine, matcher: Matcher, need: NeedSpec, top: int, mask: np.ndarray | None
) -> Ranking:
    """Top people, each re-checked against stored consent: a withdrawal counts at once,
    even before the cached index is reloaded."""
    index = matcher.index_
    assert index is not None
    while True:
        ranking = matcher.top(need, top, mask)
        ids = [int(index.person_ids[r]) for r in ranking.rows]
        allowed = consented(engine, ids)
        gone = [int(r) for r, pid in zip(ranking.rows, ids, strict=True) if pid not in allowed]
        if not gone:
            return ranking
        index.consent[gone] = False


def match_need(
    engine: Engine, need_id: int, top: int = 10, allow_relocation: bool = False, *, actor: Actor,
) -> MatchResult:
    """The need (with labels) and the ``top`` consenting people for it, best first."""
    if not 0 < top <= MAX_TOP:
        raise LimitExceeded(f"top must be between 1 and {MAX_TOP}, got {top}", "top",
                            quantity="matches", limit=MAX_TOP, value=top)
    require_personal_data_access(actor)
    need = get_record(engine, "needs", need_id, actor=actor)
    spec = need_spec(need, local_concepts.anchors(engine, actor=actor), allow_relocation)
    t = tools()
    index = t.cache.get(engine)
    ranking = _rank_consented(engine, t.matcher(index), spec, top, people_mask(index, actor=actor))
    names = local_concepts.labels(engine, [*spec.must_skills, *spec.nice_skills], actor=actor)
    results = []
    for i, row in enumerate(ranking.rows):
        row = int(row)
        explained = _named(t.explainer.explain(index, spec, row), names)
        person_id = int(index.person_ids[row])
        explained["reasons"] += validations.annotate(engine, person_id,
                                                     explained["matched_skills"], actor=actor)
        results.append(Candidate(
            person_id=person_id,
            pseudonym=index.pseudonyms[row].decode(),
            score=round(float(ranking.scores[i]), 2),
            parts=ranking.parts_of(i),
            part_max=ranking.maxima,
            matched_skills=explained["matched_skills"],
            missing_skills=explained["missing_skills"],
            reasons=explained["reasons"],
        ))
    audit.people_shown_now(engine, [c["person_id"] for c in results],
                           f"matchning mot behov {need_id}", actor=actor)
    mask = people_mask(index, actor=actor)
    return MatchResult(
        need=_local_view(engine, need, actor=actor),
        allow_relocation=allow_relocation,
        eligible=ranking.eligible,
        considered=int(index.consent.sum() if mask is None else (index.consent & mask).sum()),
        results=results,
    )


def region_programs(engine: Engine, *, actor: Actor) -> list[Record]:
    require_aggregates(actor)
    with transaction(engine) as session:
        rows = session.scalars(
            select(EducationProgram)
            .options(selectinload(EducationProgram.provider))
            .order_by(EducationProgram.id)
        ).all()
        return [program_to_dict(p) for p in rows]


def pathway(
    engine: Engine, person_id: int, need_id: int, as_of: date | None = None, *, actor: Actor,
) -> Pathway:
    """The programs that close ``person_id``'s gaps for ``need_id``, in order."""
    person = get_record(engine, "people", person_id, actor=actor)
    need = get_record(engine, "needs", need_id, actor=actor)
    t = tools()
    plan = cast(Pathway, t.planner.plan(
        person, need_spec(need, local_concepts.anchors(engine, actor=actor)),
        region_programs(engine, actor=actor),
        as_of or date.today(),
    ))
    plan["need"] = _local_view(engine, need, actor=actor)
    return plan


def open_needs(engine: Engine, *, actor: Actor) -> list[Record]:
    query = scope(actor, "needs").rows(
        select(CompetenceNeed).where(CompetenceNeed.status == "open"))
    with transaction(engine) as session:
        rows = session.scalars(
            query.options(
                selectinload(CompetenceNeed.skills), selectinload(CompetenceNeed.employer)
            ).order_by(CompetenceNeed.id)
        ).all()
        return [need_to_dict(n) for n in rows]


def run_allocation(
    engine: Engine, top_k: int, min_score: float, *, actor: Actor,
) -> tuple[list[Record], Allocation, PeopleIndex]:
    anchors = local_concepts.anchors(engine, actor=actor)
    # Needs for a local occupation count as its anchor here, so reports built on the
    # allocation (the gap report) group them under the anchor's SSYK-4.
    needs = [
        {**n, "occupation_id": anchors[occ], "local_occupation_id": occ}
        if (occ := n["occupation_id"]) in anchors else n
        for n in open_needs(engine, actor=actor)
    ]
    t = tools()
    index = t.cache.fresh(engine)  # no per-result consent check here: no stale window
    specs = [need_spec(n, anchors) for n in needs]
    mask = people_mask(index, actor=actor)
    result = solve_allocation(t.matcher(index), specs, top_k, min_score, mask)
    return needs, result, index


def allocate(
    engine: Engine, top_k: int = DEFAULT_TOP_K, min_score: float = DEFAULT_MIN_SCORE, *,
    actor: Actor,
) -> AllocationResult:
    """Open needs filled from consenting people to maximise total fit; greedy alongside."""
    require_personal_data_access(actor)
    needs, result, index = run_allocation(engine, top_k, min_score, actor=actor)
    edges = result.edges
    placed: dict[int, list[Placement]] = {}
    for e in result.chosen:
        row = int(edges.row[e])
        placed.setdefault(int(edges.need[e]), []).append(Placement(
            person_id=int(index.person_ids[row]),
            pseudonym=index.pseudonyms[row].decode(),
            score=round(float(edges.score[e]), 2),
        ))
    audit.people_shown_now(
        engine, [p["person_id"] for people in placed.values() for p in people],
        "allokering", actor=actor)
    greedy_filled = np.bincount(edges.need[result.greedy_chosen], minlength=len(needs))
    rows = []
    for i, need in enumerate(needs):
        people = sorted(placed.get(i, []), key=lambda p: -p["score"])
        rows.append(AllocatedNeed(
            need_id=need["id"],
            title=need["title"],
            employer_name=need["employer_name"],
            municipality_code=need["municipality_code"],
            municipality_name=tools().grid.name(need["municipality_code"]),
            start_date=need["start_date"],
            headcount=need["headcount"],
            filled=len(people),
            greedy_filled=int(greedy_filled[i]),
            fit=round(sum(p["score"] for p in people), 2),
            people=people,
        ))
    return AllocationResult(
        method="min-cost flow (OR-Tools) on each need's top candidates",
        top_k=top_k,
        min_score=min_score,
        needs=len(needs),
        headcount=int(sum(n["headcount"] for n in needs)),
        candidate_edges=len(edges),
        total_fit=round(result.total, 2),
        assigned=int(len(result.chosen)),
        greedy={
            "method": "needs in start-date order, each takes its best free people",
            "total_fit": round(result.greedy_total, 2),
            "assigned": int(len(result.greedy_chosen)),
        },
        edge_greedy_total_fit=round(result.edge_greedy_total, 2),
        gain_over_greedy=round(result.gain_over_greedy, 4),
        seconds={k: round(v, 3) for k, v in result.seconds.items()},
        results=rows,
    )


def transitions(engine: Engine, occupation_id: str, limit: int = 10, *,
                actor: Actor) -> Transitions:
    """Nearest occupations to move to, what is missing, and programs for it."""
    require_aggregates(actor)
    if not 0 < limit <= 50:
        raise InvalidInput(f"limit must be between 1 and 50, got {limit}")
    return cast(Transitions,
                tools().transitions.nearest(occupation_id, region_programs(engine,
                                                                           actor=actor), limit))


def profile(engine: Engine, occupation_id: str, *, actor: Actor) -> OccupationProfile:
    """An occupation's computed skill profile from taxonomy, needs, programs and job ads
    (``services.profiles.show`` adds the tenant's edits)."""
    t = tools()
    concept = t.taxonomy.find(occupation_id)
    if concept is None:
        raise NotFound(f"no occupation with id {occupation_id!r}; search with lotsen taxonomy",
                       code="occupation_not_found", params={"occupation_id": occupation_id})
    # Roles that may not list needs (education providers) still see the profile: it
    # holds only per-skill shares, an aggregate of their tenant's needs.
    query = scope(actor, "need_shares").rows(select(CompetenceNeed))
    group = t.taxonomy.ssyk4(occupation_id)
    with transaction(engine) as session:
        needs = [
            need_to_dict(n)
            for n in session.scalars(
                query.options(
                    selectinload(CompetenceNeed.skills), selectinload(CompetenceNeed.employer)
                )
            )
        ]
        ads = [
            {"occupation_id": o, "ssyk4": s, "enrichment": e}
            for o, s, e in session.execute(
                select(JobAd.occupation_id, JobAd.ssyk4, JobAd.enrichment).where(
                    JobAd.ssyk4 == (group.code if group else None)
                )
            )
        ]
    anchors = local_concepts.anchors(engine, actor=actor)  # needs for a local occupation count too
    needs = [{**n, "occupation_id": anchors.get(n["occupation_id"], n["occupation_id"])}
             for n in needs]
    return cast(OccupationProfile, build_profile(
        t.taxonomy, t.relations, occupation_id, needs, region_programs(engine, actor=actor), ads
    ))


def need_page(engine: Engine, need_id: int, top: int = 10, *, actor: Actor) -> MatchResult:
    """What the need page shows: the ranked people, each with a pathway for their gaps."""
    data = match_need(engine, need_id, top, actor=actor)
    spec = need_spec(data["need"], local_concepts.anchors(engine, actor=actor))
    programs = region_programs(engine, actor=actor)
    today = date.today()
    for result in data["results"]:
        person = get_record(engine, "people", result["person_id"], actor=actor)
        result["pathway"] = cast(Pathway, tools().planner.plan(person, spec, programs, today))
    return data
