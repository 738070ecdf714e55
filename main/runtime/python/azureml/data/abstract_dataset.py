"""What ``TabularDataset`` and ``FileDataset`` share: a definition (kind, paths, read options), and
once registered a name, a version, a per-version id, a description and tags."""

import os
import tempfile
from typing import Any, Dict, Iterable, List, Optional, Tuple

from .._millrace import datastores as dsmod
from .._millrace import globs
from .._millrace.canon import digest
from .._millrace.files import copy_file, relative_posix
from .._millrace.notsupported import NSObject, raise_ns
from ..exceptions import UserErrorException


class AbstractDataset(NSObject):
    _KIND = "file"

    def __init__(self) -> None:
        raise UserErrorException("create datasets with Dataset.Tabular.from_delimited_files(...), "
                                 "Dataset.File.from_files(...) or Dataset.get_by_name(...)")

    @classmethod
    def _make(cls, ws: Any, paths: List[Tuple[str, str, str]], fmt: Optional[Dict[str, Any]],
              record: Optional[Dict[str, Any]] = None) -> "AbstractDataset":
        ds = cls.__new__(cls)
        ds._ws = ws
        ds._paths = paths  # [(datastore as asked, real name, path)]
        ds._format = fmt
        ds._record = record
        ds._files_override: Optional[List[str]] = None
        ds._prefix_override: Optional[str] = None
        return ds

    @classmethod
    def _from_record(cls, ws: Any, record: Dict[str, Any]) -> "AbstractDataset":
        from .file_dataset import FileDataset
        from .tabular_dataset import TabularDataset
        kind = record.get("kind", "file")
        klass = TabularDataset if kind == "tabular" else FileDataset
        paths = record.get("paths") or [{"datastore": record["datastore"], "path": record.get("path", "")}]
        return klass._make(ws, [(p["datastore"], p["datastore"], p.get("path", "")) for p in paths],
                           record.get("format"), record)

    # -- the definition ----------------------------------------------------------
    def _definition(self) -> Dict[str, Any]:
        d: Dict[str, Any] = {"kind": self._KIND,
                             "paths": [{"datastore": real, "path": p} for _a, real, p in self._paths]}
        if self._format:
            d["format"] = self._format
        return d

    def _check_matches(self) -> None:
        if not self._resolved():
            shown = ", ".join("(%s, %r)" % (a, p) for a, _r, p in self._paths)
            raise UserErrorException("dataset path %s matched no file (validate=True); check the path, or "
                                     "pass validate=False if the data arrives later" % shown)

    def _resolved(self) -> List[Tuple[str, str]]:
        """``(absolute file, path relative to its fixed prefix)``, in sorted path order."""
        if self._files_override is not None:
            prefix = self._prefix_override or os.path.commonpath(self._files_override or ["/"])
            return [(f, relative_posix(f, prefix)) for f in sorted(self._files_override)]
        roots = dsmod.table(self._ws)
        out: Dict[str, str] = {}
        for _asked, real, p in self._paths:
            if real not in roots:
                raise UserErrorException("dataset %s: datastore '%s' is not in millrace.yml" % (self.name, real))
            prefix = globs.fixed_prefix(roots[real], p)
            for f in globs.expand(roots[real], p):
                out.setdefault(f, relative_posix(f, prefix))
        return sorted(out.items())

    # -- identity ----------------------------------------------------------------
    @property
    def name(self) -> Optional[str]:
        return self._record.get("name") if self._record else None

    @property
    def version(self) -> Optional[int]:
        return self._record.get("version") if self._record else None

    @property
    def id(self) -> str:  # noqa: A003 - SDK name
        if self._record and self._record.get("id"):
            return self._record["id"]
        return digest(self._definition())

    @property
    def description(self) -> Optional[str]:
        return self._record.get("description") if self._record else None

    @property
    def tags(self) -> Dict[str, str]:
        return dict((self._record or {}).get("tags") or {})

    # -- registration ----------------------------------------------------------------
    def register(self, workspace: Any, name: str, description: Optional[str] = None,
                 tags: Optional[Dict[str, str]] = None, create_new_version: bool = False) -> "AbstractDataset":
        from ..core.dataset import check_dataset_name
        record = workspace._call("datasets/register", {
            "name": check_dataset_name(name), **self._definition(), "description": description,
            "tags": {str(k): str(v) for k, v in (tags or {}).items()},
            "createNewVersion": bool(create_new_version)})
        return type(self)._from_record(workspace, record)

    def _registered(self, member: str) -> Dict[str, Any]:
        if not self._record:
            raise UserErrorException("%s: register the dataset first (dataset.register(ws, name))" % member)
        return self._record

    def add_tags(self, tags: Optional[Dict[str, str]] = None) -> "AbstractDataset":
        rec = self._registered("add_tags")
        new = dict(rec.get("tags") or {})
        new.update({str(k): str(v) for k, v in (tags or {}).items()})
        return self._set_tags(new)

    def remove_tags(self, tags: Optional[Iterable[str]] = None) -> "AbstractDataset":
        rec = self._registered("remove_tags")
        new = {k: v for k, v in (rec.get("tags") or {}).items() if k not in set(tags or [])}
        return self._set_tags(new)

    def _set_tags(self, tags: Dict[str, str]) -> "AbstractDataset":
        rec = self._record or {}
        self._record = self._ws._call("datasets/set-tags", {"name": rec["name"], "version": rec["version"],
                                                            "tags": tags})
        return self

    # -- consumption by steps ------------------------------------------------------------
    def _input_name(self) -> str:
        from .._millrace.slugs import slug
        return slug(self.name).replace("-", "_") if self.name else "dataset"

    def as_named_input(self, name: str) -> Any:
        from .dataset_consumption_config import DatasetConsumptionConfig
        return DatasetConsumptionConfig(name, self, "direct")

    def as_mount(self, path_on_compute: Optional[str] = None) -> Any:
        from .dataset_consumption_config import DatasetConsumptionConfig
        return DatasetConsumptionConfig(self._input_name(), self, "mount", path_on_compute)

    def as_download(self, path_on_compute: Optional[str] = None) -> Any:
        from .dataset_consumption_config import DatasetConsumptionConfig
        return DatasetConsumptionConfig(self._input_name(), self, "download", path_on_compute)

    # -- the files ----------------------------------------------------------------------
    def to_path(self) -> List[str]:
        return ["/" + rel for _f, rel in self._resolved()]

    def download(self, target_path: Optional[str] = None, overwrite: bool = False) -> List[str]:
        target = os.path.abspath(target_path) if target_path else tempfile.mkdtemp(prefix="dataset-")
        files = self._resolved()
        dests = [os.path.join(target, *rel.split("/")) for _f, rel in files]
        if not overwrite:
            taken = [d for d in dests if os.path.exists(d)]
            if taken:
                raise UserErrorException("download: %s already exists (pass overwrite=True to replace it%s)"
                                         % (taken[0], " and %d more" % (len(taken) - 1) if len(taken) > 1 else ""))
        for (src, _rel), dest in zip(files, dests):
            copy_file(src, dest)
        return dests

    def mount(self, mount_point: Optional[str] = None, **kwargs: Any) -> "_Mount":
        return _Mount(self, mount_point)

    def __repr__(self) -> str:
        return "%s(name=%r, version=%r, id=%r)" % (type(self).__name__, self.name, self.version, self.id)

    # Members of the SDK that need its data engine: NS with a reason rather than the generic one.
    def _engine(self, member: str) -> Any:
        raise_ns("%s.%s" % (type(self).__name__, member), "transformations of the SDK's data engine are not "
                 "emulated; load with to_pandas_dataframe() and transform with pandas", "datasets")

    def take(self, count: int) -> Any:
        return self._engine("take")

    def skip(self, count: int) -> Any:
        return self._engine("skip")

    def filter(self, expression: Any) -> Any:  # noqa: A003
        return self._engine("filter")

    def random_split(self, percentage: float, seed: Any = None) -> Any:
        return self._engine("random_split")


