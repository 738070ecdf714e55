"""``DataPath`` (a datastore path value that need not exist) and ``DataPathComputeBinding``."""

from typing import Any, Optional

from .._millrace.datastores import check_relative
from .._millrace.notsupported import NSObject
from ..exceptions import UserErrorException
from .data_reference import MODES, DataReference


class DataPath(NSObject):
    def __init__(self, datastore: Any = None, path_on_datastore: Optional[str] = None,
                 name: Optional[str] = None) -> None:
        if datastore is None or not hasattr(datastore, "_real"):
            raise UserErrorException("DataPath: datastore must be a Datastore, got %r" % (datastore,))
        self._datastore = datastore
        self._path = check_relative(path_on_datastore or "", "DataPath path_on_datastore")
        self._name = name

    @property
    def datastore_name(self) -> str:
        return self._datastore.name

    @property
    def path_on_datastore(self) -> str:
        return self._path

    @property
    def name(self) -> Optional[str]:
        return self._name

    def create_data_reference(self, data_reference_name: Optional[str] = None,
                              datapath_compute_binding: Optional["DataPathComputeBinding"] = None) -> DataReference:
        binding = datapath_compute_binding or DataPathComputeBinding()
        return DataReference(self._datastore, data_reference_name or self._name, self._path,
                             binding.mode, binding.path_on_compute, binding.overwrite)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, DataPath) and (other.datastore_name, other._path) == (self.datastore_name, self._path)

    def __hash__(self) -> int:
        return hash((self.datastore_name, self._path))

    def __repr__(self) -> str:
        return "DataPath(datastore=%r, path_on_datastore=%r)" % (self.datastore_name, self._path)


class DataPathComputeBinding(NSObject):
    def __init__(self, mode: str = "mount", path_on_compute: Optional[str] = None, overwrite: bool = False) -> None:
        if mode not in MODES:
            raise UserErrorException("DataPathComputeBinding: mode must be 'mount' or 'download', got %r" % (mode,))
        self.mode = mode
        self.path_on_compute = path_on_compute
        self.overwrite = overwrite


from .._millrace.notsupported import module_getattr as _module_getattr  # noqa: E402

__getattr__ = _module_getattr(__name__)
