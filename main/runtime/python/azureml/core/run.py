"""``Run``: a handle on a stored run (notebook side), the live step run and the offline run.

``Run.get_context()`` inside a step is the live step run, sharing ``millrace.Run``'s metrics writer, so
one script may use both. ``Run(experiment, run_id)`` / ``Run.get(ws, run_id)`` return ``PipelineRun`` or
``StepRun`` handles by the run's kind, read through the bridge (``sdk/run``).
"""

import os
import time
from typing import Any, Dict, Iterable, List, Optional, Union

from .._millrace import run_details, status as words
from .._millrace.files import copy_file
from .._millrace.notsupported import NSObject, raise_ns
from ..exceptions import ActivityFailedException, UserErrorException

POLL_S = 0.5


def _fetch(ws: Any, run_id: str) -> Dict[str, Any]:
    if not isinstance(run_id, str) or not run_id:
        raise UserErrorException("run_id must be a non-empty string, got %r" % (run_id,))
    return ws._call("sdk/run", {"id": run_id})


def _metrics(ws: Any, run_id: str) -> Dict[str, Dict[str, Any]]:
    """Every value of each metric (``sdk/run-metrics``), by run id: the run and, for a pipeline, its steps.
    ``sdk/run`` carries bounded summaries only: it is what waiting polls."""
    return {rid: run_details.azure_metrics(m or {}) for rid, m in ws._call("sdk/run-metrics", {"id": run_id}).items()}


def _class_for(rec: Dict[str, Any]) -> type:
    from ..pipeline.core.run import PipelineRun, StepRun
    if rec.get("kind") == "step":
        return StepRun
    if (rec.get("xAzureml") or {}).get("submitted_as") == "ScriptRunConfig":
        return ScriptRun
    return PipelineRun


