"""Stable step ids from SDK display names (§10.4b).

Each run of characters outside ``[A-Za-z0-9_-]`` becomes ``_``, trimmed at both ends; a leading digit
or ``-`` gets ``s_``; empty gives ``step``; at most 64 characters; duplicates get ``_2``, ``_3``, ...
in compile order. ``Score Model`` -> ``Score_Model``, ``score.py`` -> ``score_py``.
"""

import re
from typing import Iterable, List, Set

MAX_LEN = 64
_OUTSIDE = re.compile(r"[^A-Za-z0-9_-]+")


def slug(name: str) -> str:
    text = _OUTSIDE.sub("_", name).strip("_")
    if not text:
        return "step"
    if text[0].isdigit() or text[0] == "-":
        text = "s_" + text
    return text[:MAX_LEN]


def unique_slugs(names: Iterable[str]) -> List[str]:
    """One slug per name, in order; a slug taken earlier gets the first free ``_2``, ``_3``, ... suffix."""
    taken: Set[str] = set()
    out: List[str] = []
    for name in names:
        base = slug(name)
        candidate, n = base, 1
        while candidate in taken:
            n += 1
            suffix = "_%d" % n
            candidate = base[:MAX_LEN - len(suffix)] + suffix
        taken.add(candidate)
        out.append(candidate)
    return out
