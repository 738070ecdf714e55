"""``Run.get_context()``: the live step run inside Millrace, the offline run elsewhere.

The live run writes through ``millrace.Run.get_context()``'s writer (docs/run-context.md), so a script
may mix ``millrace.Run`` and ``azureml.core.Run`` and every record lands once, in order.
"""

import json
import os
from typing import Any, Dict, Iterable, Mapping, Optional, Union

import millrace
from millrace._encode import encode_record, now_ms

from .._millrace.files import walk_files
from ..exceptions import UserErrorException
from .run import Run

_context: Optional[Run] = None


def context_run(allow_offline: bool) -> Run:
    global _context
    run_id = os.environ.get("MILLRACE_RUN_ID")
    if _context is not None and (_context.id == run_id or (not run_id and isinstance(_context, _OfflineRun))):
        return _context
    inner = millrace.Run.get_context(allow_offline=allow_offline)
    _context = _LiveRun(inner) if run_id else _OfflineRun(inner)
    return _context


def input_values(entries: Mapping[str, Any], ws: Any) -> Dict[str, Any]:
    """``run.input_datasets``: a path (``str``) per input, a dataset object for ``mode: direct`` inputs."""
    from ..data.abstract_dataset import AbstractDataset
    from ..data.file_dataset import FileDataset
    from ..data.tabular_dataset import TabularDataset
    out: Dict[str, Any] = {}
    for name, entry in entries.items():
        if isinstance(entry, str):
            out[name] = entry
            continue
        path = entry.get("path", "")
        if entry.get("mode") != "direct":
            out[name] = path
            continue
        klass = TabularDataset if entry.get("kind") == "tabular" else FileDataset
        record = None
        if entry.get("datasetName"):
            record = {"name": entry["datasetName"], "version": entry.get("datasetVersion"),
                      "id": entry.get("datasetId")}
        ds: AbstractDataset = klass._make(ws, [], entry.get("format"), record)
        files = entry.get("files")
        ds._files_override = list(files) if isinstance(files, list) else (
            [path] if os.path.isfile(path) else walk_files(path))
        ds._prefix_override = path if os.path.isdir(path) else os.path.dirname(path)
        if record is None and entry.get("datasetId"):
            ds._record = {"id": entry["datasetId"]}
        out[name] = ds
    return out


class _Inputs(dict):
    """A read-only dict whose missing keys say which names exist."""

    def __missing__(self, key: str) -> Any:
        raise KeyError("no input or output named %r; available: %s" % (key, ", ".join(sorted(self)) or "none"))

    def _readonly(self, *args: Any, **kwargs: Any) -> None:
        raise TypeError("run.input_datasets and run.output_datasets are read-only")

    __setitem__ = __delitem__ = update = pop = popitem = clear = setdefault = _readonly  # type: ignore[assignment]


def _env_json(var: str) -> Dict[str, Any]:
    try:
        data = json.loads(os.environ.get(var) or "{}")
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


class _LiveRun(Run):
    _TYPE = "azureml.StepRun"

    def __init__(self, inner: Any) -> None:
        from .workspace import Workspace
        env = os.environ
        self._m = inner
        self._id = inner.id
        self._parent_id = env.get("MILLRACE_PARENT_RUN_ID") or None
        self._experiment_name_value = env.get("MILLRACE_EXPERIMENT") or "Default"
        folder = env.get("MILLRACE_WORKSPACE")
        self._ws = Workspace._at(folder) if folder else Workspace._at(os.getcwd())
        self._rec = None
        self._parent_handle: Optional[Run] = None
        self._inputs: Optional[_Inputs] = None

    @property
    def name(self) -> str:
        return self._record().get("name") or os.environ.get("MILLRACE_STEP") or self._id

    @property
    def experiment(self) -> Any:
        from .experiment import Experiment
        return Experiment(self._ws, self._experiment_name_value)

    def _experiment_name(self) -> str:  # type: ignore[override]
        return self._experiment_name_value

    @property
    def parent(self) -> Optional[Run]:
        if not self._parent_id:
            return None
        if self._parent_handle is None:
            from ..pipeline.core.run import PipelineRun
            handle = object.__new__(PipelineRun)
            handle._ws, handle._id, handle._rec = self._ws, self._parent_id, None
            handle._local = self._m.parent  # log* and tag on it land on the pipeline run
            self._parent_handle = handle
        return self._parent_handle

    def get_status(self) -> str:
        return "Running"

    @property
    def input_datasets(self) -> Dict[str, Any]:
        if self._inputs is None:
            self._inputs = _Inputs(input_values(_env_json("MILLRACE_INPUTS"), self._ws))
        return self._inputs

    @property
    def output_datasets(self) -> Dict[str, Any]:
        outs = _env_json("MILLRACE_OUTPUTS")
        return _Inputs({k: (v.get("path") if isinstance(v, dict) else v) for k, v in outs.items()})

    # -- logging: the millrace writer ----------------------------------------------------
    def log(self, name: str, value: Any, description: str = "", step: Optional[int] = None) -> None:
        self._m.log(name, value, description, step)

    def log_list(self, name: str, value: Iterable[Any], description: str = "") -> None:
        self._m.log_list(name, value, description)

    def log_row(self, name: str, description: Optional[str] = None, **kwargs: Any) -> None:
        self._m.log_row(name, description, **kwargs)

    def log_table(self, name: str, value: Mapping[str, Any], description: str = "") -> None:
        self._m.log_table(name, value, description)

    def log_image(self, name: str, path: Any = None, plot: Any = None, description: str = "") -> str:
        if plot is not None and path is None:
            from .._millrace.pandas_need import need_matplotlib
            need_matplotlib("Run.log_image(plot=...)")
        return self._m.log_image(name, path, plot, description)

    def tag(self, key: str, value: Any = None) -> None:
        self._m.tag(key, value)

    def set_tags(self, tags: Union[Mapping[str, Any], Iterable[str]]) -> None:
        self._m.set_tags(tags)

    def upload_file(self, name: str, path_or_stream: Any, datastore_name: Optional[str] = None) -> Any:
        return self._m.upload_file(name, path_or_stream)

    def upload_files(self, names: Any, paths: Any, return_artifacts: bool = False, timeout_seconds: Any = None,
                     datastore_name: Optional[str] = None) -> Any:
        return self._m.upload_files(names, paths)

    def upload_folder(self, name: str, path: Any, datastore_name: Optional[str] = None) -> Any:
        return self._m.upload_folder(name, path)

    def flush(self, timeout_seconds: int = 300) -> None:
        self._m.flush()

    def complete(self, _set_status: bool = True) -> None:
        self._m.complete()

    def fail(self, error_details: Any = None, error_code: Optional[str] = None, _set_status: bool = True) -> None:
        message = str(error_details) if error_details is not None else "run.fail() was called"
        record = {"name": "status", "kind": "status", "value": "Failed", "error": message, "ts": now_ms()}
        if error_code:
            record["code"] = str(error_code)
        self._m._writer.write(encode_record(record))
        self._m.flush()

    def get_metrics(self, name: Optional[str] = None, recursive: bool = False, run_type: Any = None,
                    populate: bool = False) -> Dict[str, Any]:
        return self._m.get_metrics(name)

    def get_tags(self) -> Dict[str, Any]:
        return self._m.get_tags()

    def _model_source(self, model_path: str) -> Dict[str, Any]:
        # A model written to ./outputs is collected only when the step ends: look in the working copy first.
        rel = model_path.replace("\\", "/").strip("/")
        candidates = [os.path.abspath(rel)]
        run_dir = os.environ.get("MILLRACE_RUN_DIR")
        if run_dir:
            tail = rel[len("outputs/"):] if rel.startswith("outputs/") else rel
            candidates.append(os.path.join(run_dir, "outputs", *tail.split("/")) if tail != "outputs"
                              else os.path.join(run_dir, "outputs"))
        for c in candidates:
            if os.path.exists(c):
                return {"path": c}
        return {"runId": self._id, "artifactPath": rel}

    def __repr__(self) -> str:
        return "Run(Experiment: %s,\nId: %s,\nType: %s,\nStatus: Running)" % (self._experiment_name_value, self._id,
                                                                               self._TYPE)