class Run(NSObject):
    """A run of the workspace. ``type`` tells which: ``azureml.PipelineRun``, ``azureml.StepRun``, ..."""

    _TYPE = "azureml.scriptrun"

    def __new__(cls, experiment: Any = None, run_id: Optional[str] = None, outputs: Any = None, **kwargs: Any) -> "Run":
        if cls is Run and experiment is not None and run_id is not None:
            rec = _fetch(experiment.workspace, run_id)
            obj = object.__new__(_class_for(rec))
            obj._attach(experiment.workspace, rec)
            return obj  # type: ignore[return-value]
        return object.__new__(cls)

    def __init__(self, experiment: Any, run_id: str, outputs: Any = None, **kwargs: Any) -> None:
        if getattr(self, "_rec", None) is not None:
            return
        self._attach(experiment.workspace, _fetch(experiment.workspace, run_id))

    def _attach(self, ws: Any, rec: Dict[str, Any]) -> None:
        self._ws = ws
        self._id = rec["id"]
        self._rec: Optional[Dict[str, Any]] = rec

    @classmethod
    def _handle(cls, ws: Any, rec: Dict[str, Any]) -> "Run":
        obj = object.__new__(_class_for(rec) if cls is Run else cls)
        obj._attach(ws, rec)
        return obj

    @staticmethod
    def get(workspace: Any, run_id: str) -> "Run":
        return Run._handle(workspace, _fetch(workspace, run_id))

    @classmethod
    def get_context(cls, allow_offline: bool = True, used_for_context_manager: bool = False, **kwargs: Any) -> "Run":
        from ._context_run import context_run
        return context_run(allow_offline)

    # -- the record ------------------------------------------------------------------
    def _record(self, fresh: bool = False) -> Dict[str, Any]:
        if fresh or self._rec is None:
            self._rec = _fetch(self._ws, self._id)
        return self._rec

    @property
    def id(self) -> str:  # noqa: A003 - SDK name
        return self._id

    @property
    def name(self) -> str:
        return self._record().get("name") or self._id

    @property
    def type(self) -> str:  # noqa: A003 - SDK name
        return self._TYPE

    @property
    def experiment(self) -> Any:
        from .experiment import Experiment
        return Experiment(self._ws, self._record()["experiment"])

    @property
    def parent(self) -> Optional["Run"]:
        parent_id = self._record().get("parentId")
        return Run.get(self._ws, parent_id) if parent_id else None

    def _word(self, status: str) -> str:
        return words.details_word(status)

    def get_status(self) -> str:
        return self._word(self._record(fresh=True)["status"])

    def get_details(self) -> Dict[str, Any]:
        return run_details.details(self._record(fresh=True))

    def get_metrics(self, name: Optional[str] = None, recursive: bool = False, run_type: Any = None,
                    populate: bool = False) -> Dict[str, Any]:
        metrics = _metrics(self._ws, self._id).get(self._id, {})
        return {k: v for k, v in metrics.items() if name is None or k == name}

    def get_tags(self) -> Dict[str, Any]:
        return dict(self._record(fresh=True).get("tags") or {})

    def tag(self, key: str, value: Any = None) -> None:
        self._set_tags({key: None if value is None else str(value)})

    def set_tags(self, tags: Union[Dict[str, Any], Iterable[str]]) -> None:
        items = tags.items() if isinstance(tags, dict) else ((k, None) for k in tags)
        self._set_tags({str(k): None if v is None else str(v) for k, v in items})

    def _set_tags(self, tags: Dict[str, Optional[str]]) -> None:
        self._ws._call("runs/tag", {"id": self._id, "tags": tags})
        self._rec = None

    def add_properties(self, properties: Dict[str, Any]) -> None:
        self._ws._call("sdk/run-properties", {"id": self._id, "add": {str(k): str(v) for k, v in properties.items()}})
        self._rec = None

    def get_properties(self) -> Dict[str, str]:
        return dict(self._ws._call("sdk/run-properties", {"id": self._id}))

    @property
    def input_datasets(self) -> Dict[str, Any]:
        from ._context_run import input_values
        return input_values(self._record().get("inputs") or {}, self._ws)

    @property
    def output_datasets(self) -> Dict[str, Any]:
        return {k: v["path"] for k, v in (self._record().get("outputs") or {}).items()}

    # -- artifacts ----------------------------------------------------------------------
    def _artifacts(self) -> List[Dict[str, Any]]:
        rec = self._record()
        if rec.get("kind") != "step":
            return []
        return self._ws._call("runs/artifacts", {"id": rec["parentId"], "step": rec["stepId"]})

    def get_file_names(self) -> List[str]:
        return [a["path"] for a in self._artifacts()]

    def download_file(self, name: str, output_file_path: Optional[str] = None, _validate_checksum: bool = False) -> None:
        for a in self._artifacts():
            if a["path"] == name:
                dest = output_file_path or os.path.basename(name)
                if os.path.isdir(dest):
                    dest = os.path.join(dest, os.path.basename(name))
                copy_file(a["absolutePath"], os.path.abspath(dest))
                return
        raise UserErrorException("run %s has no file %r (it has: %s)" % (self._id, name,
                                 ", ".join(self.get_file_names()) or "none"))

    def download_files(self, prefix: Optional[str] = None, output_directory: Optional[str] = None,
                       output_paths: Optional[List[str]] = None, batch_size: int = 100,
                       append_prefix: bool = True, timeout_seconds: Optional[int] = None) -> None:
        target = os.path.abspath(output_directory or os.getcwd())
        for a in self._artifacts():
            if prefix and not a["path"].startswith(prefix):
                continue
            copy_file(a["absolutePath"], os.path.join(target, *a["path"].split("/")))

    # -- lifecycle ---------------------------------------------------------------------------
    def wait_for_completion(self, show_output: bool = False, wait_post_processing: bool = False,
                            raise_on_error: bool = True) -> Dict[str, Any]:
        while not words.is_terminal(self._record(fresh=True)["status"]):
            time.sleep(POLL_S)
        rec = self._record()
        if rec["status"] == "Failed" and raise_on_error:
            raise ActivityFailedException("run %s failed: %s" % (self._id, rec.get("error") or "see its logs"))
        return self.get_details()

    def cancel(self) -> None:
        rec = self._record()
        self._ws._call("runs/cancel", {"id": rec.get("parentId") or self._id})
        self._rec = None

    def register_model(self, model_name: str, model_path: Optional[str] = None, tags: Optional[Dict[str, Any]] = None,
                       properties: Optional[Dict[str, Any]] = None, model_framework: Optional[str] = None,
                       model_framework_version: Optional[str] = None, description: Optional[str] = None,
                       datasets: Optional[List[Any]] = None, sample_input_dataset: Any = None,
                       sample_output_dataset: Any = None, resource_configuration: Any = None, **kwargs: Any) -> Any:
        from .model import Model
        source = self._model_source(model_path or "outputs")
        return Model._register(self._ws, model_name, source, tags, properties, description, datasets,
                               model_framework, model_framework_version, self._id, self._experiment_name())

    def _experiment_name(self) -> str:
        return self._record()["experiment"]

    def _model_source(self, model_path: str) -> Dict[str, Any]:
        return {"runId": self._id, "artifactPath": model_path.replace("\\", "/").strip("/")}

    # -- logging belongs to the live run ---------------------------------------------------------
    def _live_only(self, member: str) -> Any:
        raise UserErrorException("Run.%s: log from inside the step with Run.get_context(); this is a handle on "
                                 "the stored run %s" % (member, self._id))

    def log(self, name: str, value: Any, description: str = "", step: Optional[int] = None) -> None:
        self._live_only("log")

    def log_list(self, name: str, value: Any, description: str = "") -> None:
        self._live_only("log_list")

    def log_row(self, name: str, description: Optional[str] = None, **kwargs: Any) -> None:
        self._live_only("log_row")

    def log_table(self, name: str, value: Any, description: str = "") -> None:
        self._live_only("log_table")

    def log_image(self, name: str, path: Any = None, plot: Any = None, description: str = "") -> None:
        self._live_only("log_image")

    def upload_file(self, name: str, path_or_stream: Any, datastore_name: Optional[str] = None) -> Any:
        self._live_only("upload_file")

    def upload_files(self, names: List[str], paths: List[Any], **kwargs: Any) -> Any:
        self._live_only("upload_files")

    def upload_folder(self, name: str, path: Any, **kwargs: Any) -> Any:
        self._live_only("upload_folder")

    def fail(self, error_details: Any = None, error_code: Optional[str] = None, _set_status: bool = True) -> None:
        self._live_only("fail")

    def flush(self, timeout_seconds: int = 300) -> None:
        pass

    def complete(self, _set_status: bool = True) -> None:
        pass

    # -- NS -----------------------------------------------------------------------------------
    def _ns(self, member: str, why: str) -> Any:
        raise_ns("Run.%s" % member, why, "runs")

    def log_confusion_matrix(self, *args: Any, **kwargs: Any) -> None:
        self._ns("log_confusion_matrix", "log the matrix with log_table or log_image")

    def log_accuracy_table(self, *args: Any, **kwargs: Any) -> None:
        self._ns("log_accuracy_table", "log the table with log_table")

    def log_residuals(self, *args: Any, **kwargs: Any) -> None:
        self._ns("log_residuals", "log the values with log_list or log_image")

    def log_predictions(self, *args: Any, **kwargs: Any) -> None:
        self._ns("log_predictions", "log the values with log_table")

    def child_run(self, *args: Any, **kwargs: Any) -> Any:
        self._ns("child_run", "runs are pipeline runs with one child per step; there are no ad-hoc children")

    def submit_child(self, *args: Any, **kwargs: Any) -> Any:
        self._ns("submit_child", "runs are pipeline runs with one child per step; there are no ad-hoc children")

    def get_secret(self, *args: Any, **kwargs: Any) -> Any:
        self._ns("get_secret", "there is no key vault; pass secrets through millrace.yml environment variables")

    def get_secrets(self, *args: Any, **kwargs: Any) -> Any:
        self._ns("get_secrets", "there is no key vault; pass secrets through millrace.yml environment variables")

    def __repr__(self) -> str:
        rec = self._rec or {}
        return "Run(Experiment: %s,\nId: %s,\nType: %s,\nStatus: %s)" % (
            rec.get("experiment", "?"), self._id, self.type, self._word(rec.get("status", "NotStarted")))


