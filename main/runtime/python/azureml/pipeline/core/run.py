"""``PipelineRun`` and ``StepRun``: handles on stored runs, whatever submitted them (SDK, CLI, REST, schedule)."""

import sys
from typing import Any, Dict, Iterator, List, Optional

from ..._millrace import run_details, status as words
from ..._millrace.notsupported import NSObject, raise_ns
from ...core.run import Run, _fetch, _metrics
from ...exceptions import UserErrorException
from .graph import PortDataReference

__all__ = ["PipelineRun", "StepRun", "StepRunOutput"]


class PipelineRun(Run):
    _TYPE = "azureml.PipelineRun"

    def __init__(self, experiment: Any, run_id: str, _service_endpoint: Any = None, **kwargs: Any) -> None:
        if getattr(self, "_rec", None) is not None:
            return
        rec = _fetch(experiment.workspace, run_id)
        if rec.get("kind") != "pipeline":
            raise UserErrorException("run %s is a step run, not a pipeline run; use StepRun or Run.get" % run_id)
        self._attach(experiment.workspace, rec)

    @staticmethod
    def get(workspace: Any, run_id: str, _service_endpoint: Any = None) -> "PipelineRun":
        from ...core.experiment import Experiment
        rec = _fetch(workspace, run_id)
        return PipelineRun(Experiment(workspace, rec["experiment"]), rec["id"])

    @staticmethod
    def get_pipeline_runs(workspace: Any, pipeline_id: str, _service_endpoint: Any = None) -> List["PipelineRun"]:
        page = workspace._call("runs/list", {"publishedPipeline": pipeline_id, "limit": 500})
        return [PipelineRun.get(workspace, r["id"]) for r in page["items"]]

    def _word(self, status: str) -> str:
        return words.pipeline_word(status)

    # -- the pipeline run's own metrics and tags; ``parent`` of a live step logs here ------------
    def _local_run(self) -> Any:
        return self.__dict__.get("_local")

    def log(self, name: str, value: Any, description: str = "", step: Optional[int] = None) -> None:
        self._local_or_raise("log").log(name, value, description, step)

    def log_list(self, name: str, value: Any, description: str = "") -> None:
        self._local_or_raise("log_list").log_list(name, value, description)

    def log_row(self, name: str, description: Optional[str] = None, **kwargs: Any) -> None:
        self._local_or_raise("log_row").log_row(name, description, **kwargs)

    def log_table(self, name: str, value: Any, description: str = "") -> None:
        self._local_or_raise("log_table").log_table(name, value, description)

    def log_image(self, name: str, path: Any = None, plot: Any = None, description: str = "") -> Any:
        return self._local_or_raise("log_image").log_image(name, path, plot, description)

    def tag(self, key: str, value: Any = None) -> None:
        local = self._local_run()
        if local is not None:
            local.tag(key, value)
        else:
            super().tag(key, value)

    def set_tags(self, tags: Any) -> None:
        local = self._local_run()
        if local is not None:
            local.set_tags(tags)
        else:
            super().set_tags(tags)

    def _local_or_raise(self, member: str) -> Any:
        local = self._local_run()
        if local is None:
            self._live_only(member)
        return local

    def flush(self, timeout_seconds: int = 300) -> None:
        local = self._local_run()
        if local is not None:
            local.flush()

    # -- steps -------------------------------------------------------------------------------
    def _step_handles(self, rec: Dict[str, Any]) -> List["StepRun"]:
        out = []
        for s in rec.get("steps") or []:
            handle = object.__new__(StepRun)
            handle._attach(self._ws, s)
            out.append(handle)
        return out

    def get_steps(self) -> Iterator["StepRun"]:
        return iter(self._step_handles(self._record(fresh=True)))

    def get_children(self, recursive: bool = False, tags: Any = None, properties: Any = None, type: Any = None,  # noqa: A002
                     status: Optional[str] = None, _rehydrate_runs: bool = True) -> Iterator["StepRun"]:
        return self.get_steps()

    def find_step_run(self, name: str) -> List["StepRun"]:
        return [s for s in self._step_handles(self._record(fresh=True)) if s.name == name]

    def get_metrics(self, name: Optional[str] = None, recursive: bool = False, run_type: Any = None,
                    populate: bool = False) -> Dict[str, Any]:
        by_run = {rid: {k: v for k, v in m.items() if name in (None, k)} for rid, m in _metrics(self._ws, self._id).items()}
        own = by_run.get(self._id, {})
        if not recursive:
            return own
        return dict(by_run, **{self._id: own})

    def get_pipeline_output(self, pipeline_output_name: str) -> PortDataReference:
        for s in self._record(fresh=True).get("steps") or []:
            notes = ((s.get("xAzureml") or {}).get("outputs") or {})
            for out_name, note in notes.items():
                if note.get("pipeline_output_name") == pipeline_output_name:
                    return _port(out_name, s, note)
        raise UserErrorException("run %s has no output with pipeline_output_name %r" % (self._id, pipeline_output_name))

    def get_graph(self) -> Any:
        raise_ns("PipelineRun.get_graph", "the graph is shown in the studio (RunDetails(run).show() prints its link)",
                 "runs")

    def publish_pipeline(self, name: str, description: Optional[str] = None, version: Optional[str] = None,
                         continue_on_step_failure: Optional[bool] = None, **kwargs: Any) -> Any:
        from .published import PublishedPipeline
        record = self._ws._call("sdk/publish-run", {
            "id": self._id, "publishName": name, "description": description,
            "version": None if version is None else str(version), "continueOnStepFailure": continue_on_step_failure})
        return PublishedPipeline._from_record(self._ws, record)

    def wait_for_completion(self, show_output: bool = True, timeout_seconds: int = sys.maxsize,
                            raise_on_error: bool = True) -> str:  # type: ignore[override]
        from ._wait import wait_pipeline
        return wait_pipeline(self, show_output, timeout_seconds, raise_on_error)

    def cancel(self) -> None:
        self._ws._call("runs/cancel", {"id": self._id})
        self._rec = None

    def __repr__(self) -> str:
        rec = self._rec or {}
        return "PipelineRun(Experiment: %s,\nId: %s,\nType: %s,\nStatus: %s)" % (
            rec.get("experiment", "?"), self._id, self._TYPE, self._word(rec.get("status", "NotStarted")))