class _OfflineRun(Run):
    """Outside Millrace: prints what it would log (docs/run-context.md); never needs a workspace."""

    _TYPE = "azureml._OfflineRun"

    def __init__(self, inner: Any) -> None:
        self._m = inner
        self._id = inner.id
        self._rec = {"id": inner.id, "status": "Running", "experiment": "offline"}
        self._properties: Dict[str, str] = {}

    def _record(self, fresh: bool = False) -> Dict[str, Any]:
        return self._rec  # type: ignore[return-value]

    @property
    def name(self) -> str:
        return self._id

    @property
    def experiment(self) -> Any:
        from .experiment import Experiment
        exp = Experiment.__new__(Experiment)
        exp._name, exp._ws = "offline", None
        return exp

    @property
    def parent(self) -> Optional[Run]:
        return None

    def get_status(self) -> str:
        return "Running"

    def get_details(self) -> Dict[str, Any]:
        return {"runId": self._id, "target": "local", "status": "Running", "startTimeUtc": None,
                "endTimeUtc": None, "properties": dict(self._properties), "tags": {}, "inputDatasets": [],
                "outputDatasets": [], "logFiles": {}, "submittedBy": ""}

    input_datasets = property(lambda self: _Inputs())  # type: ignore[assignment]
    output_datasets = property(lambda self: _Inputs())  # type: ignore[assignment]
    log = _LiveRun.log
    log_list = _LiveRun.log_list
    log_row = _LiveRun.log_row
    log_table = _LiveRun.log_table
    tag = _LiveRun.tag
    set_tags = _LiveRun.set_tags
    upload_file = _LiveRun.upload_file
    upload_files = _LiveRun.upload_files
    upload_folder = _LiveRun.upload_folder
    flush = _LiveRun.flush
    complete = _LiveRun.complete
    get_metrics = _LiveRun.get_metrics
    get_tags = _LiveRun.get_tags

    def log_image(self, name: str, path: Any = None, plot: Any = None, description: str = "") -> str:
        return self._m.log_image(name, path, plot, description)

    def fail(self, error_details: Any = None, error_code: Optional[str] = None, _set_status: bool = True) -> None:
        print("Attempted to fail run:\n%s" % (error_details,))

    def add_properties(self, properties: Dict[str, Any]) -> None:
        for k, v in properties.items():
            if str(k) in self._properties and self._properties[str(k)] != str(v):
                raise UserErrorException("property %r is already %r; properties cannot be changed"
                                         % (k, self._properties[str(k)]))
            self._properties[str(k)] = str(v)

    def get_properties(self) -> Dict[str, str]:
        return dict(self._properties)

    def get_file_names(self) -> list:
        return []

    def cancel(self) -> None:
        pass

    def register_model(self, model_name: str, model_path: Optional[str] = None, **kwargs: Any) -> Any:
        raise UserErrorException("Run.register_model: not running inside a Millrace step (this is an offline "
                                 "run); register with Model.register(ws, model_path, model_name)")

    def wait_for_completion(self, show_output: bool = False, wait_post_processing: bool = False,
                            raise_on_error: bool = True) -> Dict[str, Any]:
        return self.get_details()

    def __repr__(self) -> str:
        return "_OfflineRun(id=%r)" % self._id
