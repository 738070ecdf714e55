"""``DataReference``: a fixed path on a datastore, given to a step as an input (it must exist at submit)."""

from typing import Any, Optional

from .._millrace.datastores import check_relative
from .._millrace.notsupported import NSObject, raise_ns
from ..exceptions import UserErrorException

MODES = ("mount", "download")


class DataReference(NSObject):
    def __init__(self, datastore: Any, data_reference_name: Optional[str] = None,
                 path_on_datastore: Optional[str] = None, mode: str = "mount",
                 path_on_compute: Optional[str] = None, overwrite: bool = False) -> None:
        if datastore is None or not hasattr(datastore, "_real"):
            raise UserErrorException("DataReference: datastore must be a Datastore (e.g. "
                                     "ws.get_default_datastore()), got %r" % (datastore,))
        if mode not in MODES:
            if mode == "upload":
                raise_ns("DataReference(mode='upload')", "a DataReference is an input; write step "
                         "outputs to a PipelineData or an OutputFileDatasetConfig", "steps-and-data")
            raise UserErrorException("DataReference: mode must be 'mount' or 'download', got %r" % (mode,))
        self.datastore = datastore
        self.path_on_datastore = check_relative(path_on_datastore or "", "DataReference path_on_datastore") \
            if path_on_datastore is not None else None
        self.data_reference_name = data_reference_name or datastore.name
        self.mode = mode
        self.path_on_compute = path_on_compute
        self.overwrite = overwrite

    @property
    def datastore_name(self) -> str:
        return self.datastore.name

    def _copy(self, **changes: Any) -> "DataReference":
        ref = DataReference.__new__(DataReference)
        ref.__dict__.update(self.__dict__)
        ref.__dict__.update(changes)
        return ref

    def as_mount(self) -> "DataReference":
        return self._copy(mode="mount")

    def as_download(self, path_on_compute: Optional[str] = None, overwrite: bool = False) -> "DataReference":
        return self._copy(mode="download", path_on_compute=path_on_compute or self.path_on_compute,
                          overwrite=overwrite)

    def as_upload(self, path_on_compute: Optional[str] = None, overwrite: bool = False) -> Any:
        raise_ns("DataReference.as_upload", "a DataReference is an input; write step outputs to a "
                 "PipelineData or an OutputFileDatasetConfig", "steps-and-data")

    def path(self, path: Optional[str] = None, data_reference_name: Optional[str] = None) -> "DataReference":
        sub = check_relative(path or "", "DataReference.path")
        joined = "/".join(p for p in (self.path_on_datastore or "", sub) if p)
        return self._copy(path_on_datastore=joined,
                          data_reference_name=data_reference_name or self.data_reference_name)

    def __str__(self) -> str:
        return "$AZUREML_DATAREFERENCE_%s" % self.data_reference_name

    def __repr__(self) -> str:
        return "$AZUREML_DATAREFERENCE_%s" % self.data_reference_name


from .._millrace.notsupported import module_getattr as _module_getattr  # noqa: E402

__getattr__ = _module_getattr(__name__)
