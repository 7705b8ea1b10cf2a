"""Bad files, each rejected with a message naming file, row and column."""

from __future__ import annotations

import io

from openpyxl import Workbook
from sqlalchemy import Engine
from tests.imports.conftest import PERSON, csv_bytes, one, person, rejected, run

from lotsen.imports.reading import read_sheet


def test_empty_file_is_rejected(sqlite_engine: Engine) -> None:
    for data in (b"", b"\xef\xbb\xbf\r\n  \n"):
        problem = one(rejected(sqlite_engine, "people", data, "tom.csv"))
        assert problem.file == "tom.csv" and "tom" in problem.message


def test_header_without_rows_is_rejected(sqlite_engine: Engine) -> None:
    problem = one(rejected(sqlite_engine, "people", b"source_id;municipality\r\n"))
    assert "inga rader med uppgifter" in problem.message


def test_wrong_headers_name_missing_and_unknown_columns(sqlite_engine: Engine) -> None:
    data = csv_bytes([{"source_id": "1", "hemort": "2480", "skils": "x", "Kompetenserna": "y"}])
    problems = rejected(sqlite_engine, "people", data, "people.csv")
    unknown = {p.column: p for p in problems if p.column}
    assert "menade du 'skills'" in unknown["skils"].message  # as the user wrote: the key
    assert "menade du 'Kompetenser'" in unknown["Kompetenserna"].message  # or the heading
    assert unknown["hemort"].row == 1 and "okänd kolumn" in unknown["hemort"].message
    missing = [p for p in problems if "obligatoriska kolumner saknas" in p.message]
    assert len(missing) == 1 and "Kommun" in missing[0].message
    assert str(missing[0]).startswith("people.csv:1: ")


def test_swedish_headings_import_like_the_keys(sqlite_engine: Engine) -> None:
    """The templates' Swedish headings and the technical keys read the same rows; a
    heading may differ in case and spacing, and both kinds may be mixed in one file."""
    swedish = {"source_id": "Eget id", "municipality": "kommun", "occupations": "Yrken",
               "skills": "KOMPETENSER", "languages": "Språk", "driving_licences": "Körkort",
               "consent_matching_date": "Samtycke  matchning"}
    headed = [{swedish.get(k, k): v for k, v in person(source_id=f"AF-{i}").items()}
              for i in (1, 2)]
    summary = run(sqlite_engine, "people", csv_bytes(headed), "svenska.csv")
    assert summary["created"] == 2
    again = run(sqlite_engine, "people", csv_bytes([person(source_id="AF-1")]), "keys.csv")
    assert (again["created"], again["updated"]) == (0, 1)  # the same record, by key


def test_a_row_problem_names_the_column_as_the_file_heads_it(sqlite_engine: Engine) -> None:
    row = {"Eget id": "AF-9", "Kommun": "Atlantis", "skills": "MAG-svetsning",
           "Samtycke matchning": "2026-11-02"}
    problem = one(rejected(sqlite_engine, "people", csv_bytes([row]), "p.csv"))
    assert (problem.row, problem.column, problem.value) == (2, "Kommun", "Atlantis")


def test_identity_columns_are_refused(sqlite_engine: Engine) -> None:
    data = csv_bytes([person(personnummer="19850101-1234", förnamn="Anna")])
    problems = rejected(sqlite_engine, "people", data)
    assert {p.column for p in problems} == {"personnummer", "förnamn"}
    assert all("inga direkta personuppgifter" in p.message for p in problems)


def test_personal_number_as_source_id_is_refused_and_not_echoed(sqlite_engine: Engine) -> None:
    data = csv_bytes([person(), person(source_id="850101-1234")])
    problem = one(rejected(sqlite_engine, "people", data, "people.csv"))
    assert (problem.row, problem.column) == (3, "source_id")
    assert "1234" not in str(problem)


def test_duplicate_ids_name_both_rows(sqlite_engine: Engine) -> None:
    data = csv_bytes([person(), person(source_id="AF-2"), person()])
    problem = one(rejected(sqlite_engine, "people", data, "people.csv"))
    assert (problem.row, problem.column, problem.value) == (4, "source_id", "AF-1")
    assert "först på rad 2" in problem.message


def test_cp1252_file_is_read_with_swedish_letters(sqlite_engine: Engine) -> None:
    rows = [person(municipality="Skellefteå", skills="Omvårdnad;Demensvård",
                   languages="Svenska:Flytande;Arabiska:Flytande")]
    data = csv_bytes(rows, encoding="cp1252")
    assert b"\xe5" in data  # å as Windows-1252 writes it
    summary = run(sqlite_engine, "people", data)
    assert summary["encoding"] == "cp1252" and "Windows-1252" in summary["notes"][0]
    assert summary["created"] == 1


