"""``PublishedPipeline``: an immutable snapshot of a pipeline with an id, a version and a REST endpoint."""

import os
from typing import Any, Dict, List, Optional

from ..._millrace import studio
from ..._millrace.notsupported import NSObject, raise_ns
from ...exceptions import UserErrorException


def submitted(ws: Any, experiment: str, answer: Dict[str, Any]) -> Any:
    """A submit answer (``SubmitResult``) -> Azure's two lines and a ``PipelineRun``."""
    from ...core.experiment import Experiment
    from .run import PipelineRun
    run_id = answer["Id"]
    print("Submitted PipelineRun %s" % run_id)
    print("Link to Azure Machine Learning Portal: %s" % studio.run_url(ws, run_id))
    return PipelineRun(Experiment(ws, experiment), run_id)


class PublishedPipeline(NSObject):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        raise UserErrorException("a PublishedPipeline comes from pipeline.publish(...), run.publish_pipeline(...) "
                                 "or PublishedPipeline.get(ws, id)")

    @classmethod
    def _from_record(cls, ws: Any, record: Dict[str, Any]) -> "PublishedPipeline":
        pp = cls.__new__(cls)
        pp._ws, pp._record = ws, record
        return pp

    @staticmethod
    def get(workspace: Any, id: str, _workflow_provider: Any = None, _service_endpoint: Any = None) -> "PublishedPipeline":  # noqa: A002
        return PublishedPipeline._from_record(workspace, workspace._call("published/get", {"id": id}))

    @staticmethod
    def list(workspace: Any, active_only: bool = True, _service_endpoint: Any = None) -> List["PublishedPipeline"]:
        return [PublishedPipeline._from_record(workspace, r)
                for r in workspace._call("published/list", {"activeOnly": bool(active_only)})]

    id = property(lambda self: self._record["id"])  # noqa: A003 - SDK name
    name = property(lambda self: self._record["name"])
    description = property(lambda self: self._record.get("description"))
    version = property(lambda self: self._record.get("version"))
    status = property(lambda self: self._record.get("status", "Active"))
    continue_on_step_failure = property(lambda self: self._record.get("continueOnStepFailure"))

    @property
    def total_run_steps(self) -> int:
        return len(self._record.get("stepNames") or [])

    @property
    def endpoint(self) -> str:
        studio.warn_unserved(self._ws, "the REST endpoint of a published pipeline")
        return self._record["endpoint"]

    def get_step_names(self) -> List[str]:
        return list(self._record.get("stepNames") or [])

    def submit(self, workspace: Any, experiment_name: str, pipeline_parameters: Optional[Dict[str, Any]] = None,
               _workflow_provider: Any = None, _service_endpoint: Any = None, parent_run_id: Optional[str] = None,
               continue_on_step_failure: Optional[bool] = None) -> Any:
        from ...core.experiment import Experiment
        if parent_run_id is not None:
            raise_ns("PublishedPipeline.submit(parent_run_id=...)", "runs are not nested under other runs", "runs")
        return self._submit_in(Experiment(workspace, experiment_name), pipeline_parameters, {}, continue_on_step_failure)

    def _submit_in(self, experiment: Any, pipeline_parameters: Optional[Dict[str, Any]], tags: Dict[str, Any],
                   continue_on_step_failure: Optional[bool]) -> Any:
        from .pipeline import split_parameters
        parameters, data_paths = split_parameters(pipeline_parameters)
        answer = experiment.workspace._call("published/submit", {
            "id": self.id, "experiment": experiment.name, "parameters": parameters or None,
            "dataPaths": data_paths or None, "tags": tags or None, "continueOnStepFailure": continue_on_step_failure})
        return submitted(experiment.workspace, experiment.name, answer)

    def enable(self) -> None:
        self._record = self._ws._call("published/enable", {"id": self.id})

    def disable(self) -> None:
        self._record = self._ws._call("published/disable", {"id": self.id})

    def save(self, path: Optional[str] = None, _workflow_provider: Any = None) -> str:
        text = self._ws._call("sdk/published-yaml", {"id": self.id})["yaml"]
        target = os.path.abspath(path or os.getcwd())
        if os.path.isdir(target):
            target = os.path.join(target, "%s.yml" % self.name)
        with open(target, "w", encoding="utf-8") as fh:
            fh.write(text)
        return target

    def __eq__(self, other: object) -> bool:
        return isinstance(other, PublishedPipeline) and other.id == self.id

    def __hash__(self) -> int:
        return hash(self.id)

    def __repr__(self) -> str:
        return "PublishedPipeline(Name: %s, Id: %s, Status: %s, Endpoint: %s)" % (
            self.name, self.id, self.status, self._record.get("endpoint"))


from ..._millrace.notsupported import module_getattr as _module_getattr  # noqa: E402

__getattr__ = _module_getattr(__name__)
