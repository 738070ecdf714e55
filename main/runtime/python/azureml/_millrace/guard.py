"""What ``import azureml`` sets up (§10.1): no silent shadowing, and clear errors for missing modules.

* A real ``azureml-core`` distribution installed next to this package is never mixed in (this package
  never extends ``__path__``); the first import outside a step says which one is used.
* ``import azureml.<something this package lacks>`` raises ``ModuleNotFoundError`` naming the module and
  the list of what exists (docs/azureml.md, AZUREML.md §10.3), instead of Python's bare message.
"""

import importlib.abc
import os
import sys
from typing import Any, Optional

_PACKAGE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


class _MissingAzureModule(importlib.abc.MetaPathFinder):
    """Last on ``sys.meta_path``: reached only when no other finder found an ``azureml.*`` module."""

    def find_spec(self, fullname: str, path: Any = None, target: Any = None) -> Optional[Any]:
        if not fullname.startswith("azureml.") or "azureml" not in sys.modules:
            return None
        if getattr(sys.modules["azureml"], "__millrace__", False) is not True:
            return None
        raise ModuleNotFoundError(
            "No module named %r: Millrace's offline azureml package (%s) provides only the modules "
            "listed in docs/azureml.md (AZUREML.md §10.3)" % (fullname, _PACKAGE_DIR), name=fullname)


def _installed_azureml_core() -> Optional[str]:
    """Version of an ``azureml-core`` distribution on ``sys.path``, else None.

    Scans for ``azureml_core-<version>.dist-info`` / ``.egg-info`` folders (what ``importlib.metadata``
    finds too), without importing ``importlib.metadata``: this runs on every ``import azureml``.
    """
    for entry in sys.path:
        folder = entry or "."
        try:
            names = os.listdir(folder)
        except OSError:
            continue
        for name in names:
            low = name.lower()
            if low.startswith(("azureml_core-", "azureml-core-")) and low.endswith((".dist-info", ".egg-info")):
                return _version_of(os.path.join(folder, name), name)
    return None


def _version_of(info_dir: str, name: str) -> str:
    for meta in ("METADATA", "PKG-INFO"):
        try:
            with open(os.path.join(info_dir, meta), "r", encoding="utf-8", errors="replace") as fh:
                for line in fh:
                    if line.startswith("Version:"):
                        return line.split(":", 1)[1].strip()
                    if not line.strip():
                        break
        except OSError:
            continue
    return name.split("-", 1)[1].rsplit(".", 1)[0]


def _say_shadowing() -> None:
    if os.environ.get("MILLRACE_RUN_ID"):
        return
    version = _installed_azureml_core()
    if version is None:
        return
    try:
        sys.stderr.write("millrace: 'azureml' is Millrace's offline compatibility package (%s); the "
                         "installed azureml-core %s is not used\n" % (_PACKAGE_DIR, version))
    except Exception:  # noqa: BLE001
        pass


def install() -> None:
    if not any(isinstance(f, _MissingAzureModule) for f in sys.meta_path):
        sys.meta_path.append(_MissingAzureModule())
    _say_shadowing()
