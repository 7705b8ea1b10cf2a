"""A tenant's edits to a skill profile: an overlay on the computed profile.

The overlay maps a skill id to what the tenant decided about it::

    {"removed": bool, "weight": float | None, "must": bool | None, "by": "lots.lulea"}

``weight`` replaces the computed strength (or is the strength of a skill the data
does not have), ``must`` is the default a new need starts from (True = skall-krav,
False = meriterande, None = let the strength decide). Every stored version holds the
whole overlay, so showing or restoring an old version needs no replay; :func:`diff`
says what a version changed. Pure functions over dicts: the service stores them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from lotsen.errors import InvalidInput

Overlay = dict[str, dict[str, Any]]

OPS = ("add", "remove", "set", "reset")
ADDED_WEIGHT = 0.8  # an added skill without a weight: about a taxonomy + needs skill
MUST_STRENGTH = 0.6  # unedited skills at least this strong are suggested as skall-krav
SUGGESTED = 12  # skills offered to a new need: enough to pick from on a phone
EDIT_SOURCE = "edit"


def _weight(value: Any) -> float | None:
    if value is None or value == "":
        return None
    try:
        weight = float(value)
    except (TypeError, ValueError):
        raise InvalidInput(f"vikten ska vara ett tal 0–1, inte {value!r}", "weight") from None
    if not 0.0 <= weight <= 1.0:
        raise InvalidInput(f"vikten ska vara mellan 0 och 1, inte {weight}", "weight")
    return round(weight, 3)


def _must(value: Any) -> bool | None:
    if value is None or value == "" or isinstance(value, bool):
        return value if isinstance(value, bool) else None
    text = str(value).strip().lower()
    if text in ("must", "skall", "true", "1", "ja"):
        return True
    if text in ("nice", "meriterande", "false", "0", "nej"):
        return False
    raise InvalidInput(f"must ska vara must eller nice, inte {value!r}", "must")


def apply_changes(overlay: Mapping[str, Mapping[str, Any]], changes: Sequence[Mapping[str, Any]],
                  by: str) -> Overlay:
    """The overlay after ``changes`` (``{"op", "skill_id", "weight"?, "must"?}``) by ``by``."""
    if not changes:
        raise InvalidInput("inga ändringar: lägg till, ta bort eller ändra minst en kompetens",
                           "changes")
    state: Overlay = {k: dict(v) for k, v in overlay.items()}
    for change in changes:
        op, skill = change.get("op"), str(change.get("skill_id") or "")
        if op not in OPS:
            raise InvalidInput(f"op ska vara en av {', '.join(OPS)}, inte {op!r}", "op")
        if not skill:
            raise InvalidInput("ange en kompetens (skill_id)", "skill_id")
        if op == "reset":
            state.pop(skill, None)
        elif op == "remove":
            state[skill] = {"removed": True, "weight": None, "must": None, "by": by}
        else:
            entry: dict[str, Any] = {"removed": False, "weight": None, "must": None}
            if op == "set":
                entry.update(state.get(skill, {}))
            else:
                entry["added"] = True  # says "add" in the history, not "set"
            entry["removed"] = False
            if "weight" in change:
                entry["weight"] = _weight(change["weight"])
            if "must" in change:
                entry["must"] = _must(change["must"])
            entry["by"] = by
            if entry["weight"] is None and entry["must"] is None and not entry.get("added"):
                state.pop(skill, None)  # nothing left to say: same as never edited
            else:
                state[skill] = entry
    return state


def diff(before: Mapping[str, Mapping[str, Any]],
         after: Mapping[str, Mapping[str, Any]]) -> list[dict[str, Any]]:
    """What changed from ``before`` to ``after``, one entry per skill, as edit ops."""
    out: list[dict[str, Any]] = []
    for skill in sorted(set(before) | set(after)):
        old, new = before.get(skill), after.get(skill)
        if _same(old, new):
            continue
        if new is None:
            out.append({"op": "reset", "skill_id": skill})
        elif new.get("removed"):
            out.append({"op": "remove", "skill_id": skill})
        else:
            added = new.get("added") and (old is None or old.get("removed"))
            out.append({"op": "add" if added else "set", "skill_id": skill,
                        "weight": new.get("weight"), "must": new.get("must")})
    return out


def _same(a: Mapping[str, Any] | None, b: Mapping[str, Any] | None) -> bool:
    keys = ("removed", "weight", "must")
    if a is None or b is None:
        return a is b
    return all(a.get(k) == b.get(k) for k in keys)


def apply_edits(profile: Mapping[str, Any], overlay: Mapping[str, Mapping[str, Any]],
                label_of: Callable[[str], str]) -> dict[str, Any]:
    """``profile`` (from ``build_profile``) with the overlay applied; each edited skill
    gets an origin "redigerad av <user>", removed ones move to ``removed``."""
    rows: list[dict[str, Any]] = []
    removed: list[dict[str, Any]] = []
    seen: set[str] = set()
    for row in profile["skills"]:
        skill = row["concept_id"]
        seen.add(skill)
        entry = overlay.get(skill)
        if entry is None:
            rows.append({**row, "edited": False, "must": None, "weight": None})
        elif entry.get("removed"):
            removed.append({**row, "removed_by": entry.get("by")})
        else:
            rows.append(_edited(row, entry))
    for skill, entry in overlay.items():
        if skill in seen or entry.get("removed"):
            continue
        base = {"concept_id": skill, "label": label_of(skill), "strength": 0.0,
                "sources": dict.fromkeys(("needs_must", "needs_nice", "programs", "ads"), 0)
                | {"taxonomy": False},
                "origins": []}
        rows.append(_edited(base, entry))
    rows.sort(key=lambda r: (-float(r["strength"]), str(r["label"])))
    return {**profile, "skills": rows, "removed": removed, "editable": True}


def _edited(row: Mapping[str, Any], entry: Mapping[str, Any]) -> dict[str, Any]:
    weight = entry.get("weight")
    strength = float(weight) if weight is not None else (
        float(row["strength"]) if row["strength"] else ADDED_WEIGHT
    )
    origin = {"source": EDIT_SOURCE, "label": f"redigerad av {entry.get('by') or 'okänd'}",
              "strength": round(strength, 3)}
    return {**row, "computed_strength": row["strength"], "strength": round(strength, 3),
            "origins": [*row.get("origins", []), origin], "edited": True,
            "must": entry.get("must"), "weight": weight, "edited_by": entry.get("by")}


def suggest(profile: Mapping[str, Any], limit: int = SUGGESTED) -> dict[str, list[dict[str, Any]]]:
    """Skills a new need for this occupation starts with, split skall/meriterande.

    Skills the tenant marked must or nice always come; the rest fill up to ``limit``
    by strength, strong ones (``MUST_STRENGTH``) as skall-krav.
    """
    marked = [r for r in profile["skills"] if r.get("must") is not None]
    others = [r for r in profile["skills"] if r.get("must") is None]
    chosen = marked + others[: max(0, limit - len(marked))]
    must: list[dict[str, Any]] = []
    nice: list[dict[str, Any]] = []
    for row in chosen:
        is_must = row["must"] if row.get("must") is not None else row["strength"] >= MUST_STRENGTH
        item = {"concept_id": row["concept_id"], "label": row["label"],
                "strength": row["strength"]}
        (must if is_must else nice).append(item)
    return {"must": must, "nice": nice}
