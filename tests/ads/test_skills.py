"""Swedish skill extraction: morphology, licences, languages, requirement cues, precision."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from lotsen.ads.enrich import get_enricher
from lotsen.ads.extract import SLOT, SLOT_KEY, SUBJECT, SUBJECT_KEY, _anchored
from lotsen.ads.requirements import requirement_map
from lotsen.taxonomy import load_taxonomy
from lotsen.text import fold_aligned


def extract(text: str, ssyk4: str | None = None) -> dict[str, tuple[str, str]]:
    """label → (surface, requirement) for ``text`` in the context of one SSYK-4 group."""
    enricher = get_enricher()
    groups = [(load_taxonomy().by_code("ssyk-level-4", ssyk4).id, 0.9)] if ssyk4 else []
    skills = enricher.extractor.extract(text, groups)
    return {s.label: (text[s.start:s.end], s.requirement) for s in skills}


def test_driving_licences_in_every_spelling() -> None:
    found = extract("Du har B-körkort. Meriterande: körkort C och CE. Körkort (minst D).")
    assert found["B"] == ("B-körkort", "required")
    assert found["C"] == ("C", "meriting") and found["CE"] == ("CE", "meriting")
    assert found["D"][0] == "D"


def test_compounds_and_hand_aliases() -> None:
    found = extract("Krav: truckkort.", "8344")
    assert found["Truckvana"] == ("truckkort", "required")
    found = extract("Krav: truckkort. Meriterande: svetscertifikat.", "7212")
    # asked for in a requirement list: kept even though it is not a welder's skill
    assert found["Truckvana"] == ("truckkort", "required")
    assert found["IW, Internationell svetsare, yrkesdiplom"] == ("svetscertifikat", "meriting")
    # merely mentioned and off-topic: a single ordinary word is ranked out
    found = extract("Meriterande: svetscertifikat.\n\nPå lagret finns truckkort att låna.",
                    "7212")
    assert "Truckvana" not in found
    found = extract("Goda Excelkunskaper är meriterande.", "4112")
    assert found["MS Excel"] == ("Excelkunskaper", "meriting")


def test_legitimation_and_abbreviations() -> None:
    found = extract("Vi söker dig som är legitimerad sjuksköterska. YKB är ett krav.", "2221")
    assert found["Legitimation som sjuksköterska"][1] == "required"
    found = extract("Du har giltigt YKB och C-körkort.", "8332")
    assert found["Yrkeskompetensbevis för förare (YKB)"] == ("YKB", "required")


def test_languages_inflected_and_english() -> None:
    found = extract("Du måste tala svenskan flytande. Fluent English is a plus.")
    assert found["Svenska"] == ("svenskan", "required")
    assert found["Engelska"] == ("English", "meriting")


def test_inflection_by_stem() -> None:
    found = extract("Du har erfarenhet av rörsvetsningen.", "7212")
    assert found["Rörsvetsning"] == ("rörsvetsningen", "required")


def test_pronouns_and_off_topic_words_are_not_skills() -> None:
    found = extract("Vi erbjuder dig ett jobb med mode och musik i fokus.", "8332")
    assert not any(surface.lower() in {"vi", "mode", "musik"} for surface, _ in found.values())


@pytest.mark.parametrize(("text", "word", "expected"), [
    ("Krav:\n- Java\n- SQL\n\nMeriterande:\n- Python", "Python", "meriting"),
    ("Krav:\n- Java\n- SQL\n\nMeriterande:\n- Python", "SQL", "required"),
    ("B-körkort är ett krav, CE-körkort är meriterande.", "CE", "meriting"),
    ("Det är en fördel om du talar finska.", "finska", "meriting"),
    ("Vi kräver att du har truckkort.", "truckkort", "required"),
    ("Du måste ha B-körkort.", "B-", "required"),
    ("Vi ser gärna att du kan Excel.", "Excel", "meriting"),
    ("Kontoret ligger nära Excel-huset.", "Excel", "mentioned"),
])
def test_requirement_cues(text: str, word: str, expected: str) -> None:
    assert requirement_map(text).at(text.index(word)) == expected


def test_words_of_one_stem_but_another_meaning_are_not_skills() -> None:
    found = extract("Vi söker dig som talar och skriver svenska. Du har svensk legitimation.",
                    "3512")
    assert "Skrivare" not in found
    assert found["Svenska"] == ("svenska", "required")  # the language word, not "svensk"
    found = extract("Du har arbetat som anläggningsarbetare.", "7114")
    assert "Anläggningsarbete" not in found  # an occupation name is not a skill by stem


def test_vana_and_slash_labels() -> None:
    found = extract("Du har vana av bokföring.", "3313")
    assert found["Bokföringsvana"] == ("vana av bokföring", "required")
    found = extract("Du har erfarenhet av MAG-svetsning.", "7212")
    # the current concept "MAG/MIG-svetsning", not the deprecated "MAG-svetsning"
    assert found["MAG/MIG-svetsning"] == ("MAG-svetsning", "required")


def test_school_subjects_and_fields_of_education_are_not_skills() -> None:
    found = extract("Du har lärarlegitimation med behörighet i svenska och engelska.", "2330")
    assert "Svenska" not in found and "Engelska" not in found
    found = extract("Du har utbildning inom ekonomi eller logistik och talar engelska.", "3323")
    assert "Logistik" not in found
    assert found["Engelska"] == ("engelska", "required")


def test_language_proficiency_is_required_without_a_heading() -> None:
    found = extract("Arbetet är varierat. Du uttrycker dig väl på svenska och engelska.")
    assert found["Svenska"][1] == "required" and found["Engelska"][1] == "required"
    found = extract("Vi har kunder som pratar finska.")
    assert found["Finska"][1] == "mentioned"


@pytest.mark.parametrize("text", [
    "Om oss\nHos oss har du tillgång till Excel-kurser och friskvård.\n",
    "Krav:\n- B-körkort\nVi erbjuder\n- Du har rätt till kurser i Excel\n",
    "Vi erbjuder kurser i Excel om du vill. Krav: B-körkort.",
])
def test_employer_and_benefit_sections_require_nothing(text: str) -> None:
    assert requirement_map(text).at(text.index("Excel")) == "mentioned"


def test_requirement_map_for_offsets_agrees_with_the_full_map() -> None:
    import json
    from pathlib import Path

    path = Path(__file__).parent / "data" / "eval_ads.jsonl"
    for line in path.read_text("utf-8").splitlines()[:20]:
        text = json.loads(line)["description"]
        offsets = list(range(0, len(text), 7))
        full, lazy = requirement_map(text), requirement_map(text, offsets[::3])
        assert [full.at(o) for o in offsets[::3]] == [lazy.at(o) for o in offsets[::3]]


# Regression tests for the false-positive classes fixed in the round after the second
# held-out evaluation (each found on the development sets).


@pytest.mark.parametrize("text", [
    "Requirements\n- Fluent English\nSwedish is not required.\n",
    "Krav:\n- B-körkort\n- Flytande engelska\n- Svenska är inget krav.\n",
])
def test_a_negated_requirement_is_only_mentioned(text: str) -> None:
    word = "Swedish" if "Swedish" in text else "Svenska"
    assert requirement_map(text).at(text.index(word)) == "mentioned"
    found = extract(text)
    assert found.get("Svenska", ("", "mentioned"))[1] == "mentioned"
    assert found["Engelska"][1] == "required"


def test_meriting_but_not_required_stays_meriting() -> None:
    text = "Erfarenhet från primärvård är meriterande men inget krav."
    assert requirement_map(text).at(text.index("primärvård")) == "meriting"


def test_a_benefit_sentence_after_the_bullets_requires_nothing() -> None:
    text = ("Vi söker dig som\n- har B-körkort\n- talar svenska\n"
            "Vi erbjuder friskvårdsbidrag och pension utöver kollektivavtal.\n")
    found = extract(text, "7233")
    assert found["B"][1] == "required"
    assert all(req == "mentioned" for label, (_, req) in found.items()
               if label not in ("B", "Svenska"))
    assert requirement_map(text).at(text.index("kollektivavtal")) == "mentioned"


def test_a_licence_phrase_with_a_class_is_not_also_a_car_licence() -> None:
    found = extract("Körkort med behörighet C1 är ett krav.")
    assert found["C1"][1] == "required"
    assert "B" not in found


def test_upper_case_abbreviations_need_upper_case_text() -> None:
    found = extract("It is a plus if you have worked with AWS.", "2512")
    assert not any("IF" in label.split("/") or label.startswith("IF,") or "/IF," in label
                   for label in found)
    assert all("funktionsnedsättning" not in label for label in found)


def test_a_number_is_not_a_skill() -> None:
    found = extract("Krav:\n- Du ska vara minst 20 år och ha ett gott anseende\n", "5414")
    assert all("Vision 80/20" not in label for label in found)


def test_a_topic_qualifier_is_not_dropped() -> None:
    found = extract("Vi söker dig som har erfarenhet av djurhållning, gärna mjölkkor.", "6121")
    assert "Djurhållning, lagstiftning" not in found
    found = extract("Erfarenhet av kommunal hälso- och sjukvård är meriterande.", "2235")
    assert "Hälso- och sjukvård, undervisning högskolenivå" not in found


def test_certificates_written_as_phrases() -> None:
    found = extract("Krav\n- Yrkesbevis för mobilkran\n- CE-körkort\n", "8343")
    assert found["Yrkesbevis, mobilkran"] == ("Yrkesbevis för mobilkran", "required")
    assert "Mobilkran" not in found
    found = extract("Du har yrkesbevis som betongarbetare.", "7114")
    assert found["Yrkesbevis, betongarbetare"][1] == "required"


def test_a_generic_last_part_of_a_hyphenated_word_is_not_the_generic_skill() -> None:
    found = extract("Krav:\n- Erfarenhet av PLC-programmering\n", "2143")
    assert "Programmering" not in found
    assert found["Programmerbart styrsystem/PLC"] == ("PLC", "required")


def test_vana_phrases_only_for_unqualified_labels() -> None:
    found = extract("Vi söker dig som har erfarenhet av försäljning.", "5223")
    assert "Försäljningsvana, telefonförsäljning" not in found


# Regression tests for the error kinds found on the development half of the real gold ads
# (scripts/skills_halves.py); the sentences are written here, the figures are measured there.

def test_a_short_item_line_in_a_requirement_list_is_not_a_heading() -> None:
    text = "Kravspecifikation\nGodkända betyg i svenska och engelska från gymnasiet\nB-körkort\n"
    assert requirement_map(text).at(text.index("B-körkort")) == "required"
    text = "Krav:\n- B-körkort\nArbetsuppgifter\nDu kör Excel-rapporter.\n"
    assert requirement_map(text).at(text.index("Excel")) == "mentioned"


@pytest.mark.parametrize(("text", "word", "expected"), [
    ("Du har:\n- Goda kunskaper i MS Office, föredragsvis även SAP.", "SAP", "meriting"),
    ("Du har:\n- Goda kunskaper i MS Office, föredragsvis även SAP.", "MS Office", "required"),
    ("Vi söker dig som:\n * Har goda kunskaper i CRM och Office-paketet - erfarenhet av "
     "MS Dynamics är meriterande",
     "Office", "required"),
    ("Ett stort plus är om du har erfarenhet av försäljning.", "försäljning", "meriting"),
    ("Kanske har du arbetat med försäljning.", "försäljning", "meriting"),
])
def test_meriting_words_of_the_guidelines(text: str, word: str, expected: str) -> None:
    assert requirement_map(text).at(text.index(word)) == expected


def test_a_plain_word_asked_for_as_experience_is_a_skill() -> None:
    found = extract("Du har erfarenhet av försäljning, marknadsföring eller kundrelationer.",
                    "3324")
    assert found["Marknadsföring/PR"][1] == "required" or found[
        "Marknadsföring/Marknadskommunikation"][1] == "required"
    # the same word where nothing is asked of the applicant stays out
    found = extract("Vi arbetar med marknadsföring i hela Norden.", "8332")
    assert not any("Marknadsföring" in label for label in found)


def test_experience_concepts_win_over_product_knowledge() -> None:
    found = extract("God datorvana och erfarenhet av affärssystem är ett krav.", "4221")
    assert found["Affärssystem, erfarenhet"][1] == "required"
    assert "Affärssystem, produktkunskap" not in found
    assert found["Digitala arbetssätt, erfarenhet"] == ("datorvana", "required")


def test_company_forms_and_category_words_are_not_skills() -> None:
    found = extract("För anställning inom Securitas Sverige AB krävs det att du har körkort.")
    assert not any(surface == "AB" for surface, _ in found.values())
    found = extract("Meriterande: erfarenhet av verktyg som Databricks och dbt.", "2512")
    assert "Verktyg" not in found and found["Databricks"][1] == "meriting"


def test_subjects_of_a_teaching_post_are_teaching_skills_at_the_groups_level() -> None:
    text = "Som lärare undervisar du i ämnena SO och svenska."
    found = extract(text, "2341")
    for subject in ("Geografi", "Historia", "Religionskunskap", "Samhällskunskap", "Svenska"):
        assert found[f"{subject}, undervisning grundskolenivå"][1] == "required"
    assert "Svenska" not in found  # the subject, not the language
    assert not any("gymnasienivå" in label for label in found)
    found = extract("Du är behörig att undervisa i matematik och fysik.", "2330")
    assert "Matematik, undervisning gymnasienivå" in found
    assert "Fysik, undervisning gymnasienivå" in found


def test_educations_link_to_sun_fields_and_degrees() -> None:
    found = extract("Vi söker dig som har bibliotekarieutbildning.", "2622")
    assert any(label.startswith("Bibliotekarieutbildning") and requirement == "required"
               for label, (_, requirement) in found.items())
    found = extract("Krav: utbildad biomedicinsk analytiker.", "3212")
    assert found["Biomedicinsk analytikerexamen"][1] == "required"
    found = extract("Du har en utbildning inom systemvetenskap.", "2512")
    assert found["Datavetenskap och systemvetenskap"][1] == "required"
    found = extract("Du har socionomexamen.", "2662")
    assert found["Socionomexamen"][1] == "required"
    # an education merely mentioned is not asked for
    found = extract("Våra kollegor har ofta bibliotekarieutbildning.", "2622")
    assert not any("Bibliotekarieutbildning" in label for label in found)


def test_licences_tools_and_wrong_senses() -> None:
    found = extract("Krav: B-auktorisation och erfarenhet av PCR och NGS.", "7411")
    assert found["B - Begränsad auktorisation"][1] == "required"
    assert found["PCR"][1] == "required" and found["NGS"][1] == "required"
    found = extract("Du har arbetat som Data Engineer på Ada Digital. Lär känna teamet!",
                    "2512")
    assert "Pro/ENGINEER" not in found and "LAR/MSA" not in found
    assert not any(label.startswith("Ada") for label in found)
    found = extract("Meriterande: erfarenhet av ML-Ops.", "2512")
    assert "MLOps" in found and not any(label.startswith("ML,") for label in found)


@pytest.mark.parametrize(("text", "word", "expected"), [
    ("What you bring\n- Solid experience with Python\n\nNice to have\n- Airflow\n", "Python",
     "required"),
    ("What you bring\n- Solid experience with Python\n\nNice to have\n- Airflow\n", "Airflow",
     "meriting"),
    ("Om dig\nErfarenhet av SQL\n", "SQL", "required"),
    ("Krav:\n- B-körkort\nVi tar gärna emot ansökningar från dig som talar finska eller samiska, "
     "Umeå är förvaltningsområde för samiska.\n", "finska", "mentioned"),
    ("Krav:\n- B-körkort\nFackliga kontakter: Vision och Kommunal, du har frågor? Ring.\n",
     "Kommunal", "mentioned"),
])
def test_english_sections_and_boilerplate(text: str, word: str, expected: str) -> None:
    assert requirement_map(text).at(text.index(word)) == expected


def test_software_by_its_product_name() -> None:
    found = extract("Meriterande: erfarenhet av Blender, Photoshop, InDesign, SolidWorks, Kafka "
                    "och Jira.", "2173")
    for label in ("3D-grafik-Blender", "2D-grafik-Adobe Photoshop", "Layout-Adobe InDesign",
                  "Tillverkningsindustri-Solid Works", "Apache Kafka, streaming-plattform",
                  "JIRA, systemutvecklingsverktyg"):
        assert found[label][1] == "meriting", label
    found = extract("Du har erfarenhet av Confluence, PowerPoint och Cosmic.", "2221")
    assert {"Confluence", "Cosmic"} <= set(found)
    assert any("Power Point" in label for label in found)  # the taxonomy has that one


def test_every_unlinked_name_is_found_by_its_label() -> None:
    """The needle prefilter never hides a row: each row's own label is found."""
    from lotsen.ads.unlinked import find_unlinked, unlinked_rows

    for row in unlinked_rows():
        text = f"Krav: erfarenhet av {row.label}."
        assert (text.index(row.label), text.index(row.label) + len(row.label),
                row.label) in find_unlinked(text), row.label
    assert find_unlinked("Vi har en snowflake-formad logga och spark.") == []


