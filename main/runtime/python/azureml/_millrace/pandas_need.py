"""pandas and matplotlib are imported only where a call needs them (§10.1)."""

import sys
from typing import Any


def need_pandas(member: str) -> Any:
    try:
        import pandas  # noqa: WPS433
    except ImportError as exc:
        raise ImportError(
            "%s needs pandas, which is not installed for %s. Install it with `%s -m pip install pandas` "
            "(Debian/Ubuntu: `apt install python3-pandas`)" % (member, sys.executable, sys.executable)) from exc
    return pandas


def need_matplotlib(member: str) -> Any:
    try:
        import matplotlib  # noqa: WPS433
    except ImportError as exc:
        raise ImportError(
            "%s needs matplotlib, which is not installed for %s. Install it with `%s -m pip install "
            "matplotlib` (Debian/Ubuntu: `apt install python3-matplotlib`), or pass path= an image file"
            % (member, sys.executable, sys.executable)) from exc
    return matplotlib
