"""``PipelineParameter`` and ``PortDataReference``."""

import os
import re
from typing import Any, Optional

from ..._millrace.notsupported import NSObject
from ..._millrace.files import copy_file, relative_posix, walk_files
from ...exceptions import UserErrorException

_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")

__all__ = ["PipelineParameter", "PortDataReference"]


class PipelineParameter(NSObject):
    """A value chosen at submit time: ``str`` -> string, ``bool`` -> boolean, ``int`` -> integer,
    ``float`` -> number, ``DataPath`` -> a path on that datastore."""

    def __init__(self, name: str, default_value: Any) -> None:
        from ...data.abstract_dataset import AbstractDataset
        from ...data.datapath import DataPath
        if not isinstance(name, str) or not _NAME.match(name):
            raise UserErrorException("PipelineParameter: name must start with a letter or '_' and hold only "
                                     "letters, digits and '_', got %r" % (name,))
        if isinstance(default_value, AbstractDataset):
            raise UserErrorException("PipelineParameter %r: a Dataset default is not supported; pass the dataset "
                                     "to the step (as_named_input) instead" % name)
        if isinstance(default_value, str) and ("\n" in default_value or "\r" in default_value):
            raise UserErrorException("PipelineParameter %r: the default may not span several lines" % name)
        if not isinstance(default_value, (str, bool, int, float, DataPath)):
            raise UserErrorException("PipelineParameter %r: the default must be a str, int, float, bool or "
                                     "DataPath, got %s" % (name, type(default_value).__name__))
        self.name = name
        self.default_value = default_value

    @property
    def param_type(self) -> str:
        v = self.default_value
        if isinstance(v, bool):
            return "boolean"
        if isinstance(v, int):
            return "integer"
        if isinstance(v, float):
            return "number"
        if isinstance(v, str):
            return "string"
        return "path"

    def __str__(self) -> str:
        return "PipelineParameter_Name:%s_Default:%s" % (self.name, self.default_value)

    def __repr__(self) -> str:
        return "PipelineParameter(name=%r, default_value=%r)" % (self.name, self.default_value)


class PortDataReference(NSObject):
    """A step output of a run: its datastore (as named at build time) and folder on it."""

    def __init__(self, context: Any = None, pipeline_run_id: Optional[str] = None, data_reference: Any = None,
                 step_run: Any = None, *, _name: str = "", _datastore: str = "", _path: str = "",
                 _folder: str = "") -> None:
        self._name, self._datastore, self._path, self._folder = _name, _datastore, _path, _folder

    @property
    def name(self) -> str:
        return self._name

    @property
    def datastore_name(self) -> str:
        return self._datastore

    @property
    def path_on_datastore(self) -> str:
        return self._path

    def download(self, local_path: str, overwrite: bool = False, show_progress: bool = True) -> str:
        dest_root = os.path.join(os.path.abspath(local_path), *self._path.split("/"))
        count = 0
        for f in walk_files(self._folder):
            dest = os.path.join(dest_root, *relative_posix(f, self._folder).split("/"))
            if os.path.exists(dest) and not overwrite:
                if show_progress:
                    print("Skipping %s: it exists (overwrite=False)" % dest)
                continue
            copy_file(f, dest)
            count += 1
            if show_progress:
                print("Downloaded %s" % dest)
        if show_progress:
            print("Downloaded %d files" % count)
        return dest_root

    def __repr__(self) -> str:
        return "$AZUREML_DATAREFERENCE_%s" % self._name


from ..._millrace.notsupported import module_getattr as _module_getattr  # noqa: E402

__getattr__ = _module_getattr(__name__)