def test_deprecated_concepts_are_never_returned_and_compound_experience_is_a_slot() -> None:
    taxonomy = load_taxonomy()
    found = extract("Har du kunskap och erfarenhet om autism är det meriterande.", "5343")
    assert not any(taxonomy.get(s).deprecated for s in (
        c.id for c in taxonomy.of_type("skill") if c.label in found))
    found = extract("Relevant arbetslivserfarenhet inom kundservice är meriterande.", "4222")
    assert found["Kundtjänst"] == ("kundservice", "meriting")


REAL_DEV = Path(__file__).resolve().parents[3] / "shared" / "data" / "ads" / "real_dev.jsonl"
TRICKY = ["vidareutbildning i svenska och matematik", "Ämneslärare i svenska och SO",
          "xämneslärare i svenska", "yrkeserfarenhet av truck och lager",
          "3erfarenhet av lager", "kompetenserfarenhet av lager",
          "Erfarenhet av A. Kunskap i B och erfarenhet av C; van vid D",
          "utbildad inom vård eller examen i juridik"]


@pytest.mark.parametrize(("pattern", "key"), [(SLOT, SLOT_KEY), (SUBJECT, SUBJECT_KEY)])
def test_keyword_anchored_scan_finds_what_the_full_pattern_finds(
    pattern: re.Pattern[str], key: re.Pattern[str]
) -> None:
    texts = list(TRICKY)
    if REAL_DEV.exists():
        texts += [json.loads(line)["description"]
                  for line in REAL_DEV.read_text("utf-8").split("\n") if line.strip()]
    for text in texts:
        folded = fold_aligned(text)
        assert [m.span() for m in _anchored(pattern, key, folded)] == [
            m.span() for m in pattern.finditer(folded)], text[:80]


