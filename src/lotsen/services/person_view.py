"""What the person page shows an officer: the open needs the person fits best, the
pathway to the best one, and the consent history — the officer's day in one view.

The needs are the actor's own (``open_needs`` is scoped); each is scored for this
one person with the same matcher and weights as "Vem kan?", so a score here is the
score the person has on that need's page. A need whose hard requirements the person
does not meet (licence, commuting distance, Swedish level, consent) is listed after
those they do meet, with the reason.
"""

from __future__ import annotations

from datetime import date
from typing import cast

import numpy as np
from sqlalchemy import Engine

from lotsen.errors import NotFound
from lotsen.services import consents, local_concepts, matching, validations
from lotsen.services.access import Actor, may
from lotsen.services.records import get_record
from lotsen.services.results.matching import Pathway
from lotsen.services.results.people import Fit, PersonPage

TOP = 5
# What an officer sees of a person outside the read reach: who, and the consents.
RESTRICTED_FIELDS = ("id", "pseudonym", "consents")


def person_page(engine: Engine, person_id: int, top: int = TOP, *, actor: Actor) -> PersonPage:
    """``{"person", "fits": [{"need", "score", "eligible", "missing_skills", ...}],
    "pathway", "consent_trail", "may_change"}``."""
    writer = may(actor, "people", "write")
    try:
        person = get_record(engine, "people", person_id, actor=actor)
    except NotFound:
        if not writer:
            raise
        # Reach follows the purpose: without an active matching consent the person is in
        # aggregates alone. The officer still gets the consent history (to record a new
        # consent when the person asks) and export/erasure, but no profile and no fits.
        found = get_record(engine, "people", person_id, "write", actor=actor)
        person = {key: found[key] for key in RESTRICTED_FIELDS}
        return {"person": person, "fits": [], "pathway": None, "restricted": True,
                "consent_trail": consents.consent_trail(engine, person_id, actor=actor),
                "may_change": writer}
    t = matching.tools()
    index = t.cache.get(engine)
    rows = np.flatnonzero(index.person_ids == person_id)
    fits: list[Fit] = []
    best_spec = None
    if rows.size and may(actor, "needs"):
        row = int(rows[0])
        matcher = t.matcher(index)
        anchors = local_concepts.anchors(engine, actor=actor)
        scored = []
        for need in matching.open_needs(engine, actor=actor):
            spec = matching.need_spec(need, anchors)
            eligible, share, points = matcher.score_all(spec)
            score = float(sum(share[name][row] * value for name, value in points.items()))
            scored.append((bool(eligible[row]), score, need, spec))
        scored.sort(key=lambda s: (not s[0], -s[1], s[2]["id"]))
        for ok, score, need, spec in scored[:top]:
            explained = t.explainer.explain(index, spec, row)
            explained["reasons"] += validations.annotate(engine, person_id,
                                                         explained["matched_skills"], actor=actor)
            fits.append({"need": matching.need_view(need), "score": round(score, 1),
                         "eligible": ok, "reasons": explained["reasons"],
                         "matched_skills": explained["matched_skills"],
                         "missing_skills": explained["missing_skills"]})
            if best_spec is None:
                best_spec = spec
    pathway: Pathway | None = None
    if best_spec is not None:
        pathway = cast(Pathway, t.planner.plan(person, best_spec,
                                               matching.region_programs(engine, actor=actor),
                                               date.today()))
        pathway["need"] = fits[0]["need"]
    return {
        "person": person,
        "fits": fits,
        "pathway": pathway,
        "consent_trail": consents.consent_trail(engine, person_id, actor=actor) if writer else [],
        "may_change": writer,
        "restricted": False,
    }