def test_undecodable_byte_names_the_row(sqlite_engine: Engine) -> None:
    data = csv_bytes([person(), person(source_id="AF-2")], encoding="cp1252")
    broken = data.replace(b"AF-2", b"AF-\x81", 1)  # 0x81: undefined in Windows-1252
    problem = one(rejected(sqlite_engine, "people", broken, "people.csv"))
    assert problem.row == 3 and "0x81" in problem.message and "UTF-8" in problem.message


def test_mixed_encodings_are_refused_not_garbled(sqlite_engine: Engine) -> None:
    for encoding, says in (("utf-8", "blandar teckenkodningar"),
                           ("utf-8-sig", "kan inte läsas som UTF-8")):
        data = csv_bytes([person(), person(source_id="AF-2", municipality="Umeå")],
                         encoding=encoding)
        broken = data.replace("Umeå".encode(), b"Ume\xe5")  # one Windows-1252 byte
        problem = one(rejected(sqlite_engine, "people", broken, "people.csv"))
        assert problem.row == 3 and says in problem.message


def test_utf16_is_read_and_double_encoded_utf8_refused(sqlite_engine: Engine) -> None:
    tab_utf16 = csv_bytes([person()], delimiter="\t", encoding="utf-16")  # Excel "Unicode text"
    summary = run(sqlite_engine, "people", tab_utf16)
    assert (summary["encoding"], summary["delimiter"], summary["created"]) == ("utf-16", "\t", 1)
    text = csv_bytes([person(source_id="AF-2", municipality="2480"), person()],
                     encoding="utf-8").decode("utf-8")
    twice = text.encode("utf-8").decode("cp1252").encode("utf-8")
    problem = one(rejected(sqlite_engine, "people", twice, "people.csv"))
    assert problem.row == 3 and "konverterats till UTF-8 två gånger" in problem.message


def test_comma_semicolon_and_tab_delimiters_are_sniffed() -> None:
    keys = {"source_id", "municipality", "skills"}
    for delimiter in (",", ";", "\t"):
        data = csv_bytes([{"source_id": "1", "municipality": "2480", "skills": "a;b"}],
                         delimiter=delimiter)
        sheet = read_sheet(data, "x.csv", keys)
        assert sheet.delimiter == delimiter
        assert [cells for _, cells in sheet.rows] == [["1", "2480", "a;b"]]


def test_unquoted_delimiter_in_a_value_is_explained(sqlite_engine: Engine) -> None:
    # The skills cell "MAG-svetsning;TIG-svetsning" written without quotes.
    text = ";".join(PERSON) + "\r\n" + ";".join(PERSON.values()) + "\r\n"
    problem = one(rejected(sqlite_engine, "people", text.encode(), "people.csv"))
    assert problem.row == 2 and "måste stå inom citattecken" in problem.message


def test_old_xls_and_broken_xlsx_are_refused(sqlite_engine: Engine) -> None:
    assert "xlsx" in one(rejected(sqlite_engine, "people", b"\xd0\xcf\x11\xe0junk",
                                  "a.xls")).message
    assert "kan inte läsas som Excel-arbetsbok" in one(rejected(
        sqlite_engine, "people", b"PK\x03\x04junk", "a.xlsx")).message


def test_every_bad_cell_is_named_by_row_and_column(sqlite_engine: Engine) -> None:
    rows = [
        person(),
        person(source_id="AF-2", municipality="9999"),
        person(source_id="AF-3", available_from="15/01/2027", max_commute_km="-5"),
        person(source_id="AF-4", languages="Svenska", swedish_level="flytande"),
        person(source_id="AF-5", consent_matching_date="2027-01-01", driving_licences="Q"),
        person(source_id="AF-6", skills="Kvantfysisk svetsning av tårtor", occupations="kock"),
    ]
    problems = rejected(sqlite_engine, "people", csv_bytes(rows), "people.csv")
    found = {(p.row, p.column) for p in problems}
    assert found == {
        (3, "municipality"), (4, "available_from"), (4, "max_commute_km"), (5, "languages"),
        (5, "swedish_level"), (6, "consent_matching_date"), (6, "driving_licences"),
        (7, "skills"), (7, "occupations"),
    }
    texts = {(p.row, p.column): str(p) for p in problems}
    assert texts[(3, "municipality")].startswith('people.csv:3: municipality: "9999" är inget')
    assert "ÅÅÅÅ-MM-DD" in texts[(4, "available_from")]
    assert "tvetydigt" in texts[(7, "occupations")] and "närmast:" in texts[(7, "occupations")]


def test_xlsx_typed_cells_are_read_as_text() -> None:
    from datetime import datetime

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["source_id", "municipality", "max_commute_km", "available_from", "x"])
    sheet.append([1042, 180, 2.5, datetime(2027, 1, 10), None])
    sheet.append([None, None, None, None, None])
    out = io.BytesIO()
    book.save(out)
    read = read_sheet(out.getvalue(), "a.xlsx", set())
    assert read.header == ["source_id", "municipality", "max_commute_km", "available_from", "x"]
    assert list(read.rows) == [(2, ["1042", "180", "2.5", "2027-01-10", ""]),
                               (3, ["", "", "", "", ""])]