def test_spans_and_clause_cues_hold_across_separators() -> None:
    # Spans come from running sums of the words' and separators' lengths, so a
    # multi-character separator, a leading separator and a multi-word alias must all
    # land on the written words; a cue word decides only the clause it starts in.
    text = ("— Krav:\n•  Erfarenhet av   Java-programmering;  B-körkort krävs, CE-körkort är "
            "meriterande. Hos oss får du friskvård och kurser i Power BI.")
    found = extract(text, "2512")
    assert found["B"] == ("B-körkort", "required")
    assert found["CE"] == ("CE-körkort", "meriting")
    assert found["Java, programmeringsspråk"] == ("Java", "required")
    assert found["Power BI"] == ("Power BI", "mentioned")


def test_unlinked_rows_sharing_a_needle_are_all_tried() -> None:
    from lotsen.ads.unlinked import find_unlinked

    labels = [label for _, _, label in find_unlinked("Krav: PySpark och Apache Airflow.")]
    assert labels == ["PySpark", "Apache Airflow"]
    # the same names, each in an ad of its own, give the same rows (cached by needles)
    assert [label for _, _, label in find_unlinked("Apache Airflow")] == ["Apache Airflow"]


@pytest.mark.parametrize(("text", "word", "expected"), [
    # a list line that reads as an item is asked for, with no heading above it
    ("Om tjänsten\nDu arbetar i vårt team.\n\n• Har mycket goda kunskaper i svenska\n",
     "svenska", "required"),
    ("Om tjänsten\nDu arbetar i vårt team.\n\n• Minst 5 års erfarenhet av Java\n", "Java",
     "required"),
    ("Intro.\n\n- 3+ years of experience with Python\n", "Python", "required"),
    # ... unless its own cue says otherwise, or it is a duty or the employer's offer
    ("Intro.\n\n• Goda kunskaper i Java är meriterande\n", "Java", "meriting"),
    ("Arbetsuppgifter\n• Ansvara för SQL-databaser\n", "SQL", "mentioned"),
    ("Vi erbjuder\n• Goda kunskaper i Java genom vår utbildning\n", "Java", "mentioned"),
    # a short item line after a lead-in that is not read as a heading
    ("Vi tror att du som söker har:\n Minst 5 års arbetslivserfarenhet\n Goda kunskaper i SQL\n",
     "SQL", "required"),
    ("Vi söker dig som:\n- Java\n", "Java", "required"),
    # headings made of qualification words
    ("Kompetens och erfarenhet:\nJava\nPython\n", "Python", "required"),
    ("Din bakgrund\nJava\n", "Java", "required"),
    # the guidelines' cue words
    ("Vi ser det som positivt om du har erfarenhet av Python.", "Python", "meriting"),
    ("Datorvana är en självklarhet.", "Datorvana", "required"),
    ("Stor vikt läggs vid erfarenhet av Java.", "Java", "required"),
    ("Utöver detta söker vi dig med:\nErfarenhet av Azure\n", "Azure", "required"),
    ("Du kan Excel och Word väl.", "Excel", "required"),
    ("Du behärskar SQL.", "SQL", "required"),
    ("Hos oss kan du gå kurser i Excel.", "Excel", "mentioned"),
    ("Intro.\n\nDu behöver även ha goda kunskaper i svenska.", "svenska", "required"),
    # any words before "kunskaper"/"erfarenhet" at a line's start, not the employer's own
    ("Intro.\n\nDjupgående kunskaper av SQL\n", "SQL", "required"),
    ("Intro.\n\nVår erfarenhet av SQL är lång\n", "SQL", "mentioned"),
    # a requirement list written on one long line keeps its heading's class
    ("Kvalifikationer\n Erfarenhet av datalake-design och utveckling av ETL-processer  "
     "Stark kompetens inom SQL och databasteknologier  Erfarenhet av molnplattformar "
     "och av att bygga dataflöden i Python för analys och rapportering\n", "Python",
     "required"),
])
def test_requirement_items_without_a_recognised_heading(text: str, word: str,
                                                        expected: str) -> None:
    assert requirement_map(text).at(text.index(word)) == expected


