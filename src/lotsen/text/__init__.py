"""Swedish text handling shared by taxonomy search and job-ad parsing.

:mod:`lotsen.text.normalize` folds, tokenises and stems; :mod:`lotsen.text.vocabulary`
looks typed tokens up against known ones (exact, stem, prefix, compound, typo).
"""

from lotsen.text.normalize import (
    STOPWORDS,
    content_tokens,
    fold,
    fold_aligned,
    index_terms,
    normalize_key,
    stem,
    terms,
    tokenize,
)

__all__ = [
    "STOPWORDS",
    "content_tokens",
    "fold",
    "fold_aligned",
    "index_terms",
    "normalize_key",
    "stem",
    "terms",
    "tokenize",
]
