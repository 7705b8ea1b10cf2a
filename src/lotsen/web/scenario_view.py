"""The scenario page's Swedish words and tables: labels of metrics and parameters, the
charts and tables built from a result document, and scenario-file errors in Swedish.

Kept in one module so the page can be translated in one place; the numbers all come
from the result document (``services.scenarios``), nothing is computed here but
sums and layout.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any

from lotsen.errors import LotsenError
from lotsen.messages import worded
from lotsen.services.results.scenarios import ScenarioResult

METRIC_LABELS = {
    "direct_jobs": "Direkta jobb",
    "indirect_jobs": "Indirekta jobb (leverantörer)",
    "induced_jobs": "Inducerade jobb (hushållens konsumtion)",
    "total_jobs": "Jobb totalt",
    "in_migrant_workers_arriving": "Inflyttade arbetstagare under året",
    "in_migrant_households": "Inflyttade hushåll som bor kvar",
    "population": "Befolkning med etableringen",
    "population_baseline": "Befolkning utan etableringen",
    "population_added": "Befolkningsökning",
    "preschool_places_added": "Förskoleplatser, ökning",
    "pupils_added": "Elever i grundskolan, ökning",
    "teachers_added": "Lärare (heltid), ökning",
    # Near zero by design: in-migrants are of working age, and elder care grows with
    # residents aged 80+, which an establishment adds only decades later.
    "elder_care_staff_added": "Personal i äldreomsorgen, ökning (nära noll: inflyttarna är "
                              "i arbetsför ålder, äldreomsorgen följer invånare 80+)",
    "health_care_staff_added": "Personal i hälso- och sjukvården, ökning",
    "housing_units_added": "Bostäder, ökning",
    "housing_units_added_rental": "Bostäder, ökning: hyresrätt",
    "housing_units_added_tenant_owned": "Bostäder, ökning: bostadsrätt",
    "housing_units_added_owner_occupied": "Bostäder, ökning: äganderätt",
    "age_1_5": "Förskola (1–5 år)",
    "age_6": "Förskoleklass (6 år)",
    "age_7_9": "Grundskola F–3 (7–9 år)",
    "age_10_12": "Grundskola 4–6 (10–12 år)",
    "age_13_15": "Grundskola 7–9 (13–15 år)",
    "age_16_18": "Gymnasium (16–18 år)",
    "age_65_79": "Invånare 65–79 år",
    "age_80_plus": "Invånare 80 år och äldre",
}
# Charts: id, heading, metrics drawn as P10–P90 bands with the median line.
CHARTS = (
    ("jobb", "Jobb", ("direct_jobs", "indirect_jobs", "induced_jobs")),
    ("inflyttning", "Inflyttning", ("in_migrant_workers_arriving", "in_migrant_households")),
    ("befolkning", "Befolkning", ("population", "population_baseline")),
    ("skola", "Förskola och skola", ("preschool_places_added", "pupils_added", "teachers_added")),
    ("skolstadier", "Barn och unga per skolform (med etableringen)",
     ("age_1_5", "age_6", "age_7_9", "age_10_12", "age_13_15", "age_16_18")),
    ("omsorg", "Äldreomsorg och vård", ("elder_care_staff_added", "health_care_staff_added")),
    ("aldre", "Äldre per åldersgrupp (med etableringen)", ("age_65_79", "age_80_plus")),
    ("bostader", "Bostäder", ("housing_units_added", "housing_units_added_rental",
                              "housing_units_added_tenant_owned",
                              "housing_units_added_owner_occupied")),
)
# The year table and the exports: the main outputs, each as P10, P50, P90.
YEAR_METRICS = ("direct_jobs", "indirect_jobs", "induced_jobs", "in_migrant_households",
                "population_added", "preschool_places_added", "pupils_added",
                "elder_care_staff_added", "housing_units_added")
PLACE_METRICS = ("total_jobs", "population_added", "preschool_places_added", "pupils_added",
                 "elder_care_staff_added", "housing_units_added")
BANDS = ("p10", "p50", "p90")
PARAMETER_LABELS = {
    "realisation": "Andel av de planerade jobben som blir av",
    "local_hire_share": "Lokal rekrytering, direkta jobb",
    "local_hire_share_spinoff": "Lokal rekrytering, indirekta och inducerade jobb",
    "commuter_share": "Långpendlare som inte flyttar",
    "multipliers.indirect": "Multiplikator, indirekta jobb",
    "multipliers.induced": "Multiplikator, inducerade jobb",
    "construction.commuter_share": "Byggarbetare från andra orter",
    "construction.registered_share": "…av dem som folkbokför sig i kommunen",
    "households.workers_per_household": "Arbetstagare per inflyttat hushåll",
    "households.adults_per_household": "Vuxna per inflyttat hushåll",
    "households.children_per_household": "Barn per inflyttat hushåll",
    "households.departure_share": "Andel hushåll som flyttar när jobben försvinner",
    "vacancy_chain.employed_share": "Lokalt anställda som lämnar ett annat jobb",
    "vacancy_chain.same_occupation_share": "…i samma yrkesgrupp",
    "welfare.preschool_coverage": "Andel barn 1–5 år i förskola",
    "welfare.children_per_preschool_staff": "Barn per anställd i förskolan",
    "welfare.pupils_per_teacher": "Elever per lärare",
    "welfare.elder_care_staff_per_80plus": "Äldreomsorgspersonal per invånare 80+",
    "welfare.health_care_staff_per_1000": "Vårdpersonal per 1 000 invånare",
    "welfare.persons_per_dwelling": "Personer per bostad",
    "households.arrival_lag_years": "År innan de inflyttade hushållen kommer (i snitt)",
    "ramp.delay_years": "År som upptrappningen blir försenad",
    "closure.probability": "Sannolikhet att etableringen krymper eller stänger",
    "closure.remaining_share": "Andel av jobben som finns kvar efter neddragningen",
    "closure.staff_leave": "Andel av de inflyttade som flyttar när jobben försvinner",
    "closure.staff_move": "Andel av de inflyttade som går till andra arbetsgivare",
    "demography.error": "Befolkningsmodellens eget fel (från bakåttesterna)",
}
OUTPUT_LABELS = {
    "total_jobs": "Jobb totalt",
    "population_added": "Befolkning +",
    "preschool_places_added": "Förskoleplatser +",
    "housing_units_added": "Bostäder +",
    "in_migrant_households": "Inflyttade hushåll",
}
ORIGINS = {"default": "Standardvärde", "scenario file": "Scenariofilen"}


def metric_label(name: str) -> str:
    return METRIC_LABELS.get(name, name)


def parameter_label(name: str) -> str:
    return PARAMETER_LABELS.get(name, name)


def charts(document: ScenarioResult) -> list[dict[str, Any]]:
    """Per chart: the plotly spec (years, one band per metric) and its table rows."""
    years = [row["year"] for row in document["area"]]
    out = []
    for chart_id, title, metrics in CHARTS:
        series = [{"label": metric_label(m), **{b: [row["metrics"][m][b]
                                                  for row in document["area"]] for b in BANDS}}
                  for m in metrics]
        out.append({"id": f"chart-{chart_id}", "title": title, "years": years,
                    "series": series, "spec": {"years": years, "series": series}})
    return out


def year_rows(document: ScenarioResult) -> list[dict[str, Any]]:
    """Area totals per year, flat (``direct_jobs_p10`` …) for the table and the export."""
    return [{"year": row["year"], **{f"{m}_{b}": row["metrics"][m][b]
                                     for m in YEAR_METRICS for b in BANDS}}
            for row in document["area"]]


def place_rows(document: ScenarioResult, year: int | None = None) -> list[dict[str, Any]]:
    """Per municipality (and year, or only ``year``): share, start population, bands."""
    places = {p["code"]: p for p in document["municipalities"]}
    out = []
    for row in document["rows"]:
        if year is not None and row["year"] != year:
            continue
        place = places[row["municipality_code"]]
        out.append({"year": row["year"], "code": place["code"], "name": place["name"],
                    "host": place["host"], "commuting_share": place["commuting_share"],
                    "start_population": place["start_population"],
                    **{f"{m}_{b}": row["metrics"][m][b] for m in PLACE_METRICS for b in BANDS}})
    return out


def sensitivity_rows(document: ScenarioResult) -> list[dict[str, Any]]:
    return [{"rank": s["rank"], "parameter": s["parameter"],
             "label": parameter_label(s["parameter"]), "max_abs": s["max_abs"],
             **{out: s["rank_correlation"].get(out) for out in OUTPUT_LABELS}}
            for s in document["sensitivity"]]


def assumption_rows(document: ScenarioResult) -> list[dict[str, Any]]:
    return [{"parameter": p["parameter"], "label": parameter_label(p["parameter"]),
             "low": p["low"], "mode": p["mode"], "high": p["high"],
             "origin": ORIGINS.get(p["origin"], p["origin"]),
             "sources": (("SAKNAR KÄLLA (filen anger ingen källa)"
                          if p["origin"] == "scenario file"
                          else "SAKNAR KÄLLA (anpassad på Skellefteå självt, i urvalet)"
                          if p.get("in_sample") else "SAKNAR KÄLLA (eget antagande)")
                         if p.get("unsourced")
                         else ", ".join(p["sources"])), "note": p.get("note", "")}
            for p in document["assumptions"]["parameters"]]


def training(document: ScenarioResult) -> dict[str, Any]:
    """The education and training volumes: per year, and per occupation over the period."""
    labels = {o["ssyk4"]: o["label"] for o in document["occupations"]}
    per_year: dict[int, float] = defaultdict(float)
    per_occupation: dict[str, float] = defaultdict(float)
    for need in document["needs"]:
        per_year[need["year"]] += need["headcount"]
        per_occupation[need["ssyk4"]] += need["headcount"]
    occupations = sorted(per_occupation.items(), key=lambda kv: -kv[1])
    return {
        "years": [{"year": y, "headcount": round(v)} for y, v in sorted(per_year.items())],
        "occupations": [{"ssyk4": code, "label": labels.get(code, code), "headcount": round(v)}
                        for code, v in occupations],
        "rows": [{**n, "label": labels.get(n["ssyk4"], n["ssyk4"]),
                  "headcount": round(float(n["headcount"]), 2)} for n in document["needs"]],
        "to_gap_report": sum(n["headcount"] for n in document.get("gap_needs", ())),
    }


# Export tables: name → (file name, columns as (key, Swedish heading)).
def _band_columns(metrics: tuple[str, ...]) -> list[tuple[str, str]]:
    return [(f"{m}_{b}", f"{metric_label(m)} {b.upper()}") for m in metrics for b in BANDS]


EXPORTS: dict[str, tuple[str, list[tuple[str, str]]]] = {
    "ar": ("scenario-per-ar", [("year", "År"), *_band_columns(YEAR_METRICS)]),
    "kommuner": ("scenario-per-kommun", [
        ("year", "År"), ("code", "Kommunkod"), ("name", "Kommun"),
        ("commuting_share", "Andel av arbetskraften"), ("start_population", "Befolkning vid start"),
        *_band_columns(PLACE_METRICS)]),
    "kanslighet": ("scenario-kanslighet", [
        ("rank", "Rang"), ("parameter", "Parameter"), ("label", "Antagande"),
        *[(k, f"Rangkorrelation: {v}") for k, v in OUTPUT_LABELS.items()],
        ("max_abs", "Största |ρ|")]),
    "utbildning": ("scenario-utbildningsbehov", [
        ("year", "År"), ("municipality_code", "Kommunkod"), ("ssyk4", "SSYK-4"),
        ("label", "Yrkesgrupp"), ("headcount", "Personer att utbilda eller rekrytera")]),
    "antaganden": ("scenario-antaganden", [
        ("parameter", "Parameter"), ("label", "Antagande"), ("low", "Lägst"),
        ("mode", "Troligast"), ("high", "Högst"), ("origin", "Ursprung"),
        ("sources", "Källor"), ("note", "Anmärkning")]),
}


def export_rows(document: ScenarioResult, table: str) -> list[dict[str, Any]]:
    if table == "ar":
        return year_rows(document)
    if table == "kommuner":
        return place_rows(document)
    if table == "kanslighet":
        return sensitivity_rows(document)
    if table == "utbildning":
        return list(training(document)["rows"])
    return assumption_rows(document)


# --- Errors in Swedish -------------------------------------------------------------

_WHAT = {
    "a number": "ett tal", "a population total": "en folkmängd",
    "a number or {low, mode, high}": "ett tal eller {low, mode, high}",
    "a number of jobs": "ett antal jobb", "a number of workers": "ett antal arbetare",
    "a share between 0 and 1": "en andel mellan 0 och 1",
}
# (English message from the scenario reader, Swedish text); the first match wins.
MESSAGES: tuple[tuple[str, str], ...] = (
    (r"unknown key '(.+?)'; did you mean '(.+?)'\?", "okänd nyckel ”{0}”; menade du ”{1}”?"),
    (r"unknown key '(.+?)'; allowed(?: here)?: (.+)", "okänd nyckel ”{0}”; tillåtna här: {1}"),
    (r"must be a table of keys: (.+)", "ska vara en tabell med nycklarna {0}"),
    (r"must be a table of code = \{name, population\}",
     "ska vara en tabell kod = {{name, population}}"),
    (r"custom region codes must not look like a Swedish municipality code.*",
     "egna regionkoder får inte se ut som en svensk kommunkod; använd t.ex. ”US-NV-STOREY”"),
    (r"must be a table with name, population, distance_km",
     "ska vara en tabell med name, population och distance_km"),
    (r"needs a population", "saknar population (folkmängd)"),
    (r"must be greater than 0", "måste vara större än 0"),
    (r"unknown occupation template '(.+?)'; use one of: (.+)",
     "okänd yrkesmall ”{0}”; använd en av: {1}"),
    (r"must be a template name or a table of SSYK-4 code = share",
     "ska vara namnet på en yrkesmall eller en tabell SSYK-4-kod = andel"),
    (r"unknown SSYK-4 code '(.+?)'.*",
     "okänd SSYK-4-kod ”{0}”: använd en fyrsiffrig yrkesgrupp enligt SSYK 2012"),
    (r"is required", "saknas – nyckeln måste finnas"),
    (r"the year range (\d+)–(\d+) has zero length.*",
     "årsintervallet {0}–{1} har längden noll: slutåret måste komma efter startåret"),
    (r"unknown industry '(.+?)'; use one of: (.+)", "okänd bransch ”{0}”; använd en av: {1}"),
    (r"fit at least 3 years", "anpassa på minst 3 år"),
    (r"must be a list of municipality codes", "ska vara en lista med kommunkoder"),
    (r"must be a table of municipality code = share", "ska vara en tabell kommunkod = andel"),
    (r"must include the host municipality (\S+)", "måste ta med värdkommunen {0}"),
    (r"must name exactly the area's municipalities; differs in (.+)",
     "måste ange exakt områdets kommuner; skiljer sig för {0}"),
    (r"(local_hire_share\w*) \+ commuter_share must not exceed 1.*",
     "{0} + commuter_share får inte överstiga 1 (räknat på de troligaste värdena)"),
    (r"must be a year like 2025, got (.+)", "ska vara ett årtal som 2025, fick {0}"),
    (r"year (\d+) is outside the scenario years (\d+)–(\d+)",
     "året {0} ligger utanför scenariots år {1}–{2}"),
    (r"year (\d+) is outside (\d+)–(\d+)", "året {0} ligger utanför {1}–{2}"),
    (r"must be a non-empty text", "ska vara en text som inte är tom"),
    (r"must be a municipality code like \"2482\", got (.+)",
     "ska vara en kommunkod som ”2482”, fick {0}"),
    (r"unknown municipality code '(.+?)'.*",
     "okänd kommunkod ”{0}”: använd SCB:s fyrsiffriga kod, t.ex. ”2482” (platser utanför "
     "Sverige anges under [regions])"),
    (r"a range has exactly the keys low, mode, high \(unknown: (.+)\)",
     "ett intervall har exakt nycklarna low, mode och high (okänd: {0})"),
    (r"a range has exactly the keys low, mode, high \(missing: (.+)\)",
     "ett intervall har exakt nycklarna low, mode och high (saknas: {0})"),
    (r"needs low <= mode <= high, got (.+)", "kräver low ≤ mode ≤ high, fick {0}"),
    (r"is a share and must lie between 0 and 1, got (.+)",
     "är en andel och måste ligga mellan 0 och 1, fick {0}"),
    (r"must be a table of year = \w+, e\.g\. 2026 = 500",
     "ska vara en tabell år = antal, t.ex. 2026 = 500"),
    (r"keys must be years, got '(.+?)' \(in TOML.*",
     "nycklarna ska vara årtal, fick ”{0}” (i TOML ska nycklar på översta nivån stå före den "
     "första [tabellen])"),
    (r"keys must be years, got '(.+?)'", "nycklarna ska vara årtal, fick ”{0}”"),
    (r"(?:jobs|workers) must not be negative, got (.+)",
     "antalet får inte vara negativt, fick {0}"),
    (r"must not be negative, got (.+)", "får inte vara negativt, fick {0}"),
    (r"a share must lie between 0 and 1, got (.+)",
     "en andel måste ligga mellan 0 och 1, fick {0}"),
    (r"shares must sum to 1, they sum to (.+)",
     "andelarna måste summera till 1, de summerar till {0}"),
    (r"must be (a number|a population total|a number or \{low, mode, high\}|a number of jobs|"
     r"a number of workers|a share between 0 and 1), got (.+)", "ska vara {0}, fick {1}"),
    (r"not valid TOML: (.+)", "är inte giltig TOML (tolkarens besked: {0})"),
    (r"not valid YAML: (?s:.+)", "är inte giltig YAML: kontrollera indrag och kolon"),
    (r"not valid JSON: (.+)", "är inte giltig JSON (tolkarens besked: {0})"),
    (r"duplicate key", "nyckeln står två gånger"),
    (r"a scenario (?:file )?must be a (?:mapping|JSON object) of keys",
     "en scenariofil ska bestå av nycklar med värden"),
    (r"a scenario file must end in .*", "en scenariofil ska sluta på .toml, .yaml eller .yml"),
    (r"the scenario starts in (\d+); the shipped population data begin in (\d+), so start in "
     r"(\d+) or later", "scenariot börjar {0}; befolkningsdata finns från {1}, så börja {2} "
                        "eller senare"),
    (r"no population is shipped for (\S+) (.+?) \(.*",
     "ingen befolkning finns för {0} {1}; ange den i filen: [population] ”{0}” = ANTAL"),
    (r"no distance for (.+?): .*",
     "inget avstånd för {0}: ange distance_km under [regions] eller andelar under [commuting]"),
    (r"no example scenario '(.+?)'.*", "det finns inget exempelscenario ”{0}”"),
)
_LOCATION = re.compile(r"^(?P<file>.*?)(?::(?P<line>\d+))?(?:: (?P<key>.+))?$")


def swedish_error(error: LotsenError) -> dict[str, Any]:
    """{file, line, key, message}: where in the file, and what is wrong, in Swedish."""
    location = getattr(error, "location", None) or ""
    detail = error.message
    if location and detail.startswith(location + ": "):
        detail = detail[len(location) + 2:]
    where = _LOCATION.match(location)
    file, line, key = (where.group("file"), where.group("line"), where.group("key")) \
        if where and location else ("", None, None)
    if file and "." not in file and not line and not key:
        file, key = "", file  # a form field (runs, seed, …), not a file
    message = worded(error)  # the catalogue first (limits), else the patterns below
    if message is None:
        message = detail
        for pattern, swedish in MESSAGES:
            found = re.fullmatch(pattern, detail)
            if found:
                message = swedish.format(*[_WHAT.get(g, g) for g in found.groups()])
                break
    return {"file": file, "line": int(line) if line else None, "key": key, "message": message}
