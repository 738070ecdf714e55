"""Dataset paths with globs (§10.3): ``*``, ``?`` and ``[...]`` within a segment, ``**`` any depth.

Matching is case-sensitive and hidden files and folders (a segment starting with ``.``) never match.
A matched folder stands for every non-hidden file under it. The core resolves the same patterns
for step inputs and registrations (docs/bridge.md, "Glob rules"), so both sides agree.
"""

import fnmatch
import os
from typing import List, Sequence, Tuple

from .files import walk_files

_MAGIC = ("*", "?", "[")


def has_magic(text: str) -> bool:
    return any(c in text for c in _MAGIC)


def split(path: str) -> Tuple[List[str], List[str]]:
    """``(fixed prefix segments, pattern segments)``: the prefix ends before the first glob segment."""
    parts = [p for p in path.replace("\\", "/").split("/") if p not in ("", ".")]
    for i, part in enumerate(parts):
        if has_magic(part):
            return parts[:i], parts[i:]
    return parts, []


def _match(pattern: Sequence[str], parts: Sequence[str]) -> bool:
    if not pattern:
        return not parts
    head = pattern[0]
    if head == "**":
        return any(_match(pattern[1:], parts[i:]) for i in range(len(parts) + 1))
    return bool(parts) and fnmatch.fnmatchcase(parts[0], head) and _match(pattern[1:], parts[1:])


def expand(root: str, path: str) -> List[str]:
    """Absolute files ``path`` (relative to the datastore folder ``root``) stands for, sorted; may be empty."""
    prefix, pattern = split(path)
    base = os.path.join(root, *prefix) if prefix else root
    if not pattern:
        if os.path.isfile(base):
            return [base]
        return walk_files(base) if os.path.isdir(base) else []
    found = set()
    for dirpath, dirnames, filenames in os.walk(base):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        rel_dir = os.path.relpath(dirpath, base)
        rel_parts = [] if rel_dir == "." else rel_dir.split(os.sep)
        for d in list(dirnames):
            if _match(pattern, rel_parts + [d]):
                found.update(walk_files(os.path.join(dirpath, d)))
        for name in filenames:
            if not name.startswith(".") and _match(pattern, rel_parts + [name]):
                found.add(os.path.join(dirpath, name))
    return sorted(found)


def fixed_prefix(root: str, path: str) -> str:
    """The absolute folder (or file's folder) that ``to_path()`` paths are relative to."""
    prefix, pattern = split(path)
    base = os.path.join(root, *prefix) if prefix else root
    if not pattern and os.path.isfile(base):
        return os.path.dirname(base)
    return base
