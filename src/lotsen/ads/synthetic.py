"""Synthetic job ads built from the taxonomy, for fitting weights and for benchmarks.

They imitate what makes real ads hard: a headline with place and employer noise (or no
occupation at all), boilerplate about the employer and benefits, the occupation's
duties, a bullet list of requirements and "meriterande" skills, and a skill or two
from an unrelated group. They are NOT a test of real-world accuracy: the words come
from the same taxonomy the model is built from. Deterministic for a given seed.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Protocol

from lotsen.taxonomy.model import Taxonomy

PLACES = ("Luleå", "Umeå", "Kiruna", "Stockholm", "Göteborg", "Malmö", "Örebro", "Gävle",
          "Skellefteå", "Jönköping", "Sundsvall", "Västerås", "Piteå", "Boden", "Uppsala")
EMPLOYERS = ("Norrbygg AB", "Kommunen", "Region Nord", "Bemanningsbolaget Plus", "Vårdhuset",
             "TechNord AB", "Åkeri Syd", "Fastighets AB Polaris", "Nordic Solutions")
HEADLINES = ("{t}", "{t} sökes", "{t} till {e}", "{t} i {p}", "Vi söker {t}!",
             "{t} - heltid", "Erfaren {t} till {e} i {p}", "{t}, {p}", "Junior {t}",
             "{t} sökes till växande företag i {p}")
BLIND_HEADLINES = ("Vi söker fler kollegor!", "Vill du jobba hos oss?", "Ny kollega sökes",
                   "Sommarjobb 2026", "Bli en del av vårt team i {p}")
BOILERPLATE = (
    "{e} är ett växande företag med cirka 80 medarbetare i {p}.",
    "Vi erbjuder kollektivavtal, friskvårdsbidrag och goda utvecklingsmöjligheter.",
    "Hos oss får du trevliga kollegor och ett arbete där du gör skillnad.",
    "Tjänsten är en tillsvidareanställning på heltid med start enligt överenskommelse.",
    "Urval sker löpande, så skicka in din ansökan redan idag.",
    "Vi värdesätter mångfald och ser gärna sökande med olika bakgrund.",
    "Välkommen med din ansökan!",
    "Du blir en del av ett engagerat team med högt i tak.",
    "We offer a flexible workplace and an international environment.",
)
REQUIRE = ("Krav:", "Vi söker dig som har:", "Kvalifikationer", "Du har:")
MERIT = ("Meriterande:", "Det är meriterande om du har", "Vi ser gärna att du har")


class _HasOccupations(Protocol):
    groups: list[tuple[str, str, str]]
    occupations: list[tuple[str, str, int, bool]]


@dataclass(frozen=True, slots=True)
class SyntheticAd:
    id: str
    headline: str
    description: str
    ssyk4: str
    occupation_concept_id: str


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in re.split(r"(?<=[.!?])\s+", text) if len(s.strip()) > 10]


def synthetic_ads(
    taxonomy: Taxonomy, model: _HasOccupations, codes: Sequence[str], per_group: int, seed: int
) -> Iterator[SyntheticAd]:
    """``per_group`` ads for each SSYK-4 code in ``codes``, reproducible from ``seed``."""
    rng = random.Random(seed)
    by_code: dict[str, list[tuple[str, str]]] = {}
    group_ids = {g[1]: g[0] for g in model.groups}
    for concept_id, label, group, deprecated in model.occupations:
        if not deprecated:
            by_code.setdefault(model.groups[group][1], []).append((concept_id, label))
    all_skills = [s.label.split(",")[0] for s in taxonomy.of_type("skill") if not s.deprecated]
    counter = 0
    for code in codes:
        names = by_code.get(code)
        if not names:
            continue
        concept = taxonomy.get(group_ids[code])
        duties = _sentences(concept.definition or "")
        skills = [s.label.split(",")[0] for s in taxonomy.skills_of(concept.id)] or all_skills
        for _ in range(per_group):
            counter += 1
            concept_id, label = rng.choice(names)
            title = rng.choice(label.split("/")).split(",")[0].strip()
            place, employer = rng.choice(PLACES), rng.choice(EMPLOYERS)
            template = rng.choice(BLIND_HEADLINES if rng.random() < 0.12 else HEADLINES)
            headline = template.format(t=title, p=place, e=employer)
            parts = [s.format(e=employer, p=place) for s in rng.sample(BOILERPLATE, 2)]
            if rng.random() < 0.6:
                parts.append(f"Vi söker nu en {title.lower()} till vår verksamhet.")
            parts.extend(rng.sample(duties, min(len(duties), rng.randint(0, 2))))
            required = rng.sample(skills, min(len(skills), rng.randint(1, 4)))
            parts.append(rng.choice(REQUIRE))
            parts.extend(f"- {s}" for s in required)
            if rng.random() < 0.7:
                merit = rng.sample(skills, min(len(skills), rng.randint(1, 2)))
                merit += [rng.choice(all_skills)]
                parts.append(f"{rng.choice(MERIT)} {', '.join(merit)}.")
            parts.extend(s.format(e=employer, p=place) for s in rng.sample(BOILERPLATE, 2))
            yield SyntheticAd(f"syn-{seed}-{counter}", headline, "\n".join(parts), code,
                              concept_id)