class StepRun(Run):
    _TYPE = "azureml.StepRun"

    def __init__(self, experiment: Any, step_run_id: str, pipeline_run_id: Optional[str] = None, node_id: Any = None,
                 _service_endpoint: Any = None, _is_reused: bool = False, _current_node_id: Any = None,
                 _reused_run_id: Any = None, _reused_node_id: Any = None, _reused_pipeline_run_id: Any = None,
                 **kwargs: Any) -> None:
        if getattr(self, "_rec", None) is not None:
            return
        rec = _fetch(experiment.workspace, step_run_id)
        if rec.get("kind") != "step":
            raise UserErrorException("run %s is a pipeline run, not a step run; use PipelineRun" % step_run_id)
        self._attach(experiment.workspace, rec)

    @property
    def type(self) -> str:  # noqa: A003 - SDK name
        return "azureml.ReusedStepRun" if self._record().get("reusedFrom") else self._TYPE

    def _word(self, status: str) -> str:
        return words.step_word(status)

    @property
    def parent(self) -> PipelineRun:
        return PipelineRun.get(self._ws, self._record()["parentId"])

    def get_job_log(self) -> str:
        rec = self._record()
        text, offset = [], 0
        while True:
            chunk = self._ws._call("runs/logs", {"id": rec["parentId"], "step": rec["stepId"], "offset": offset})
            text.append(chunk["text"])
            if chunk["nextOffset"] >= chunk["size"] or not chunk["text"]:
                return "".join(text)
            offset = chunk["nextOffset"]

    def get_stdout_log(self) -> str:
        return self.get_job_log()

    def get_stderr_log(self) -> str:
        return self.get_job_log()

    def get_outputs(self) -> Dict[str, "StepRunOutput"]:
        rec = self._record(fresh=True)
        return {name: StepRunOutput(name, _port(name, rec, ((rec.get("xAzureml") or {}).get("outputs") or {})
                                                .get(name, {}))) for name in (rec.get("outputs") or {})}

    def get_output(self, name: str) -> "StepRunOutput":
        outputs = self.get_outputs()
        if name not in outputs:
            raise UserErrorException("step run %s has no output %r (it has: %s)" % (self._id, name,
                                     ", ".join(outputs) or "none"))
        return outputs[name]

    def get_output_data(self, name: str) -> PortDataReference:
        return self.get_output(name).get_port_data_reference()

    def wait_for_completion(self, show_output: bool = True, timeout_seconds: int = sys.maxsize,
                            raise_on_error: bool = True) -> str:  # type: ignore[override]
        from ._wait import wait_step
        return wait_step(self, show_output, timeout_seconds, raise_on_error)

    def __repr__(self) -> str:
        rec = self._rec or {}
        return "StepRun(%s) (Id: %s, Status: %s)" % (rec.get("name", "?"), self._id,
                                                   self._word(rec.get("status", "NotStarted")))


class StepRunOutput(NSObject):
    def __init__(self, name: str, port: PortDataReference) -> None:
        self.name = name
        self._port = port

    def get_port_data_reference(self) -> PortDataReference:
        return self._port

    def __repr__(self) -> str:
        return "StepRunOutput(name=%r)" % self.name


def _port(name: str, step_rec: Dict[str, Any], note: Dict[str, Any]) -> PortDataReference:
    out = (step_rec.get("outputs") or {}).get(name) or {}
    return PortDataReference(_name=name, _datastore=note.get("datastore") or out.get("datastore", ""),
                             _path=out.get("pathOnDatastore", ""), _folder=out.get("path", ""))


from ..._millrace.notsupported import module_getattr as _module_getattr  # noqa: E402

__getattr__ = _module_getattr(__name__)
