"""Datastore names: millrace.yml's, plus the SDK's aliases (§10.2).

``workspaceblobstore`` and ``workspacefilestore`` name the datastore ``default`` unless millrace.yml
defines one by that name. Records and compiled specs carry the real name; SDK objects keep the name
they were asked for.
"""

import os
from typing import Any, Dict, List, Tuple

from ..exceptions import UserErrorException

ALIASES = {"workspaceblobstore": "default", "workspacefilestore": "default"}


def table(ws: Any) -> Dict[str, str]:
    """Real datastore name -> absolute folder, from the workspace (bridge ``datastores/list``)."""
    return {r["name"]: r["path"] for r in ws._call("datastores/list")}


def names_with_aliases(real: Dict[str, str]) -> List[str]:
    return list(real) + [a for a in ALIASES if a not in real and ALIASES[a] in real]


def real_name(name: str, real: Dict[str, str]) -> str:
    """The millrace.yml name ``name`` stands for; unknown: UserErrorException listing the names."""
    if name in real:
        return name
    target = ALIASES.get(name)
    if target is not None and target in real:
        return target
    raise UserErrorException("unknown datastore '%s' (this workspace has: %s)"
                             % (name, ", ".join(names_with_aliases(real))))


def check_relative(path: str, what: str) -> str:
    """A path inside a datastore: relative, no ``..``; returned ``/``-separated without leading ``./``."""
    text = str(path).replace("\\", "/")
    if text.startswith("/") or (len(text) > 1 and text[1] == ":"):
        raise UserErrorException("%s: expected a path relative to the datastore, got absolute %r" % (what, path))
    parts = [p for p in text.split("/") if p not in ("", ".")]
    if ".." in parts:
        raise UserErrorException("%s: a datastore path may not contain '..' (%r)" % (what, path))
    return "/".join(parts)


def resolve(ws: Any, name: str) -> Tuple[str, str]:
    """``(real name, absolute folder)`` of a datastore name or alias."""
    real = table(ws)
    name = real_name(name, real)
    return name, real[name]


def join(folder: str, relative: str) -> str:
    return os.path.join(folder, *relative.split("/")) if relative else folder