def test_employer_text_is_told_apart_from_plain_mentions() -> None:
    text = "Vi har ett stort lager.\n\nVi erbjuder\nFriskvård och B-körkort.\n"
    found = requirement_map(text)
    assert not found.employer_text(text.index("lager"))
    assert found.employer_text(text.index("B-körkort"))
    assert found.at(text.index("B-körkort")) == "mentioned"


def test_a_named_qualification_is_asked_for_outside_the_employers_offer() -> None:
    found = extract("Vi välkomnar dig med godkänd socionomexamen.", "2661")
    assert found["Socionomexamen"] == ("socionomexamen", "required")
    found = extract("Om tjänsten\nDu kör mellan våra kontor.\n\nVi erbjuder\n"
                    "Vi bekostar ditt B-körkort.", "5412")
    assert found["B"] == ("B-körkort", "mentioned")


def test_a_shared_head_needs_the_occupation_or_an_ask_for_experience() -> None:
    # "E-handel" heads several labels: an ask for experience picks "E-handel, erfarenhet"
    assert extract("Du har erfarenhet av e-handel.")["E-handel, erfarenhet"] == (
        "e-handel", "required")
    # merely mentioned, and no label of that head relates to a warehouse worker
    assert not any(s == "e-handel" for s, _ in extract(
        "På lagret jobbar vi med e-handel.", "9331").values())
    # "Fotboll, instruktör/tränare" relates to sports instructors, not to bus drivers
    assert "Fotboll, instruktör/Fotboll, tränare" in extract(
        "Meriterande om du har erfarenhet av fotboll.", "3422")
    assert not any(s == "fotboll" for s, _ in extract(
        "Meriterande om du har erfarenhet av fotboll.", "8331").values())


