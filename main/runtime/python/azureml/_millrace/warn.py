"""Warnings: single stderr lines starting ``millrace:``, each at most once per process (§10.4j)."""

import sys
import threading
from typing import Optional, Set

_seen: Set[str] = set()
_lock = threading.Lock()


def warn_once(text: str, key: Optional[str] = None) -> bool:
    """Print ``millrace: <text>`` unless a warning with this key was printed before; True if printed."""
    key = key if key is not None else text
    with _lock:
        if key in _seen:
            return False
        _seen.add(key)
    try:
        sys.stderr.write("millrace: %s\n" % text)
        sys.stderr.flush()
    except Exception:  # noqa: BLE001 - a warning never breaks the script
        pass
    return True
