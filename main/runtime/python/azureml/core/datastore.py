"""``Datastore``: a folder of millrace.yml, or an SDK alias of one (§10.2)."""

import os
from typing import Any, Dict, List, Optional, Sequence

from .._millrace import datastores as dsmod
from .._millrace.files import copy_file, relative_posix, walk_files
from .._millrace.notsupported import NSObject, raise_ns
from .._millrace.warn import warn_once
from ..exceptions import UserErrorException

_TYPES = {"workspacefilestore": "AzureFile"}


class _FolderPath(str):
    """``ds.path`` prints the absolute folder; ``ds.path("sub")`` is the SDK's ``DataReference`` factory."""

    def __new__(cls, folder: str, datastore: "Datastore") -> "_FolderPath":
        obj = super().__new__(cls, folder)
        obj._datastore = datastore  # type: ignore[attr-defined]
        return obj

    def __call__(self, path: Optional[str] = None, data_reference_name: Optional[str] = None) -> Any:
        from ..data.data_reference import DataReference
        return DataReference(self._datastore, data_reference_name, path or "")  # type: ignore[attr-defined]


class Datastore(NSObject):
    def __init__(self, workspace: Any, name: Optional[str] = None) -> None:
        asked = name or "default"
        real, folder = dsmod.resolve(workspace, asked)
        self._ws = workspace
        self._name = asked
        self._real = real
        self._folder = folder

    @staticmethod
    def get(workspace: Any, datastore_name: str) -> "Datastore":
        return Datastore(workspace, datastore_name)

    @staticmethod
    def get_default(workspace: Any) -> "Datastore":
        return Datastore(workspace, "default")

    @staticmethod
    def _all(workspace: Any) -> Dict[str, "Datastore"]:
        real = dsmod.table(workspace)
        out: Dict[str, Datastore] = {}
        for name in dsmod.names_with_aliases(real):
            ds = Datastore.__new__(Datastore)
            ds._ws, ds._name = workspace, name
            ds._real = dsmod.real_name(name, real)
            ds._folder = real[ds._real]
            out[name] = ds
        return out

    # -- identity --------------------------------------------------------------
    @property
    def name(self) -> str:
        return self._name

    @property
    def datastore_type(self) -> str:
        return _TYPES.get(self._name, "AzureBlob")

    @property
    def path(self) -> _FolderPath:
        return _FolderPath(self._folder, self)

    def __repr__(self) -> str:
        return "Datastore(name=%r, path=%r)" % (self._name, self._folder)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Datastore) and (other._ws, other._real) == (self._ws, self._real)

    def __hash__(self) -> int:
        return hash(self._folder)

    # -- registration (local folders; credentials ignored) -------------------------
    @staticmethod
    def _register(workspace: Any, datastore_name: str, kind: str) -> "Datastore":
        record = workspace._call("datastores/register", {"name": datastore_name, "kind": kind})
        warn_once("datastore '%s' is the local folder %s: nothing is read from or written to Azure storage, "
                  "and credentials are ignored (never stored)" % (datastore_name, record["path"]),
                  key="datastore-register:" + datastore_name)
        return Datastore(workspace, datastore_name)

    @staticmethod
    def register_azure_blob_container(workspace: Any, datastore_name: str, container_name: Optional[str] = None,
                                      account_name: Optional[str] = None, sas_token: Optional[str] = None,
                                      account_key: Optional[str] = None, protocol: Optional[str] = None,
                                      endpoint: Optional[str] = None, overwrite: bool = False,
                                      create_if_not_exists: bool = False, skip_validation: bool = False,
                                      blob_cache_timeout: Optional[int] = None, grant_workspace_access: bool = False,
                                      subscription_id: Optional[str] = None,
                                      resource_group: Optional[str] = None) -> "Datastore":
        return Datastore._register(workspace, datastore_name, "blob")

    @staticmethod
    def register_azure_file_share(workspace: Any, datastore_name: str, file_share_name: Optional[str] = None,
                                  account_name: Optional[str] = None, sas_token: Optional[str] = None,
                                  account_key: Optional[str] = None, protocol: Optional[str] = None,
                                  endpoint: Optional[str] = None, overwrite: bool = False,
                                  create_if_not_exists: bool = False, skip_validation: bool = False) -> "Datastore":
        return Datastore._register(workspace, datastore_name, "file")

    @staticmethod
    def register_azure_data_lake(*args: Any, **kwargs: Any) -> Any:
        raise_ns("Datastore.register_azure_data_lake", _OTHER_KINDS, "datastores")

    @staticmethod
    def register_azure_data_lake_gen2(*args: Any, **kwargs: Any) -> Any:
        raise_ns("Datastore.register_azure_data_lake_gen2", _OTHER_KINDS, "datastores")

    @staticmethod
    def register_azure_sql_database(*args: Any, **kwargs: Any) -> Any:
        raise_ns("Datastore.register_azure_sql_database", _OTHER_KINDS, "datastores")

    @staticmethod
    def register_azure_postgre_sql(*args: Any, **kwargs: Any) -> Any:
        raise_ns("Datastore.register_azure_postgre_sql", _OTHER_KINDS, "datastores")

    @staticmethod
    def register_azure_my_sql(*args: Any, **kwargs: Any) -> Any:
        raise_ns("Datastore.register_azure_my_sql", _OTHER_KINDS, "datastores")

    @staticmethod
    def register_dbfs(*args: Any, **kwargs: Any) -> Any:
        raise_ns("Datastore.register_dbfs", _OTHER_KINDS, "datastores")

    @staticmethod
    def register_hdfs(*args: Any, **kwargs: Any) -> Any:
        raise_ns("Datastore.register_hdfs", _OTHER_KINDS, "datastores")

    def unregister(self) -> None:
        raise_ns("Datastore.unregister", "datastores are entries of millrace.yml; remove the entry there",
                 "datastores")

    # -- copying in and out ------------------------------------------------------
    def _target(self, target_path: Optional[str]) -> str:
        return dsmod.check_relative(target_path or "", "target_path")

    def upload_files(self, files: Sequence[str], relative_root: Optional[str] = None,
                     target_path: Optional[str] = None, overwrite: bool = False, show_progress: bool = True) -> Any:
        if isinstance(files, str):
            raise UserErrorException("upload_files: files must be a list of file paths, got the string %r" % files)
        sources = [os.path.abspath(f) for f in files]
        for f in sources:
            if not os.path.isfile(f):
                raise UserErrorException("upload_files: %s is not a file" % f)
        root = os.path.abspath(relative_root) if relative_root else (
            os.path.commonpath([os.path.dirname(f) for f in sources]) if sources else os.getcwd())
        target = self._target(target_path)
        pairs = []
        for f in sources:
            rel = relative_posix(f, root)
            if rel.startswith("../"):
                raise UserErrorException("upload_files: %s is not under relative_root %s" % (f, root))
            pairs.append((f, rel))
        self._copy_in(pairs, target, overwrite, show_progress)
        return self.path(target)

    def upload(self, src_dir: str, target_path: Optional[str] = None, overwrite: bool = False,
               show_progress: bool = True) -> Any:
        src = os.path.abspath(src_dir)
        if not os.path.isdir(src):
            raise UserErrorException("upload: %s is not a folder" % src)
        target = self._target(target_path)
        self._copy_in([(f, relative_posix(f, src)) for f in walk_files(src)], target, overwrite, show_progress)
        return self.path(target)

    def _copy_in(self, pairs: List[Any], target: str, overwrite: bool, show_progress: bool) -> None:
        done = 0
        for src, rel in pairs:
            dest = dsmod.join(self._folder, "/".join(p for p in (target, rel) if p))
            if os.path.exists(dest) and not overwrite:
                print("Skipping %s: it exists on datastore %s (overwrite=False)" % (rel, self._name))
                continue
            copy_file(src, dest)
            done += 1
            if show_progress:
                print("Uploaded %s, %d files out of an estimated total of %d" % (src, done, len(pairs)))
        if show_progress:
            print("Uploaded %d files" % done)

    def download(self, target_path: str, prefix: Optional[str] = None, overwrite: bool = False,
                 show_progress: bool = True) -> int:
        start = (prefix or "").replace("\\", "/").lstrip("/")
        count = 0
        for f in walk_files(self._folder):
            rel = relative_posix(f, self._folder)
            if not rel.startswith(start):
                continue
            dest = os.path.join(os.path.abspath(target_path), *rel.split("/"))
            if os.path.exists(dest) and not overwrite:
                print("Skipping %s: it exists (overwrite=False)" % dest)
                continue
            copy_file(f, dest)
            count += 1
            if show_progress:
                print("Downloaded %s" % rel)
        if show_progress:
            print("Downloaded %d files" % count)
        return count

    # -- step inputs ----------------------------------------------------------------------
    def as_mount(self) -> Any:
        return self.path().as_mount()

    def as_download(self, path_on_compute: Optional[str] = None) -> Any:
        return self.path().as_download(path_on_compute)


_OTHER_KINDS = ("only blob containers and file shares are emulated (as local folders); add any other "
                "folder to millrace.yml's datastores")


from .._millrace.notsupported import module_getattr as _module_getattr  # noqa: E402

__getattr__ = _module_getattr(__name__)
