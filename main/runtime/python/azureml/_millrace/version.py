"""``azureml.core.VERSION``: the SDK release whose behaviour is emulated, plus a PEP 440 local label."""

import json
import os

EMULATED_SDK = "1.24.0"


def millrace_version() -> str:
    """The version of the Millrace checkout holding this package (its package.json), else the runtime's."""
    here = os.path.abspath(__file__)
    checkout = here
    for _ in range(6):
        checkout = os.path.dirname(checkout)
    try:
        with open(os.path.join(checkout, "package.json"), "r", encoding="utf-8") as fh:
            data = json.load(fh)
        if data.get("name") == "millrace" and isinstance(data.get("version"), str):
            return data["version"]
    except (OSError, ValueError):
        pass
    try:
        from millrace import __version__
        return __version__
    except ImportError:
        return "0"


def sdk_version() -> str:
    # A local label allows only [A-Za-z0-9.]: "0.1.0-beta.2" becomes "0.1.0.beta.2".
    label = "".join(c if c.isalnum() else "." for c in millrace_version()).strip(".") or "0"
    return "%s+millrace.%s" % (EMULATED_SDK, label)


VERSION = sdk_version()
