"""``OutputFileDatasetConfig``: a step output folder, on the default datastore or a ``destination``."""

import re
from typing import Any, Dict, List, Optional, Tuple

from .._millrace import formats
from .._millrace.bindings import StepOutputInput
from .._millrace.datastores import check_relative
from .._millrace.notsupported import NSObject, raise_ns
from ..exceptions import UserErrorException

_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


class OutputFileDatasetConfig(NSObject):
    """A fresh folder ``<datastore>/azureml/<stepRunId>/<name>`` per step run, or ``destination``
    (``(datastore, "path")`` where ``{run-id}`` and ``{output-name}`` are replaced)."""

    def __init__(self, name: Optional[str] = None, destination: Optional[Tuple[Any, str]] = None,
                 source: Optional[str] = None, partition_format: Optional[str] = None) -> None:
        if name is not None and not _NAME.match(name):
            raise UserErrorException("OutputFileDatasetConfig: name must start with a letter or '_' and hold "
                                     "only letters, digits and '_', got %r" % (name,))
        if source is not None:
            raise_ns("OutputFileDatasetConfig(source=...)", "steps write straight into the output folder "
                     "they get as an argument; there is no compute-side folder to copy from", "steps-and-data")
        if partition_format is not None:
            raise_ns("OutputFileDatasetConfig(partition_format=...)", "partitioned outputs are not "
                     "emulated", "steps-and-data")
        self._name = name
        self.destination: Optional[Tuple[Any, str]] = None
        if destination is not None:
            if not (isinstance(destination, tuple) and len(destination) == 2 and hasattr(destination[0], "_real")):
                raise UserErrorException("OutputFileDatasetConfig: destination must be (datastore, 'path'), "
                                         "got %r" % (destination,))
            self.destination = (destination[0], check_relative(destination[1], "destination path"))
        self.mode = "mount"
        self.upload_overwrite = False
        self.source_globs: Optional[List[str]] = None
        self._register: Optional[Dict[str, Any]] = None
        self._tabular: Optional[Dict[str, Any]] = None
        self._auto_name: Optional[str] = None  # set by the compiler when name is None

    @property
    def name(self) -> Optional[str]:
        return self._name or self._auto_name

    def as_mount(self, disable_metadata_cache: bool = False) -> "OutputFileDatasetConfig":
        self.mode = "mount"
        return self

    def as_upload(self, overwrite: bool = False, source_globs: Optional[List[str]] = None) -> "OutputFileDatasetConfig":
        # The step writes in place either way; a failed step's files stay.
        self.mode = "upload"
        self.upload_overwrite = overwrite
        self.source_globs = list(source_globs) if source_globs else None
        return self

    def as_input(self, name: Optional[str] = None) -> StepOutputInput:
        return StepOutputInput(self, name, "mount", None, self._tabular)

    def read_delimited_files(self, include_path: bool = False, separator: str = ",", header: Any = True,
                             partition_format: Optional[str] = None, path_glob: Optional[str] = None,
                             set_column_types: Any = None) -> "OutputTabularDatasetConfig":
        _no_partitions("read_delimited_files", partition_format, set_column_types)
        return OutputTabularDatasetConfig(self, formats.delimited(separator, header, "utf8", include_path, path_glob))

    def read_parquet_files(self, include_path: bool = False, partition_format: Optional[str] = None,
                           path_glob: Optional[str] = None, set_column_types: Any = None) -> "OutputTabularDatasetConfig":
        _no_partitions("read_parquet_files", partition_format, set_column_types)
        return OutputTabularDatasetConfig(self, formats.parquet(include_path, path_glob))

    def register_on_complete(self, name: str, description: Optional[str] = None,
                             tags: Optional[Dict[str, str]] = None) -> "OutputFileDatasetConfig":
        from ..core.dataset import check_dataset_name
        self._register = {"name": check_dataset_name(name), "description": description,
                          "tags": {str(k): str(v) for k, v in (tags or {}).items()}}
        return self

    def __repr__(self) -> str:
        return "OutputFileDatasetConfig(name=%r)" % (self.name,)


class OutputTabularDatasetConfig(NSObject):
    """The same output read as a table by its consumers (``read_delimited_files`` / ``read_parquet_files``)."""

    def __init__(self, output: OutputFileDatasetConfig, fmt: Dict[str, Any]) -> None:
        self._output = output
        self._format = fmt
        output._tabular = fmt

    @property
    def name(self) -> Optional[str]:
        return self._output.name

    def as_input(self, name: Optional[str] = None) -> StepOutputInput:
        return StepOutputInput(self._output, name, "direct", None, self._format)

    def as_mount(self) -> "OutputTabularDatasetConfig":
        self._output.as_mount()
        return self

    def as_upload(self, overwrite: bool = False, source_globs: Optional[List[str]] = None) -> "OutputTabularDatasetConfig":
        self._output.as_upload(overwrite, source_globs)
        return self

    def register_on_complete(self, name: str, description: Optional[str] = None,
                             tags: Optional[Dict[str, str]] = None) -> "OutputTabularDatasetConfig":
        self._output.register_on_complete(name, description, tags)
        return self

    def __repr__(self) -> str:
        return "OutputTabularDatasetConfig(name=%r)" % (self.name,)


def _no_partitions(member: str, partition_format: Any, set_column_types: Any) -> None:
    if partition_format is not None:
        raise_ns("%s(partition_format=...)" % member, "partitioned outputs are not emulated", "steps-and-data")
    if set_column_types is not None:
        raise_ns("%s(set_column_types=...)" % member, "column types are inferred by pandas when the table "
                 "is read", "datasets")


from .._millrace.notsupported import module_getattr as _module_getattr  # noqa: E402

__getattr__ = _module_getattr(__name__)
