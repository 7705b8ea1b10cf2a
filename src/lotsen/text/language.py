"""Is a text Swedish? Counted by function words, the cheapest test that holds on ads.

The job-ad classifier embeds a headline with multilingual-e5 only when the ad is not
in Swedish: the taxonomy's titles are Swedish, so a Swedish headline is matched
lexically about as well (grouped cross-validation on the real ads, docs/performance.md),
while an English one ("Data Engineer" → *Dataingenjör*) needs the embedding. Function
words decide because every ad of some length has dozens of them. Norwegian and Danish
ads share some Swedish ones and count as Swedish (not measured: the real ads here have
none).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

SWEDISH = frozenset({"och", "att", "som", "för", "med", "är", "du", "vi", "har", "av",
                     "på", "till", "det", "en", "ett", "dig", "oss", "vår", "inom"})
ENGLISH = frozenset({"and", "the", "to", "of", "with", "you", "we", "are", "for", "in",
                     "our", "is", "your", "will", "be", "as"})
WORD = re.compile(r"[a-zåäöé]+")
SAMPLE_CHARS = 3000  # the first paragraphs decide; ads rarely switch language later


def is_swedish(text: str) -> bool:
    """True unless English function words outnumber Swedish ones in the text's start.

    A text with neither (a bare headline, a list of tools) counts as Swedish, so the
    cheap path keeps it."""
    swedish = english = 0
    for word in WORD.findall(text[:SAMPLE_CHARS].lower()):
        if word in SWEDISH:
            swedish += 1
        elif word in ENGLISH:
            english += 1
    return english <= swedish


SWEDISH_LETTERS = re.compile(r"[åäöÅÄÖ]")
# Share of labels with å, ä or ö below which a vocabulary is taken as not Swedish. Set
# a priori: the taxonomy's occupation names have 53 %, its keywords 38 %, an English
# vocabulary (the title proxy's stand-in) under 1 %.
SWEDISH_LABEL_SHARE = 0.05


def labels_are_swedish(labels: Sequence[str]) -> bool:
    """Whether a vocabulary of short labels (titles, names) is Swedish: labels have no
    function words to count, but one in twenty Swedish ones has å, ä or ö somewhere.
    A small Swedish list without them ("Kock", "Revisor") counts as not Swedish."""
    if not labels:
        return True
    marked = sum(1 for label in labels if SWEDISH_LETTERS.search(label))
    return marked / len(labels) >= SWEDISH_LABEL_SHARE
