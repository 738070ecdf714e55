"""Who is submitting: the driver script's path and the stem used for ``pipelines/sdk/<stem>-<hash8>.yml``."""

import builtins
import os
import re
import sys
from typing import Optional


def under_ipython() -> bool:
    return bool(getattr(builtins, "__IPYTHON__", False))


def script_path() -> Optional[str]:
    """The absolute path of the driver script, None under IPython, ``-c`` or an interactive prompt."""
    if under_ipython():
        return None
    main = sys.modules.get("__main__")
    path = getattr(main, "__file__", None) or (sys.argv[0] if sys.argv and sys.argv[0] else None)
    if not path or path in ("-c", "-m", "-") or not os.path.isfile(path):
        return None
    return os.path.abspath(path)


def script_stem() -> str:
    """§10.4b: the script's file stem, ``notebook`` under IPython, else ``sdk``."""
    if under_ipython():
        return "notebook"
    path = script_path()
    if path is None:
        return "sdk"
    stem = re.sub(r"[^A-Za-z0-9_.-]+", "_", os.path.splitext(os.path.basename(path))[0]).strip("._")
    return stem or "sdk"


def script_identity() -> str:
    """What the bridge records as the trigger's ``script``: a path, ``notebook`` or ``sdk``."""
    return script_path() or script_stem()