def test_a_profession_qualified_label_needs_that_profession() -> None:
    label = "Psykiatri, specialistkompetens för läkare"
    assert label not in extract("Du har erfarenhet av psykiatri.", "5412")  # prison officer
    assert extract("Du har erfarenhet av psykiatri.", "2211")[label][1] == "required"


@pytest.mark.parametrize("phrase", ["akademisk examen", "universitetsutbildning",
                                    "kandidatexamen", "masterexamen"])
def test_degrees_without_a_field_are_a_university_degree(phrase: str) -> None:
    assert extract(f"Du har en {phrase}.", "2422")["Högskoleexamen"] == (phrase, "required")


def test_a_compound_is_found_with_or_without_its_linking_s() -> None:
    for written in ("skyddsvaktsutbildning", "skyddsvaktutbildning"):
        found = extract(f"Meriterande om du har en {written}.", "5413")
        assert found["Skyddsvaktutbildning"] == (written, "meriting")


def test_a_category_word_ends_at_its_line() -> None:
    # "Som person ..." opens the next paragraph: the word before it is not a category
    # introducing examples ("verktyg som Databricks")
    text = "Meriterande om du\nhar en skyddsvaktsutbildning\n\nSom person är du lugn."
    assert extract(text, "5413")["Skyddsvaktutbildning"][1] == "meriting"
    assert "Verktyg" not in extract("Du har erfarenhet av verktyg som Blender.", "2173")


