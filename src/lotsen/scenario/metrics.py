"""The outputs of a scenario run, each with its unit, kind and meaning.

*stock* = the level on 31 December of the year; *flow* = the amount during the year.
*workplace* metrics are counted where the jobs are, *residence* metrics where people live.
*added* = the difference the establishment makes against the baseline projection.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Metric:
    name: str
    unit: str
    kind: str  # stock | flow
    basis: str  # workplace | residence
    description: str

    def as_dict(self) -> dict[str, str]:
        return {"unit": self.unit, "kind": self.kind, "basis": self.basis,
                "description": self.description}


def _m(name: str, unit: str, kind: str, basis: str, description: str) -> Metric:
    return Metric(name, unit, kind, basis, description)


METRICS: dict[str, Metric] = {m.name: m for m in (
    _m("direct_jobs", "jobs", "stock", "workplace",
       "jobs at the establishment (ramp-up x realisation)"),
    _m("indirect_jobs", "jobs", "stock", "workplace",
       "jobs at regional suppliers (direct x indirect multiplier)"),
    _m("induced_jobs", "jobs", "stock", "workplace",
       "jobs from household spending ((direct + indirect) x induced multiplier)"),
    _m("total_jobs", "jobs", "stock", "workplace", "direct + indirect + induced jobs"),
    _m("construction_workers", "persons", "stock", "workplace", "construction workforce on site"),
    _m("temporary_lodging", "beds", "stock", "workplace",
       "construction workers from outside the area who need lodging"),
    _m("construction_registered", "persons", "stock", "residence",
       "construction workers from outside who registered as residents of the host "
       "(those who stayed after the site shrank included)"),
    _m("filled_by_locals", "jobs", "stock", "workplace",
       "new jobs held, once the vacancy chain has run, by residents who were not employed"),
    _m("filled_by_commuters", "jobs", "stock", "workplace",
       "new jobs held (vacancy chain included) by long-distance commuters who do not move"),
    _m("filled_by_in_migrants", "jobs", "stock", "workplace",
       "new jobs held (vacancy chain included) by people who moved into the area"),
    _m("vacancies_left", "jobs", "flow", "residence",
       "jobs that local hires leave at other employers (first link of the vacancy chain)"),
    _m("in_migrant_workers_arriving", "persons", "flow", "residence",
       "workers moving in for the new jobs"),
    _m("households_arriving", "households", "flow", "residence", "in-migrant households arriving"),
    _m("households_leaving", "households", "flow", "residence",
       "in-migrant households leaving when their jobs disappear"),
    _m("in_migrant_households", "households", "stock", "residence",
       "in-migrant households living in the area"),
    _m("in_migrant_adults", "persons", "flow", "residence",
       "adults moving in, net of those leaving"),
    _m("in_migrant_children", "persons", "flow", "residence",
       "children (0-17) moving in, net of those leaving"),
    _m("population", "persons", "stock", "residence",
       "population with the establishment (cohort-component projection)"),
    _m("population_baseline", "persons", "stock", "residence",
       "population projected without the establishment"),
    _m("population_added", "persons", "stock", "residence", "population - population_baseline"),
    _m("age_0", "persons", "stock", "residence", "population aged 0"),
    _m("age_1_5", "persons", "stock", "residence", "population aged 1-5"),
    _m("age_6_15", "persons", "stock", "residence", "population aged 6-15"),
    _m("age_16_19", "persons", "stock", "residence", "population aged 16-19"),
    _m("age_20_64", "persons", "stock", "residence", "population aged 20-64"),
    _m("age_65_79", "persons", "stock", "residence", "population aged 65-79"),
    _m("age_80_plus", "persons", "stock", "residence", "population aged 80 and over"),
    _m("age_6", "persons", "stock", "residence",
       "aged 6 at year end: förskoleklass places (the stage's age, not enrolment)"),
    _m("age_7_9", "persons", "stock", "residence", "aged 7-9: grundskola years 1-3 (F-3)"),
    _m("age_10_12", "persons", "stock", "residence", "aged 10-12: grundskola years 4-6"),
    _m("age_13_15", "persons", "stock", "residence", "aged 13-15: grundskola years 7-9"),
    _m("age_16_18", "persons", "stock", "residence", "aged 16-18: gymnasium places"),
    _m("births", "persons", "flow", "residence", "live births in the year"),
    _m("deaths", "persons", "flow", "residence", "deaths in the year"),
    _m("net_migration", "persons", "flow", "residence",
       "baseline net migration + establishment in-migrants"),
    _m("preschool_places", "places", "stock", "residence",
       "pre-school places (ages 1-5 x coverage)"),
    _m("preschool_places_added", "places", "stock", "residence",
       "pre-school places the establishment adds"),
    _m("preschool_staff_added", "FTE", "stock", "residence",
       "pre-school staff the establishment adds"),
    _m("pupils", "pupils", "stock", "residence", "compulsory-school pupils (ages 6-15)"),
    _m("pupils_added", "pupils", "stock", "residence", "pupils the establishment adds"),
    _m("teachers", "FTE", "stock", "residence",
       "compulsory-school teachers (pupils / pupils per teacher)"),
    _m("teachers_added", "FTE", "stock", "residence", "teachers the establishment adds"),
    _m("elder_care_staff", "persons", "stock", "residence",
       "elder-care staff (aged 80+ x staff ratio)"),
    _m("elder_care_staff_added", "persons", "stock", "residence",
       "elder-care staff the establishment adds"),
    _m("health_care_staff", "persons", "stock", "residence",
       "health-care staff (population x staff per 1,000)"),
    _m("health_care_staff_added", "persons", "stock", "residence",
       "health-care staff the establishment adds"),
    _m("housing_units_added", "dwellings", "stock", "residence",
       "dwellings needed for the added population"),
    _m("housing_units_added_rental", "dwellings", "stock", "residence",
       "added dwellings, rental share (the place's stock by tenure, SCB TAB824)"),
    _m("housing_units_added_tenant_owned", "dwellings", "stock", "residence",
       "added dwellings, tenant-owned (bostadsrätt) share"),
    _m("housing_units_added_owner_occupied", "dwellings", "stock", "residence",
       "added dwellings, owner-occupied share"),
)}

# Staff metrics that become occupation needs, with the welfare mix they use.
WELFARE_STAFF = {
    "preschool_staff_added": "preschool_staff",
    "teachers_added": "teachers",
    "elder_care_staff_added": "elder_care_staff",
    "health_care_staff_added": "health_care_staff",
}
# Outputs the sensitivity table ranks the parameters against (area total, last year).
KEY_OUTPUTS = ("total_jobs", "population_added", "preschool_places_added",
               "housing_units_added", "in_migrant_households")
