"""Swedish job-ad intelligence: occupation classification, skill extraction, ingest, stats.

The public entry points are :func:`lotsen.ads.enrich.get_enricher` (classify + extract
one ad or many, with the output contract other tools read), :mod:`lotsen.ads.ingest`,
:mod:`lotsen.ads.stats` and :mod:`lotsen.ads.evaluate`.
"""