@pytest.mark.parametrize("name", ["Office 365", "Microsoft 365", "M365", "O365"])
def test_the_office_suite_by_its_subscription_name_is_ms_office(name: str) -> None:
    # the taxonomy has no product concept for the subscription (only certifications):
    # the suite's concept is MS Office, and it must not also come out unlinked
    skills = get_enricher().extractor.extract(f"Du har goda kunskaper i {name}.", [])
    assert [(s.label, s.concept_id is None, s.requirement) for s in skills] == [
        ("MS Office", False, "required")]


def test_dynamics_365_is_not_the_office_suite() -> None:
    assert "MS Office" not in extract("Erfarenhet av Microsoft Dynamics 365 är meriterande.")


@pytest.mark.parametrize(("text", "label"), [
    ("Vi ser gärna att du har IT-kunskaper med inriktning mot pedagogiskt arbete.",
     "e-lärande, erfarenhet"),
    ("Har du erfarenhet av undervisning för vuxna är det meriterande.",
     "Vuxenutbildning, undervisningserfarenhet"),
    ("Erfarenhet av produktion inom digitaltryck är ett plus.", "Digital tryckning"),
    ("Experience with data warehousing is required.", "Datawarehouse"),
    ("Kunskap inom datamodellering, DWH och data lakes krävs.", "Datawarehouse"),
    ("Erfarenhet av försäljning, gärna inom HVAC.", "VVS-teknik"),
    ("Du har erfarenhet av språkutvecklande arbetssätt.",
     "Språk och språkutveckling, undervisning"),
    ("Har du kunskap om autism är det meriterande.",
     "Neuropsykologisk funktionsnedsättning/NPF, erfarenhet"),
    ("Meriterande: utbildning i MI och konflikthantering.", "Motiverande samtal"),
])
def test_set_phrases_and_abbreviations_link_to_their_concept(text: str, label: str) -> None:
    assert extract(text)[label][1] in ("required", "meriting")


def test_the_it_phrase_of_teacher_ads_is_e_learning_not_generic_digital_skills() -> None:
    found = extract("Vi ser gärna att du har IT-kunskaper med inriktning mot pedagogiskt arbete.")
    assert "Digitala arbetssätt, erfarenhet" not in found


def test_mi_is_motivational_interviewing_only_in_upper_case() -> None:
    assert "Motiverande samtal" not in extract("Meriterande: erfarenhet av Mi och konflikter.")


@pytest.mark.parametrize(("text", "label"), [
    ("Har en teknisk utbildning på högskolenivå.", "Teknik och teknisk industri"),
    ("Krav: eftergymnasial utbildning med IT-inriktning.",
     "Informations- och kommunikationsteknik (IKT)"),
    ("Du har en IT-utbildning.", "Informations- och kommunikationsteknik (IKT)"),
    ("Du har en relevant Maritim högskoleutbildning.", "Utbildning för sjöfart"),
    ("Du har en byggteknisk utbildning.", "Samhällsbyggnad och byggnadsteknik"),
    ("Vi söker dig som har en högskoleutbildning inom ekonomi.",
     "Företagsekonomi, allmän utbildning"),
])
def test_an_education_named_by_its_field_links_to_the_sun_field(text: str, label: str) -> None:
    found = extract(text, "2144")
    assert found[label][1] == "required"
    # the field names the education: not a bare degree level beside it
    assert "Högskoleexamen" not in found


