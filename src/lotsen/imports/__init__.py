"""Import needs, people and programs from CSV and XLSX files.

A file is read (:mod:`~lotsen.imports.reading`), its header checked
(:mod:`~lotsen.imports.header`), every row turned into a record whose taxonomy
values are resolved without guessing (:mod:`~lotsen.imports.rows`,
:mod:`~lotsen.imports.resolve`), and the records written in bulk
(:mod:`~lotsen.imports.bulk`) — whole or not at all (:mod:`~lotsen.imports.pipeline`).
"""
