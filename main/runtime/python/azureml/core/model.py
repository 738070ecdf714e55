"""``Model``: the workspace's model registry (§10.4h): ``models/<name>/<version>/<basename>``."""

import os
import re
import shutil
from typing import Any, Dict, Iterable, List, Optional, Sequence

from .._millrace.notsupported import NSObject, raise_ns
from .._millrace.timefmt import parse_utc
from ..exceptions import UserErrorException, WebserviceException

_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,254}$")
_ERRORS = {"not_found": WebserviceException}


def _strings(values: Optional[Dict[str, Any]]) -> Dict[str, str]:
    return {str(k): str(v) for k, v in (values or {}).items()}


def _filter(records: List[Dict[str, Any]], key: str, wanted: Optional[Sequence[Any]]) -> List[Dict[str, Any]]:
    """SDK filters: a list of keys, or of ``[key, value]`` pairs."""
    if not wanted:
        return records
    out = records
    for item in wanted:
        if isinstance(item, (list, tuple)):
            k, v = str(item[0]), str(item[1]) if len(item) > 1 else None
        else:
            k, v = str(item), None
        out = [r for r in out if k in (r.get(key) or {}) and (v is None or r[key][k] == v)]
    return out


class Model(NSObject):
    def __init__(self, workspace: Any, name: Optional[str] = None, id: Optional[str] = None,  # noqa: A002
                 tags: Optional[Sequence[Any]] = None, properties: Optional[Sequence[Any]] = None,
                 version: Optional[int] = None, run_id: Optional[str] = None, model_framework: Optional[str] = None,
                 expand: bool = True, sas_link: bool = False) -> None:
        if id:
            name, _, v = id.partition(":")
            version = int(v) if v else version
        if not name:
            raise UserErrorException("Model(workspace, name=...) or Model(workspace, id='name:version')")
        if version is not None and not (tags or properties or run_id):
            record = workspace._call("models/get", {"name": name, "version": int(version)}, errors=_ERRORS)
        else:
            found = Model._records(workspace, name, tags, properties, run_id)
            if version is not None:
                found = [r for r in found if r["version"] == int(version)]
            if not found:
                raise WebserviceException("ModelNotFound: no model named %r%s in this workspace"
                                          % (name, " with those tags/properties" if tags or properties else ""),
                                          code="not_found")
            record = found[0]
        self._init(workspace, record)

    def _init(self, workspace: Any, record: Dict[str, Any]) -> None:
        self._ws = workspace
        self._record = record

    @classmethod
    def _from_record(cls, workspace: Any, record: Dict[str, Any]) -> "Model":
        model = cls.__new__(cls)
        model._init(workspace, record)
        return model

    @staticmethod
    def _records(workspace: Any, name: Optional[str], tags: Any, properties: Any, run_id: Optional[str],
                 latest: bool = False) -> List[Dict[str, Any]]:
        records = workspace._call("models/list", {"name": name, "runId": run_id, "latest": latest or None})
        return _filter(_filter(records, "tags", tags), "properties", properties)

    # -- registration -----------------------------------------------------------------
    @staticmethod
    def register(workspace: Any, model_path: str, model_name: str, tags: Optional[Dict[str, Any]] = None,
                 properties: Optional[Dict[str, Any]] = None, description: Optional[str] = None,
                 datasets: Optional[List[Any]] = None, model_framework: Optional[str] = None,
                 model_framework_version: Optional[str] = None, child_paths: Optional[List[str]] = None,
                 sample_input_dataset: Any = None, sample_output_dataset: Any = None,
                 resource_configuration: Any = None, **kwargs: Any) -> "Model":
        if child_paths:
            raise_ns("Model.register(child_paths=...)", "register the folder, or copy the files you want into "
                     "one folder first", "models")
        path = os.path.abspath(model_path)
        if not os.path.exists(path):
            raise UserErrorException("Model.register: model_path %s does not exist" % path)
        run_id = os.environ.get("MILLRACE_RUN_ID") or None
        return Model._register(workspace, model_name, {"path": path}, tags, properties, description, datasets,
                               model_framework, model_framework_version, run_id,
                               os.environ.get("MILLRACE_EXPERIMENT") if run_id else None)

    @staticmethod
    def _register(workspace: Any, name: str, source: Dict[str, Any], tags: Any, properties: Any,
                  description: Optional[str], datasets: Optional[List[Any]], framework: Optional[str],
                  framework_version: Optional[str], run_id: Optional[str], experiment: Optional[str]) -> "Model":
        if not isinstance(name, str) or not _NAME.match(name):
            raise UserErrorException("model name %r must start with a letter or digit and hold only letters, "
                                     "digits, '_', '.' and '-' (at most 255)" % (name,))
        ds = [{"name": n, "id": getattr(d, "id", str(d))} for n, d in (datasets or [])]
        record = workspace._call("models/register", dict(source, **{
            "name": name, "tags": _strings(tags), "properties": _strings(properties), "description": description,
            "datasets": ds or None, "framework": framework, "frameworkVersion": framework_version,
            "runId": run_id, "experiment": experiment}))
        return Model._from_record(workspace, record)

    @staticmethod
    def list(workspace: Any, name: Optional[str] = None, tags: Optional[Sequence[Any]] = None,
             properties: Optional[Sequence[Any]] = None, run_id: Optional[str] = None, latest: bool = False,
             dataset_id: Optional[str] = None, expand: bool = True, page_count: int = 255,
             model_framework: Optional[str] = None) -> List["Model"]:
        records = Model._records(workspace, name, tags, properties, run_id, latest)
        if model_framework:
            records = [r for r in records if r.get("framework") == model_framework]
        return [Model._from_record(workspace, r) for r in records]

    @staticmethod
    def get_model_path(model_name: str, version: Optional[int] = None, _workspace: Any = None) -> str:
        if _workspace is None:
            from .workspace import Workspace
            _workspace = Workspace.from_config()
        args: Dict[str, Any] = {"name": model_name}
        if version is not None:
            args["version"] = int(version)
        return _workspace._call("models/get", args, errors=_ERRORS)["path"]

    # -- the record ----------------------------------------------------------------------
    name = property(lambda self: self._record["name"])
    version = property(lambda self: int(self._record["version"]))
    id = property(lambda self: "%s:%s" % (self._record["name"], self._record["version"]))  # noqa: A003
    description = property(lambda self: self._record.get("description"))
    run_id = property(lambda self: self._record.get("runId"))
    experiment_name = property(lambda self: self._record.get("experiment"))

    @property
    def tags(self) -> Dict[str, str]:
        return dict(self._record.get("tags") or {})

    @property
    def properties(self) -> Dict[str, str]:
        return dict(self._record.get("properties") or {})

    @property
    def created_time(self) -> Any:
        return parse_utc(self._record.get("createdAt"))

    def download(self, target_dir: str = ".", exist_ok: bool = False, exists_ok: Optional[bool] = None) -> str:
        ok = exist_ok if exists_ok is None else exists_ok
        src = self._record["path"]
        dest = os.path.join(os.path.abspath(target_dir), os.path.basename(src))
        if os.path.exists(dest):
            if not ok:
                raise WebserviceException("File %s already exists; pass exist_ok=True to overwrite it" % dest)
            if os.path.isdir(dest) and not os.path.islink(dest):
                shutil.rmtree(dest)
        os.makedirs(os.path.abspath(target_dir), exist_ok=True)
        if os.path.isdir(src):
            shutil.copytree(src, dest)
        else:
            shutil.copy2(src, dest)
        return dest

    def _update(self, **changes: Any) -> None:
        self._record = self._ws._call("models/update", dict(name=self.name, version=self.version, **changes),
                                      errors=_ERRORS)

    def add_tags(self, tags: Dict[str, Any]) -> None:
        new = self.tags
        new.update(_strings(tags))
        self._update(tags=new)

    def remove_tags(self, tags: Iterable[str]) -> None:
        drop = set(tags if not isinstance(tags, str) else [tags])
        self._update(tags={k: v for k, v in self.tags.items() if k not in drop})

    def add_properties(self, properties: Dict[str, Any]) -> None:
        current = self.properties
        for k, v in _strings(properties).items():
            if k in current and current[k] != v:
                raise UserErrorException("model %s: property %r is already %r; properties cannot be changed"
                                         % (self.id, k, current[k]))
        self._update(properties=dict(current, **_strings(properties)))

    def delete(self) -> None:
        self._ws._call("models/delete", {"name": self.name, "version": self.version}, errors=_ERRORS)

    def deploy(self, *args: Any, **kwargs: Any) -> Any:
        raise_ns("Model.deploy", "there are no web services offline; load the model from get_model_path() "
                 "in your own service", "models")

    @staticmethod
    def package(*args: Any, **kwargs: Any) -> Any:
        raise_ns("Model.package", "Millrace builds no images", "models")

    @staticmethod
    def profile(*args: Any, **kwargs: Any) -> Any:
        raise_ns("Model.profile", "there are no web services to profile offline", "models")

    def __repr__(self) -> str:
        return "Model(workspace=%r, name=%s, id=%s, version=%s, tags=%s, properties=%s)" % (
            self._ws, self.name, self.id, self.version, self.tags, self.properties)


from .._millrace.notsupported import module_getattr as _module_getattr  # noqa: E402

__getattr__ = _module_getattr(__name__)