def test_the_list_of_an_education_names_fields_degrees_and_disciplines() -> None:
    found = extract("Utbildning inom systemvetenskap, civilingenjör eller motsvarande är "
                    "meriterande.", "2512")
    assert found["Civilingenjörsexamen"] == ("civilingenjör", "meriting")
    assert found["Datavetenskap och systemvetenskap"][1] == "meriting"
    found = extract("Meriterande:\nUtbildning inom Entreprenadjuridik\n", "3112")
    assert found["Entreprenadjuridik"] == ("Entreprenadjuridik", "meriting")
    # outside an education list the same word is no degree
    found = extract("Du har arbetat med en civilingenjör.", "2512")
    assert "Civilingenjörsexamen" not in found


def test_understanding_of_something_is_a_competence_slot() -> None:
    found = extract("Du har en god förståelse för risker kopplat till etik.", "3354")
    assert found["Etik"] == ("etik", "required")


def test_traits_of_the_guidelines_are_not_skills() -> None:
    found = extract("Du ska ha ett gott pedagogiskt förhållningssätt.", "2622")
    assert not any("förhållningssätt" in label for label in found)


def test_kunnig_om_is_a_competence_slot() -> None:
    found = extract("Du är kunnig om modern barnlitteratur.", "2622")
    assert found["Barnböcker"] == ("barnlitteratur", "required")


def test_the_language_of_mother_tongue_teaching_is_asked_for() -> None:
    found = extract("Meriterande: erfarenhet av undervisning i albanska som modersmål.", "2341")
    assert found["Albanska"] == ("albanska", "meriting")
    # a language that is only the subject taught is not asked for (as before)
    found = extract("Du har lärarlegitimation med behörighet i svenska.", "2330")
    assert "Svenska" not in found


@pytest.mark.parametrize(("text", "label"), [
    ("Meriterande är erfarenhet från serviceyrken.", "Kundbemötande och service"),
    ("Meriterande är arbete inom vård och omsorg.", "Allmän omvårdnadserfarenhet"),
    ("Meriterande är erfarenhet av social omsorg.", "Social service och omsorg, områdeskunskap"),
    ("Meriterande är erfarenhet av kundrelationer.", "Customer Relationship Management/CRM"),
])
def test_common_ad_wordings_of_service_and_care_work(text: str, label: str) -> None:
    assert extract(text, "5413")[label][1] == "meriting"


def test_a_qualified_head_in_a_competence_slot_needs_to_be_written_as_a_name() -> None:
    found = extract("Krav: erfarenhet av project management och av kommunikation med "
                    "leverantörer.", "2144")
    assert "Management, organisation" not in found
    assert "Kommunikation, sjöfart" not in found
    # a product's name in the same place is still the product
    found = extract("Krav: erfarenhet av Kotlin och Docker.", "2144")
    assert found["Kotlin, programmeringsspråk"][1] == "required"
    assert found["Docker, container-plattform"][1] == "required"


def test_a_product_name_that_is_an_ordinary_word_needs_a_capital() -> None:
    found = extract("Required: experience with cloud platforms, system design and data "
                    "architecture, and the drive you need to excel.", "2512")
    assert not any(label.startswith(("IBM Cloud", "Design/", "Arkitekt-AutoCAD", "MS Excel"))
                   for label in found)
    found = extract("Required: experience with IBM Cloud and Photoshop.", "2512")
    assert "IBM Cloud, molnplattform" in found
    assert any("Photoshop" in label for label in found)


def test_the_field_before_a_product_name_is_not_the_product() -> None:
    found = extract("Krav: erfarenhet av film och UX-design och avancerad analys.", "2172")
    assert not any("DaVinci" in label or "3ds Max" in label or "Bentley" in label
                   or "Flint" in label for label in found)
    assert not any(label.startswith("Mode, barnkonfektion") for label in found)


def test_a_program_name_is_not_matched_by_stem() -> None:
    found = extract("Required: experience of large-scale systems and star schemas.", "2512")
    assert "Scala, programmeringsspråk" not in found
    assert "Scheme, programmeringsspråk" not in found
    assert "Scala, programmeringsspråk" in extract("Required: Scala and Python.", "2512")


def test_psychiatry_is_psychiatric_care() -> None:
    found = extract("Meriterande är erfarenhet från kriminalvård, psykiatri eller social omsorg.",
                    "5413")
    assert found["Psykiatrisk öppenvård"] == ("psykiatri", "meriting")


