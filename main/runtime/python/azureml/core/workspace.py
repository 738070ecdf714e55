"""``Workspace``: a Millrace workspace folder seen through the SDK's eyes (§10.2)."""

import json
import os
from typing import Any, Dict, Mapping, Optional

from .._millrace import transport
from .._millrace.locate import resolve_workspace
from .._millrace.notsupported import NSObject, raise_ns
from .._millrace.warn import warn_once

SUBSCRIPTION_ID = "00000000-0000-0000-0000-000000000000"
LOCAL = "local"


class Workspace(NSObject):
    """``Workspace.from_config()``, ``Workspace(...)`` and ``Workspace.get(...)`` all resolve the same
    folder: ``$MILLRACE_WORKSPACE``, a config.json naming one, the nearest folder holding millrace.yml,
    else ``~/Millrace``."""

    def __init__(self, subscription_id: Optional[str] = None, resource_group: Optional[str] = None,
                 workspace_name: Optional[str] = None, auth: Any = None, _location: Optional[str] = None,
                 _disable_service_check: bool = False, _workspace_id: Optional[str] = None,
                 sku: str = "basic", tags: Optional[Mapping[str, str]] = None,
                 _cloud: str = "AzureCloud", **kwargs: Any) -> None:
        folder, _how = resolve_workspace()
        self._path = folder
        self._auth = _bind(auth, folder)
        _check_name(workspace_name, folder)

    @classmethod
    def _at(cls, folder: str) -> "Workspace":
        ws = cls.__new__(cls)
        ws._path = os.path.abspath(folder)
        ws._auth = None
        return ws

    @classmethod
    def from_config(cls, path: Optional[str] = None, auth: Any = None, _logger: Any = None,
                    _file_name: Optional[str] = None) -> "Workspace":
        folder, _how = resolve_workspace(path=path, file_name=_file_name)
        ws = cls._at(folder)
        ws._auth = _bind(auth, folder)
        return ws

    @staticmethod
    def get(name: Optional[str] = None, auth: Any = None, subscription_id: Optional[str] = None,
            resource_group: Optional[str] = None, location: Optional[str] = None,
            cloud: str = "AzureCloud", id: Optional[str] = None) -> "Workspace":  # noqa: A002 - SDK name
        folder, _how = resolve_workspace()
        _check_name(name, folder)
        ws = Workspace._at(folder)
        ws._auth = _bind(auth, folder)
        return ws

    @staticmethod
    def create(name: str, *args: Any, **kwargs: Any) -> "Workspace":
        raise_ns("Workspace.create", "a Millrace workspace is a local folder; create one with "
                 "`millrace init DIR`", "workspace")

    @staticmethod
    def list(subscription_id: Optional[str] = None, *args: Any, **kwargs: Any) -> Any:
        raise_ns("Workspace.list", "there is no subscription to list; a workspace is the folder "
                 "Workspace.from_config() finds", "workspace")

    def delete(self, *args: Any, **kwargs: Any) -> None:
        raise_ns("Workspace.delete", "Millrace never deletes a workspace folder; remove it yourself",
                 "workspace")

    def set_default_datastore(self, name: str) -> None:
        raise_ns("Workspace.set_default_datastore", "the default datastore is 'default' of "
                 "millrace.yml; edit millrace.yml to point it elsewhere", "workspace")

    # -- identity (cloud values, local meaning) --------------------------------
    @property
    def name(self) -> str:
        return os.path.basename(os.path.normpath(self._path))

    @property
    def path(self) -> str:
        """The absolute workspace folder (a Millrace addition)."""
        return self._path

    @property
    def resource_group(self) -> str:
        return LOCAL

    @property
    def location(self) -> str:
        return LOCAL

    @property
    def subscription_id(self) -> str:
        return SUBSCRIPTION_ID

    @property
    def service_context(self) -> Any:
        raise_ns("Workspace.service_context", "there is no Azure service behind a Millrace workspace",
                 "workspace")

    def get_details(self) -> Dict[str, str]:
        return {
            "id": "/subscriptions/%s/resourceGroups/%s/providers/Microsoft.MachineLearningServices/"
                  "workspaces/%s" % (SUBSCRIPTION_ID, LOCAL, self.name),
            "name": self.name,
            "location": LOCAL,
            "resourceGroup": LOCAL,
            "subscriptionId": SUBSCRIPTION_ID,
            "millraceWorkspace": self._path,
        }

    def write_config(self, path: Optional[str] = None, file_name: Optional[str] = None) -> str:
        folder = os.path.join(os.path.abspath(path or os.getcwd()), ".azureml")
        os.makedirs(folder, exist_ok=True)
        target = os.path.join(folder, file_name or "config.json")
        data = {"subscription_id": SUBSCRIPTION_ID, "resource_group": LOCAL,
                "workspace_name": self.name, "millrace_workspace": self._path}
        tmp = target + ".tmp"
        with open(tmp, "w", encoding="utf-8") as fh:
            json.dump(data, fh, indent=4)
            fh.write("\n")
        os.replace(tmp, target)
        return target

    # -- the bridge ---------------------------------------------------------------
    def _call(self, name: str, args: Optional[Mapping[str, Any]] = None, errors: Any = None) -> Any:
        return transport.call(self._path, name, args, errors)

    # -- collections: a fresh dict per access ------------------------------------------
    @property
    def datastores(self) -> Dict[str, Any]:
        from .datastore import Datastore
        return Datastore._all(self)

    def get_default_datastore(self) -> Any:
        from .datastore import Datastore
        return Datastore(self, "default")

    @property
    def datasets(self) -> Dict[str, Any]:
        from .dataset import Dataset
        return Dataset._latest_by_name(self)

    @property
    def compute_targets(self) -> Dict[str, Any]:
        from .compute import ComputeTarget
        return {t.name: t for t in ComputeTarget.list(self)}

    @property
    def environments(self) -> Dict[str, Any]:
        from .environment import Environment
        return Environment.list(self)

    @property
    def experiments(self) -> Dict[str, Any]:
        from .experiment import Experiment
        return {e.name: e for e in Experiment.list(self)}

    @property
    def models(self) -> Dict[str, Any]:
        from .model import Model
        return {m.name: m for m in Model.list(self, latest=True)}

    def get_run(self, run_id: str) -> Any:
        from .run import Run
        return Run.get(self, run_id)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Workspace) and other._path == self._path

    def __hash__(self) -> int:
        return hash(self._path)

    def __repr__(self) -> str:
        return "Workspace.create(name='%s', subscription_id='%s', resource_group='%s')" % (
            self.name, SUBSCRIPTION_ID, LOCAL)


def _bind(auth: Any, folder: str) -> Any:
    """An authentication object given as ``auth=`` mints its header for this workspace."""
    if auth is not None and getattr(auth, "_workspace", False) is None:
        auth._workspace = folder
    return auth


def _check_name(name: Optional[str], folder: str) -> None:
    actual = os.path.basename(os.path.normpath(folder))
    if name and name != actual:
        warn_once("workspace name '%s' is not this workspace's; using the Millrace workspace '%s' (%s)"
                  % (name, actual, folder), key="workspace-name:" + name)


from .._millrace.notsupported import module_getattr as _module_getattr  # noqa: E402

__getattr__ = _module_getattr(__name__)
