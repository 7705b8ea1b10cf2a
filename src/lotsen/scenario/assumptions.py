"""The assumptions and sources behind a run, listed with every result."""

from __future__ import annotations

from typing import Any

from lotsen.scenario.catalog import industries, parameter_defaults, sources
from lotsen.scenario.region import Region
from lotsen.scenario.regional_data import TENURES, housing_stock
from lotsen.scenario.schema import Scenario

ASSUMPTION = "lotsen-assumption"


# A catalogued source of this kind is a fit on the back-test's own outcome, not evidence.
IN_SAMPLE = "in-sample"


def has_source(refs: list[str]) -> bool:
    """Whether a default names a real source: a catalogued one other than Lotsen's own
    judgement or an in-sample fit (an id missing from sources.toml does not count)."""
    catalogue = sources()
    return any(ref in catalogue and ref != ASSUMPTION and catalogue[ref].checked != IN_SAMPLE
               for ref in refs)


def fitted_in_sample(refs: list[str]) -> bool:
    catalogue = sources()
    return any(ref in catalogue and catalogue[ref].checked == IN_SAMPLE for ref in refs)


def _parameter_rows(scenario: Scenario) -> list[dict[str, Any]]:
    sector = industries()[scenario.industry]
    defaults = parameter_defaults()
    rows = []
    for name, value in sorted(scenario.parameters.items()):
        if name.startswith("multipliers."):
            refs, note = list(sector.sources), f"industry {sector.name}: {sector.note}"
        else:
            refs, note = list(defaults[name].sources), defaults[name].note
        from_file = name in scenario.overridden
        cited = scenario.cited.get(name)
        rows.append({
            "parameter": name, **value.as_dict(), "fixed": value.is_fixed,
            "origin": "scenario file" if from_file else "default",
            "sources": ([cited] if cited else ["scenario file"]) if from_file else refs,
            # Flagged unless a real source is recorded: a default resting on Lotsen's
            # judgement alone, or a value the file sets without `source = "..."`.
            "unsourced": cited is None if from_file else not has_source(refs),
            # fitted on the very outcome a back-test scores (Skellefteå): flagged apart
            "in_sample": not from_file and fitted_in_sample(refs),
            "note": note,
        })
    return rows


