"""The demo region's job ads: the real ones in its municipalities, plus synthetic ones.

* **Real**: the ads of the project's real development set (``real_dev.jsonl``, see
  ``data/SOURCES.md``) published for a workplace in one of the demo's municipalities,
  shipped in ``data/real_ads.jsonl`` with the municipality name turned into its code.
  They are stored as real (``is_synthetic`` false) under their Platsbanken ids.
* **Synthetic**: ads written here from the demo's own (synthetic) employers and the
  roles their sectors hire, so the analytics have SSYK × municipality × month to show.
  Each says so: ``is_synthetic`` true, the id starts with ``demo-ad-``, the headline
  ends with "(syntetisk annons)" and the text opens with "Syntetisk annons". Months run
  over the two years before the demo's reference date, the battery plant's hiring
  rising over them (the region's story), the rest flat with noise.

Both go through `lotsen ads ingest` (validation, deduplication, enrichment by the same
engine), so the demo shows what the engine makes of them.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date
from typing import Any

from lotsen.demo.generator import REFERENCE_DATE, DemoCatalog
from lotsen.demo.region import MUNICIPALITIES, SECTORS
from lotsen.taxonomy.model import Taxonomy

REAL_ADS_FILE = "real_ads.jsonl"
MONTHS = 24
ADS_PER_MONTH = 10  # about 270 synthetic ads: `make demo` stays fast (enrichment ~2 s)
GROWING_SECTOR = "battery"
SYNTHETIC_MARK = "(syntetisk annons)"
INTROS = (
    "Syntetisk annons i Lotsens demoregion. {e} söker en {t} till verksamheten i {p}.",
    "Syntetisk annons i Lotsens demoregion. Vill du arbeta som {t} hos {e} i {p}?",
)
REQUIRE = ("Krav:", "Vi söker dig som har:", "Kvalifikationer")
MERIT = ("Meriterande:", "Det är meriterande om du har:")
CLOSING = "Tjänsten är en tillsvidareanställning på heltid. Välkommen med din ansökan!"


def _month(index: int) -> date:
    """The first day of the month ``index`` months before the reference month."""
    months = REFERENCE_DATE.year * 12 + REFERENCE_DATE.month - 1 - index
    return date(months // 12, months % 12 + 1, 15)


def synthetic_ads(seed: int, catalog: DemoCatalog, taxonomy: Taxonomy,
                  employers: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """Ad records in the ingest format, reproducible from ``seed``."""
    rng = random.Random(seed * 7919 + 17)
    sectors = {s.key: s for s in SECTORS}
    places = {m[0]: m[1] for m in MUNICIPALITIES}
    number = 0
    for index in range(MONTHS, 0, -1):
        published = _month(index)
        progress = (MONTHS - index) / MONTHS  # 0 two years ago, → 1 now
        weights = [(1.0 + 12.0 * progress) if e["sector"] == GROWING_SECTOR else 1.0
                   for e in employers]
        count = max(1, round(ADS_PER_MONTH * (0.8 + 0.4 * rng.random() + 0.3 * progress)))
        for employer in rng.choices(employers, weights=weights, k=count):
            sector = sectors[employer["sector"]]
            role = rng.choices(sector.roles, weights=[r.weight for r in sector.roles])[0]
            occupation = catalog.occupations[(role.ssyk4, role.name)]
            skills = [taxonomy.get(s).label for s in catalog.skills.get(occupation, [])]
            number += 1
            yield {
                "id": f"demo-ad-{number:05d}",
                "headline": f"{role.name} till {employer['name'].split(' (')[0]} "
                            f"{SYNTHETIC_MARK}",
                "description": _text(rng, role.name, employer["name"],
                                     places[employer["municipality_code"]], skills),
                "employer": {"name": employer["name"]},
                "municipality_code": employer["municipality_code"],
                "occupation_concept_id": occupation,
                "ssyk4": role.ssyk4,
                "publication_date": published.isoformat(),
            }


def _text(rng: random.Random, title: str, employer: str, place: str,
          skills: list[str]) -> str:
    picked = rng.sample(skills, min(len(skills), rng.randint(2, 5)))
    required, merit = picked[: max(1, len(picked) - 1)], picked[max(1, len(picked) - 1):]
    lines = [rng.choice(INTROS).format(t=title.lower(), e=employer, p=place), "",
             rng.choice(REQUIRE)]
    lines += [f"- {s.split(',')[0]}" for s in required]
    lines.append("- Goda kunskaper i svenska")
    if rng.random() < 0.4:
        lines.append("- B-körkort")
    if merit:
        lines += ["", rng.choice(MERIT)] + [f"- {s.split(',')[0]}" for s in merit]
    return "\n".join([*lines, "", CLOSING])
