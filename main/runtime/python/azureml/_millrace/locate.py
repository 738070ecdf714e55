"""Which workspace ``Workspace.from_config()`` means (§10.2), in this order:

1. ``$MILLRACE_WORKSPACE`` (a folder without millrace.yml is an error);
2. a ``config.json`` / ``.azureml/config.json`` / ``aml_config/config.json`` in ``path`` (else the
   current folder) or the nearest parent holding one, with ``"millrace_workspace": "<dir>"``; a config
   without that key is Azure's and is skipped with one warning line;
3. the current folder or its nearest parent holding ``millrace.yml``;
4. the default workspace ``~/Millrace`` (the bridge creates it on first use).

Pure: reads files, never starts the bridge.
"""

import json
import os
from typing import Iterator, Mapping, Optional, Tuple

from ..exceptions import UserErrorException
from .warn import warn_once

CONFIG_FILE = "millrace.yml"


def _is_workspace(folder: str) -> bool:
    return os.path.isfile(os.path.join(folder, CONFIG_FILE))


def _upwards(start: str) -> Iterator[str]:
    folder = os.path.abspath(start)
    while True:
        yield folder
        parent = os.path.dirname(folder)
        if parent == folder:
            return
        folder = parent


def find_config(path: Optional[str], file_name: Optional[str], cwd: str) -> Optional[str]:
    """The nearest SDK config file, as ``Workspace.from_config`` searches for it."""
    name = file_name or "config.json"
    start = os.path.join(cwd, path) if path else cwd
    if path and os.path.isfile(start):
        return os.path.abspath(start)
    if path and not os.path.isdir(start):
        raise UserErrorException("Workspace.from_config(path=%r): no such file or folder" % path)
    for folder in _upwards(start):
        for candidate in (os.path.join(folder, name), os.path.join(folder, ".azureml", name),
                          os.path.join(folder, "aml_config", name)):
            if os.path.isfile(candidate):
                return candidate
    return None


def _from_config_file(config: str) -> Optional[str]:
    try:
        with open(config, "r", encoding="utf-8") as fh:
            data = json.load(fh)
    except (OSError, ValueError) as exc:
        raise UserErrorException("%s: not a readable JSON workspace config: %s" % (config, exc)) from None
    target = data.get("millrace_workspace") if isinstance(data, dict) else None
    if target is None:
        warn_once("%s is an Azure ML workspace config without \"millrace_workspace\"; it is not used"
                  % config, key="azure-config:" + config)
        return None
    if not isinstance(target, str) or not target:
        raise UserErrorException("%s: \"millrace_workspace\" must be a folder path, got %r" % (config, target))
    folder = os.path.normpath(os.path.join(os.path.dirname(config), os.path.expanduser(target)))
    if not _is_workspace(folder):
        raise UserErrorException(
            "%s names the Millrace workspace %s, which has no %s; create it with `millrace init %s`"
            % (config, folder, CONFIG_FILE, folder))
    return folder


def default_workspace(env: Mapping[str, str]) -> str:
    home = env.get("HOME") or os.path.expanduser("~")
    return os.path.join(home, "Millrace")


def resolve_workspace(path: Optional[str] = None, file_name: Optional[str] = None,
                      env: Optional[Mapping[str, str]] = None,
                      cwd: Optional[str] = None) -> Tuple[str, str]:
    """``(absolute folder, how)``; ``how`` is ``env``, ``config``, ``folder`` or ``default``."""
    env = os.environ if env is None else env
    cwd = os.path.abspath(cwd or os.getcwd())
    named = env.get("MILLRACE_WORKSPACE")
    if named:
        folder = os.path.normpath(os.path.join(cwd, os.path.expanduser(named)))
        if not _is_workspace(folder):
            raise UserErrorException(
                "MILLRACE_WORKSPACE=%s is not a Millrace workspace (it has no %s); create one with "
                "`millrace init %s`" % (named, CONFIG_FILE, folder))
        return folder, "env"
    config = find_config(path, file_name, cwd)
    if config is not None:
        folder = _from_config_file(config)
        if folder is not None:
            return folder, "config"
    for folder in _upwards(cwd):
        if _is_workspace(folder):
            return folder, "folder"
    return default_workspace(env), "default"