class _Mount:
    """``dataset.mount()``: ``.mount_point`` is a local folder, no copy when the data is one folder."""

    def __init__(self, dataset: AbstractDataset, mount_point: Optional[str]) -> None:
        self._dataset = dataset
        self._requested = mount_point
        self.mount_point: Optional[str] = None
        self._made: Optional[str] = None

    def start(self) -> None:
        ds = self._dataset
        if self._requested is None and ds._files_override is None and len(ds._paths) == 1:
            roots = dsmod.table(ds._ws)
            _a, real, p = ds._paths[0]
            folder = dsmod.join(roots.get(real, ""), p)
            if not globs.has_magic(p) and os.path.isdir(folder):
                self.mount_point = folder
                return
        target = os.path.abspath(self._requested) if self._requested else tempfile.mkdtemp(prefix="mount-")
        for src, rel in ds._resolved():
            dest = os.path.join(target, *rel.split("/"))
            os.makedirs(os.path.dirname(dest), exist_ok=True)
            if not os.path.lexists(dest):
                os.symlink(src, dest)
        self.mount_point = self._made = target

    def stop(self) -> None:
        if self._made:
            import shutil
            if self._requested is None:
                shutil.rmtree(self._made, ignore_errors=True)
            self._made = None

    def __enter__(self) -> "_Mount":
        self.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.stop()


from .._millrace.notsupported import module_getattr as _module_getattr  # noqa: E402

__getattr__ = _module_getattr(__name__)
