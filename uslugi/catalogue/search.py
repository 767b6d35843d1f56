"""Text normalisation for the catalogue search.

SQLite's LIKE folds case only for ASCII, so «ветеран» would miss «Ветеран». Services keep a
case-folded copy of their searchable words (`Service.search_text`) and queries are folded the same
way, which behaves identically on SQLite and PostgreSQL.
"""

import re

_NON_WORD = re.compile(r"[^\w]+", re.UNICODE)


def normalize(text: str) -> str:
    """Case-fold, treat ё as е and collapse punctuation to single spaces."""
    folded = text.casefold().replace("ё", "е")
    return " ".join(_NON_WORD.sub(" ", folded).split())
