"""Every size limit Lotsen enforces, defined once.

Each bound is read by every path that accepts the quantity (file import, API schema,
web form, scenario file) so that no path lets through what another refuses; the
table in docs/security.md lists them with what a user sees. The values are chosen
so the largest allowed input finishes within a request's time budget on one core.
"""

from __future__ import annotations

# Row ids: PostgreSQL ``integer`` (a larger id cannot exist, so it is refused as input).
MAX_ID = 2**31 - 1

# People in one need (file import, API, web edit, scenario needs) and seats in one
# programme: the largest real recruitment or intake in the region is in the low thousands.
MAX_HEADCOUNT = 10_000
MAX_SEATS = 10_000
# Needs handed to the gap report in one request (scenario_needs).
MAX_EXTRA_NEEDS = 20_000
# Programme proposals in the gap report.
MAX_PROPOSALS = 50

# Scenario documents: the text, its values after YAML aliases are expanded, its nesting
# and the digits of one number (Python refuses ints over 4,300 digits with a ValueError).
MAX_SCENARIO_BYTES = 200_000
MAX_SCENARIO_VALUES = 20_000
MAX_NESTING = 32
MAX_NUMBER_CHARS = 40
# Monte Carlo work: runs, and runs x years x places (one cell is a projected
# population per run, year and place; 20,000 runs of the largest example is ~4 M).
MAX_RUNS = 20_000
MAX_SEED = 2**32 - 1
MAX_SCENARIO_CELLS = 6_000_000

# Long work (scenario runs, gap reports with scenario needs) per user at a time.
LONG_WORK_PER_USER = 1

# Text from a request: no control characters besides tab, newline and carriage return.
CONTROL_CHARACTERS = frozenset(chr(c) for c in range(32) if chr(c) not in "\t\n\r") | {"\x7f"}

# Job titles ranked in one web or API request, and the rows of a vocabulary sent with it:
# a new vocabulary is embedded in the request (~10–60 ms a label on one loaded core);
# larger jobs go through `lotsen titles rank`, which caches the vectors.
MAX_TITLE_QUERIES = 200
# One title or vocabulary label: the longest real ad headline of the development ads is
# under 120 characters; a longer "title" is a pasted text, whose character n-grams and
# embedding cost grow with its length.
MAX_TITLE_CHARS = 300
MAX_TITLE_VOCABULARY = 2_000