class ScriptRun(Run):
    """What ``Experiment.submit(ScriptRunConfig)`` returns: a one-step pipeline run seen as the script's run."""

    _TYPE = "azureml.scriptrun"

    def _step(self) -> Dict[str, Any]:
        steps = self._record().get("steps") or []
        return steps[0] if steps else {}

    def get_metrics(self, name: Optional[str] = None, recursive: bool = False, run_type: Any = None,
                    populate: bool = False) -> Dict[str, Any]:
        step = self._step()
        metrics = _metrics(self._ws, self._id).get(step.get("id", ""), {}) if step else {}
        return {k: v for k, v in metrics.items() if name is None or k == name}

    def _artifacts(self) -> List[Dict[str, Any]]:
        step = self._step()
        return self._ws._call("runs/artifacts", {"id": self._id, "step": step["stepId"]}) if step else []

    def _model_source(self, model_path: str) -> Dict[str, Any]:
        step = self._step()
        return {"runId": step.get("id", self._id), "artifactPath": model_path.replace("\\", "/").strip("/")}

    def wait_for_completion(self, show_output: bool = False, wait_post_processing: bool = False,
                            raise_on_error: bool = True) -> Dict[str, Any]:
        if show_output:
            from ..pipeline.core._wait import stream_script_run
            stream_script_run(self)
        return super().wait_for_completion(False, wait_post_processing, raise_on_error)


from .._millrace.notsupported import module_getattr as _module_getattr  # noqa: E402

__getattr__ = _module_getattr(__name__)