def _model_rows(scenario: Scenario, region: Region) -> list[dict[str, Any]]:
    notes = [note for p in region.places for note in p.fit.notes if p.fit.window is not None]
    others = [p.code for p in region.places if p.fit.window is None]
    if others:
        notes.append(f"{', '.join(others)}: " + next(
            p.fit.notes[0] for p in region.places if p.fit.window is None))
    rates = "; ".join(notes)
    rows: list[tuple[str, list[str]]] = [
        ("Indirect jobs = direct x indirect multiplier; induced jobs = (direct + indirect) x "
         "induced multiplier, in the same year, with no lag; both are regional and split over "
         "the area by the commuting shares.", list(industries()[scenario.industry].sources)),
        ("Commuting shares: " + region.share_method + ".",
         ["scb-municipalities-2024", ASSUMPTION] if "centroid" in region.share_method
         else ["scenario file"]),
        ("Jobs are filled in the year they appear; the shares filled by locals, commuters and "
         "in-migrants stay constant; when local + commuter shares exceed 1 in a run they are "
         "scaled down and nobody moves in. A local hire who leaves a job elsewhere "
         "(vacancy_chain.employed_share) leaves a vacancy that is refilled like a spin-off "
         "job, and so on: who finally holds the job — a resident who was not employed, a "
         "commuter or an in-migrant — is where that chain ends (in the long run about a "
         "quarter of new local jobs go to residents who were not employed, Bartik 1993). "
         "The announced ramp may come ramp.delay_years later; "
         "in-migrant households arrive over the following years (households.arrival_lag_years"
         ")." + (f" In {scenario.closure_year} the establishment shrinks with probability "
                 "closure.probability to closure.remaining_share of its jobs; of the in-migrant "
                 "staff who lose their jobs closure.staff_leave leave the area, the others stay "
                 "(closure.staff_move at other employers)." if scenario.closure_year else ""),
         ["bartik-1993", ASSUMPTION]),
        ("In-migrant adults (20–64) and children (0–17) have the age and sex profile of SCB's "
         "in-migrants to Luleå, Boden, Piteå, Älvsbyn and Kalix in 2025 (TAB6640: 56 % of the "
         "adults men, 0.16 children per adult). Households (and registered construction "
         "workers) that leave are a share of everyone who came before, as they have aged, "
         "with the children born here.",
         ["scb-migration-2025"]),
        ("The construction site comes as late as the jobs (ramp.delay_years) and is scaled "
         "like them by realisation and a closure. "
         "Construction workers bring no households; those from outside the area need "
         "temporary lodging at the host municipality, and construction.registered_share of "
         "them register there as residents (adults with the in-migrants' profile) while the "
         "site grows; when it shrinks, households.departure_share of them leave. The share "
         "is fitted on Skellefteå itself (in sample), default 0.",
         [ASSUMPTION, "lotsen-fit-skelleftea"]),
        ("Population: cohort-component projection by single year of age (0–100+) and sex from "
         f"31 Dec {region.base_year} on SCB's own rates. " + rates + ".",
         ["scb-population", "scb-births-mother-age", "scb-deaths", "scb-mortality-forecast-2024",
          "scb-migration-2025", "scb-localities-2020"]),
        ("Welfare demand uses constant national ratios: pre-school = ages 1–5 x coverage, "
         "pupils = ages 6–15, teachers = pupils / pupils per teacher, elder care from ages "
         "80+, health care per 1,000 inhabitants, dwellings = added population / persons per "
         "dwelling.", ["skolverket-forskola-2021", "skolverket-larartathet-2019",
                       "skr-aldreomsorg-2018", "skr-lakare-2017", "scb-household-size"]),
        ("Induced jobs are private household-spending services; public welfare staff are "
         "counted from the population instead (some overlap with local multiplier estimates "
         "that include public services is possible).", ["moretti-thulin-2013", ASSUMPTION]),
        ("No price or wage feedback: higher local wages and housing costs that crowd out "
         "other employers are not modelled beyond the vacancy chain.", ["moretti-2010"]),
        ("Monte Carlo: each range is an independent triangular distribution, sampled by Latin "
         "hypercube with the given seed; demographic rates are not sampled.", [ASSUMPTION]),
        ("Occupation needs = the year-on-year increase in the median headcount by SSYK-4 "
         "(direct mix, shipped indirect/induced and welfare mixes); the vacancy chain is "
         "reported apart and not added to the needs, since it moves people between jobs.",
         ["jobtech-taxonomy", ASSUMPTION]),
    ]
    return [{"assumption": text, "sources": refs} for text, refs in rows]


def _stock(code: str, year: int) -> dict[str, Any] | None:
    """The staged housing stock (SCB TAB824) to read the added dwellings against."""
    found = housing_stock(code, year)
    if found is None:
        return None
    used, stock = found
    return {"year": used, "source": "SCB TAB824 (BO0104T04)",
            **{tenure: int(stock[i]) for i, tenure in enumerate(TENURES)},
            "total": int(stock.sum())}


def describe(scenario: Scenario, region: Region) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """(assumptions, sources) for the result document."""
    parameters = _parameter_rows(scenario)
    model = _model_rows(scenario, region)
    places = [{"municipality_code": p.code, "population_source": p.population_source,
               "commuting_share": round(p.share, 4),
               "housing_stock": _stock(p.code, region.base_year)} for p in region.places]
    used = {ref for row in parameters + model for ref in row["sources"]}
    catalogue = sources()
    cited = [catalogue[ref].as_dict() for ref in sorted(used) if ref in catalogue]
    return {"parameters": parameters, "model": model, "places": places}, cited
