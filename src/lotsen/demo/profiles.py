"""Skill profiles the demo's needs, people and programs draw from, so they ring true.

The taxonomy relates skills to a whole SSYK-4 group, and some groups mix trades:
8132 holds battery operators beside photo-lab and ammunition work, 7233 holds
industrial fitters beside ships' engine crews. Drawing at random from such a group
gave a battery operator "Filmframkallningsmaskin, skötselvana". Two rules fix that:

- **Fit**: a group skill is left out when its label names another trade than the
  demo region's (photo, film, ammunition, ships, railways ...; ``OTHER_TRADES``), or
  when it shares a word stem that names exactly one other occupation of the group,
  and none with this one (it belongs to that sibling).
- **Curated local profiles** for the battery roles, which the taxonomy does not know:
  cell assembly, electrode coating, formation and testing, clean-room practice,
  electrical safety and process monitoring, each skill with the source it rests on.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from lotsen.taxonomy.model import OCCUPATION, SKILL, Taxonomy

# Word stems of trades outside the demo region's industries (battery, steel,
# construction, care, school, transport); a group skill naming one is not drawn.
OTHER_TRADES = (
    "foto", "mörkrum", "minilab", "film", "kopier", "retusch", "färgbalans", "färganalys",
    "scanning", "mikrofilm", "kassett", "bildbearbet", "storformat", "pyrotek", "ammunition",
    "spräng", "fartyg", "sjöfart", "sjöfolk", "sjömans", "offshore", "båt", "bogser",
    "tankerman", "isbrytare", "tåg", "loksrep", "spårvagn", "järnväg", "godsvagn", "passagerarvagn",
    "flyg", "medicinteknisk", "visum", "huet", "rescue", "fire fighting", "medical first",
    "basic safety", "endorsement", "src/vhf", "imo ", "waldorf", "freinet", "reggio",
    "radar", "wap-", "bluetooth", "ruby", "teppanyaki", "kosher", "dim sum",
)

CELL = "Battericellsmontering"
COATING = "Elektrodbeläggning"
FORMATION = "Formering och testning"
CLEAN = "Renrumsarbete"
ELSAFETY = "Elsäkerhet"
PROCESS = "Processövervakning"
SOURCE = ("Kurerad lokal profil för battericellstillverkning (Lotsen demo), "
          "efter YH-utbildningen Processoperatör battericellstillverkning: ")


@dataclass(frozen=True)
class CuratedSkill:
    label: str   # the taxonomy skill's exact label
    theme: str   # which part of the work it belongs to
    weight: float
    must: bool

    @property
    def source(self) -> str:
        return SOURCE + self.theme.lower()


# The battery roles' local profiles (by the occupation name the demo uses).
CURATED: dict[str, tuple[CuratedSkill, ...]] = {
    "Operatör batteritillverkning": (
        CuratedSkill("Batteriteknik", CELL, 0.9, True),
        CuratedSkill("Batterikunskap", CELL, 0.8, False),
        CuratedSkill("Batterikemi", COATING, 0.7, False),
        CuratedSkill("Maskinskötsel, kemisk-teknisk industri", COATING, 0.8, True),
        CuratedSkill("Batteriladdning", FORMATION, 0.7, False),
        CuratedSkill("Mätteknik", FORMATION, 0.6, False),
        CuratedSkill("Kvalitetskontroll, industriell tillverkning", FORMATION, 0.7, True),
        CuratedSkill("Renrumsarbete", CLEAN, 0.9, True),
        CuratedSkill("Personlig skyddsutrustning", CLEAN, 0.6, False),
        CuratedSkill("ESA (Elsäkerhetsanvisningarna)", ELSAFETY, 0.8, True),
        CuratedSkill("Processövervakning", PROCESS, 0.9, True),
        CuratedSkill("Statistisk Processtyrning/SPS", PROCESS, 0.6, False),
        CuratedSkill("Dokumentation, industriell tillverkning", PROCESS, 0.6, False),
        CuratedSkill("Ständiga förbättringar/Lean", PROCESS, 0.5, False),
    ),
}
_WORD = re.compile(r"[a-zåäöé]{5,}")


def _stems(text: str) -> set[str]:
    return {word[:6] for word in _WORD.findall(text.lower())}


def other_trade(label: str) -> bool:
    lowered = label.lower()
    return any(stem in lowered for stem in OTHER_TRADES)


def fitting_skills(taxonomy: Taxonomy, occupation_id: str) -> list[str]:
    """The group's skills that fit ``occupation_id`` (see the module docstring), sorted."""
    concept = taxonomy.find(occupation_id)
    group = taxonomy.ssyk4(occupation_id)
    if concept is None or group is None:
        return []
    own = _stems(concept.label)
    # Stems that name exactly one sibling ("pyrotek", "fartyg"), not shared words ("maskin").
    seen = Counter(stem for c in taxonomy.narrower(group.id)
                   if c.type == OCCUPATION and c.id != occupation_id for stem in _stems(c.label))
    siblings = {stem for stem, n in seen.items() if n == 1} - own
    kept = []
    for skill in taxonomy.skills_of(occupation_id):
        stems = _stems(skill.label)
        if other_trade(skill.label) or (stems & siblings and not stems & own):
            continue
        kept.append(skill.id)
    return sorted(kept)


def curated_skills(taxonomy: Taxonomy, occupation_label: str) -> list[tuple[str, CuratedSkill]]:
    """(skill id, curated entry) of a battery role; empty for other occupations."""
    by_label = {c.label: c.id for c in taxonomy.of_type(SKILL)}
    return [(by_label[s.label], s) for s in CURATED.get(occupation_label, ())
            if s.label in by_label]
