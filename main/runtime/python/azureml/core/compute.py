"""``ComputeTarget`` / ``AmlCompute``: a local slot pool of millrace.yml (§10.2)."""

from typing import Any, Dict, List, Optional

from .._millrace.notsupported import NSObject, raise_ns
from ..exceptions import ComputeTargetException

_ERRORS = {"not_found": ComputeTargetException}


class _ProvisioningConfiguration(NSObject):
    def __init__(self, max_nodes: Optional[int], settings: Dict[str, Any]) -> None:
        self.max_nodes = max_nodes
        self.settings = settings

    def __repr__(self) -> str:
        return "AmlComputeProvisioningConfiguration(max_nodes=%r)" % (self.max_nodes,)


class ComputeTarget(NSObject):
    def __init__(self, workspace: Any, name: str) -> None:
        record = _find(workspace, name)
        self._init(workspace, record)

    def _init(self, workspace: Any, record: Dict[str, Any]) -> None:
        self._ws = workspace
        self._record = record

    @classmethod
    def _from_record(cls, workspace: Any, record: Dict[str, Any]) -> "ComputeTarget":
        target = AmlCompute.__new__(AmlCompute)
        target._init(workspace, record)
        return target

    @property
    def name(self) -> str:
        return self._record["name"]

    @property
    def type(self) -> str:  # noqa: A003 - SDK name
        return "AmlCompute"

    @property
    def provisioning_state(self) -> str:
        return "Succeeded"

    @property
    def max_concurrency(self) -> int:
        return int(self._record["maxConcurrency"])

    @staticmethod
    def list(workspace: Any) -> List["ComputeTarget"]:
        return [ComputeTarget._from_record(workspace, r) for r in workspace._call("compute/list")]

    @staticmethod
    def create(workspace: Any, name: str, provisioning_configuration: Any) -> "ComputeTarget":
        if not isinstance(provisioning_configuration, _ProvisioningConfiguration):
            raise_ns("ComputeTarget.create with %s" % type(provisioning_configuration).__name__,
                     "only AmlCompute.provisioning_configuration(...) pools are emulated (local slots)",
                     "compute-targets")
        record = workspace._call("compute/ensure", {"name": name, "maxNodes": provisioning_configuration.max_nodes},
                                 errors=_ERRORS)
        return ComputeTarget._from_record(workspace, record)

    @staticmethod
    def attach(*args: Any, **kwargs: Any) -> Any:
        raise_ns("ComputeTarget.attach", "there is no remote compute to attach; steps run in local slot "
                 "pools of millrace.yml", "compute-targets")

    def wait_for_completion(self, show_output: bool = False, min_node_count: Optional[int] = None,
                            timeout_in_minutes: int = 25, is_delete_operation: bool = False) -> None:
        if show_output:
            print("Succeeded")
            print("AmlCompute wait for completion finished")

    def get_status(self) -> str:
        return "Succeeded"

    def delete(self) -> None:
        raise_ns("ComputeTarget.delete", "pools are entries of millrace.yml; remove the entry there",
                 "compute-targets")

    def detach(self) -> None:
        raise_ns("ComputeTarget.detach", "there is no remote compute to detach", "compute-targets")

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ComputeTarget) and (other._ws, other.name) == (self._ws, self.name)

    def __hash__(self) -> int:
        return hash(self.name)

    def __repr__(self) -> str:
        return "AmlCompute(name=%r, max_concurrency=%r)" % (self.name, self.max_concurrency)


class AmlCompute(ComputeTarget):
    @staticmethod
    def provisioning_configuration(vm_size: str = "", vm_priority: str = "dedicated", min_nodes: int = 0,
                                   max_nodes: Optional[int] = None, idle_seconds_before_scaledown: Optional[int] = None,
                                   admin_username: Optional[str] = None, admin_user_password: Optional[str] = None,
                                   admin_user_ssh_key: Optional[str] = None, vnet_resourcegroup_name: Optional[str] = None,
                                   vnet_name: Optional[str] = None, subnet_name: Optional[str] = None,
                                   tags: Optional[Dict[str, str]] = None, description: Optional[str] = None,
                                   remote_login_port_public_access: str = "NotSpecified",
                                   identity_type: Optional[str] = None, identity_id: Any = None,
                                   location: Optional[str] = None, enable_node_public_ip: bool = True) -> _ProvisioningConfiguration:
        if max_nodes is not None and (isinstance(max_nodes, bool) or not isinstance(max_nodes, int) or max_nodes < 1):
            raise ComputeTargetException("provisioning_configuration: max_nodes must be a whole number >= 1, "
                                         "got %r" % (max_nodes,))
        return _ProvisioningConfiguration(max_nodes, {"vm_size": vm_size, "min_nodes": min_nodes})

    @staticmethod
    def supported_vmsizes(*args: Any, **kwargs: Any) -> Any:
        raise_ns("AmlCompute.supported_vmsizes", "local pools have no VM sizes", "compute-targets")


def _find(workspace: Any, name: str) -> Dict[str, Any]:
    records = workspace._call("compute/list")
    for r in records:
        if r["name"] == name:
            return r
    raise ComputeTargetException("compute target '%s' is not defined in millrace.yml (it has: %s); add it under "
                                 "compute: or create it with ComputeTarget.create" %
                                 (name, ", ".join(r["name"] for r in records)))


from .._millrace.notsupported import module_getattr as _module_getattr  # noqa: E402

__getattr__ = _module_getattr(__name__)