@pytest.mark.parametrize(("text", "label"), [
    ("Om rollen\nDu bygger dataflöden.\n\nProgrammeringskunskap i Python eller liknande.\n",
     "Python, programmeringsspråk"),
    ("About the role\nYou build pipelines.\n\nFluency in Swedish and English.\n", "Svenska"),
    ("About the role\nYou build pipelines.\n\nFamiliar with Microsoft Azure.\n",
     "Windows Azure, molnplattform"),
    ("About the role\nYou build pipelines.\n\nExpert in SQL.\n", "SQL, frågespråk"),
])
def test_a_list_line_that_reads_as_an_item_through_a_compound_or_an_adjective(
        text: str, label: str) -> None:
    assert extract(text, "2512")[label][1] == "required"


@pytest.mark.parametrize(("text", "label"), [
    ("Om rollen\nDu bygger dataflöden.\n\nVan att arbeta med DevOps: GIT, CI/CD\n",
     "Git, versionshanteringssystem"),
    ("Om rollen\nDu bygger tjänster.\n\nVara väl insatt i HTTP-protokollets uppbyggnad\n",
     "HTTP/HTTPS, kommunikationsprotokoll"),
    ("Vi letar efter dig som har minst 2 års erfarenhet av systemutveckling.",
     "Systemutveckling"),
    ("Du kommunicerar väl på svenska och engelska.", "Svenska"),
])
def test_more_ways_swedish_ads_ask(text: str, label: str) -> None:
    assert extract(text, "2512")[label][1] == "required"


def test_fitness_is_not_a_skill() -> None:
    assert not any(label.startswith("God fysik") for label in extract(
        "Jobbet passar dig som har god fysik.", "9622"))


def test_an_alias_does_not_run_across_lines() -> None:
    text = "Requirements:\n- SQL for data users\n- Experience with working on-premise\n"
    assert "User experience (UX)" not in extract(text, "2512")
    assert "User experience (UX)" in extract("Required: user experience and SQL.", "2512")


@pytest.mark.parametrize(("text", "label", "expected"), [
    ("Krav: Fullständig gymnasiekompetens.", "Gymnasieutbildning", "required"),
    ("Vi söker dig som har en gymnasieexamen.", "Gymnasieutbildning", "required"),
    ("Eftergymnasial utbildning inom försäljning och marknadsföring är meriterande.",
     "Inköp, försäljning och distribution", "meriting"),
])
def test_school_levels_and_sales_educations(text: str, label: str, expected: str) -> None:
    assert extract(text, "5223")[label][1] == expected


def test_a_head_narrowed_to_a_domain_needs_an_occupation_of_that_domain() -> None:
    found = extract("Du förväntas bedriva en anpassad pedagogisk verksamhet.", "2341")
    assert "Pedagogisk verksamhet, hemslöjd" not in found
    found = extract("Krav: arbetslivserfarenhet, timanställning eller eget företagande.", "5413")
    assert "Eget företagande, bygg" not in found
    # an abbreviation's qualifier spells it out and narrows nothing
    found = extract("Krav: certified as an IWI.", "3115")
    assert "IWI, Internationell svetsinspektör, yrkesdiplom" in found


def test_a_parenthesis_that_narrows_a_label_needs_the_occupation_too() -> None:
    found = extract("Meriterande är en god förståelse för digitaliseringens möjligheter och "
                    "erfarenhet inom arbetsmiljö.", "2622")
    assert "Digitalisering (av ritningar)" not in found
    assert "Arbetsmiljö (OHSAS 18001)" not in found


def test_a_degree_level_with_a_named_field_is_the_field() -> None:
    found = extract("Vi söker dig som har en kandidatexamen inom datateknik.", "2512")
    assert found["Elektronik, datateknik och automation"][1] == "required"
    assert "Högskoleexamen" not in found
    found = extract("Vi söker dig som har en kandidatexamen inom marknadsföring.", "2431")
    assert found["Marknadsföring"][1] == "required"
    assert "Högskoleexamen" not in found
    # a field the taxonomy lacks leaves the level
    found = extract("Vi söker dig som har en kandidatexamen inom kvantfysik.", "2512")
    assert found["Högskoleexamen"][1] == "required"


def test_a_capitalised_definite_form_is_a_name() -> None:
    found = extract("Krav:\n• Erfarenhet som Kriminalvården bedömer relevant\n\n"
                    "Meriterande:\n• Erfarenhet från kriminalvård\n", "5412")
    assert found["Kriminalvård"] == ("kriminalvård", "meriting")


def test_an_unlinked_tool_wins_over_a_concept_no_likely_occupation_relates() -> None:
    text = "Krav: erfarenhet av Snowflake och DBT."
    found = extract(text, "2512")
    assert "dbt" in found and "Dialektisk beteendeterapi/DBT" not in found
    found = extract("Krav: utbildning i DBT.", "2242")  # a psychotherapist: the therapy
    assert "Dialektisk beteendeterapi/DBT" in found


def test_an_activity_practised_as_a_hobby_is_an_item() -> None:
    found = extract("Vi söker dig som:\n- Har fotografering som hobby\n", "3431")
    assert found["Fotografering"] == ("fotografering", "required")
