"""``PipelineEndpoint``: a stable name for one of several published pipeline versions (rest-api.md)."""

from typing import Any, Dict, List, Optional

from ..._millrace import studio
from ..._millrace.notsupported import NSObject
from ...exceptions import UserErrorException
from .published import PublishedPipeline, submitted

__all__ = ["PipelineEndpoint"]


class PipelineVersion(NSObject):
    def __init__(self, version: str, pipeline_id: str) -> None:
        self.version = version
        self.pipeline_id = pipeline_id

    def __repr__(self) -> str:
        return "PipelineVersion(version=%r, pipeline_id=%r)" % (self.version, self.pipeline_id)


class PipelineEndpoint(NSObject):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        raise UserErrorException("a PipelineEndpoint comes from PipelineEndpoint.publish(...) or PipelineEndpoint.get(...)")

    @classmethod
    def _from_record(cls, ws: Any, record: Dict[str, Any]) -> "PipelineEndpoint":
        pe = cls.__new__(cls)
        pe._ws, pe._record = ws, record
        return pe

    @staticmethod
    def publish(workspace: Any, name: str, description: Optional[str], pipeline: Any,
                _workflow_provider: Any = None, _service_endpoint: Any = None, **kwargs: Any) -> "PipelineEndpoint":
        from .pipeline import Pipeline
        if isinstance(pipeline, Pipeline):
            compiled = pipeline._compile()
            workspace._call("sdk/publish", {
                "spec": compiled.spec, "name": compiled.spec["name"], "publishName": name,
                "description": description, "endpoint": name, "newEndpoint": True,
                "endpointDescription": description})
            return PipelineEndpoint.get(workspace, name=name)
        if isinstance(pipeline, PublishedPipeline):
            record = workspace._call("endpoints/create", {"name": name, "description": description,
                                                          "publishedPipelineId": pipeline.id})
            return PipelineEndpoint._from_record(workspace, record)
        raise UserErrorException("PipelineEndpoint.publish: pipeline must be a Pipeline or a PublishedPipeline, got %r"
                                 % (pipeline,))

    @staticmethod
    def get(workspace: Any, id: Optional[str] = None, name: Optional[str] = None,  # noqa: A002
            _workflow_provider: Any = None, _service_endpoint: Any = None) -> "PipelineEndpoint":
        key = id or name
        if not key:
            raise UserErrorException("PipelineEndpoint.get: give id= or name=")
        return PipelineEndpoint._from_record(workspace, workspace._call("endpoints/get", {"name": key}))

    @staticmethod
    def list(workspace: Any, active_only: bool = True, _workflow_provider: Any = None,
             _service_endpoint: Any = None) -> List["PipelineEndpoint"]:
        return [PipelineEndpoint._from_record(workspace, r) for r in workspace._call("endpoints/list")
                if not active_only or r.get("status", "Active") == "Active"]

    id = property(lambda self: self._record["id"])  # noqa: A003 - SDK name
    name = property(lambda self: self._record["name"])
    description = property(lambda self: self._record.get("description"))
    status = property(lambda self: self._record.get("status", "Active"))
    default_version = property(lambda self: self._record.get("defaultVersion"))

    @property
    def endpoint(self) -> str:
        studio.warn_unserved(self._ws, "the REST endpoint of a pipeline endpoint")
        return "%s/pipelines/v1.0/PipelineRuns/PipelineEndpointSubmit/Id/%s" % (studio.base_url(self._ws), self.id)

    def _refresh(self, record: Optional[Dict[str, Any]] = None) -> None:
        self._record = record or self._ws._call("endpoints/get", {"name": self.id})

    def _add(self, pipeline: Any, default: bool) -> None:
        if not isinstance(pipeline, PublishedPipeline):
            raise UserErrorException("PipelineEndpoint.add: expected a PublishedPipeline, got %r" % (pipeline,))
        self._refresh(self._ws._call("endpoints/add", {"name": self.id, "publishedPipelineId": pipeline.id,
                                                       "setDefault": default}))

    def add(self, pipeline: Any) -> None:
        self._add(pipeline, False)

    def add_default(self, pipeline: Any) -> None:
        self._add(pipeline, True)

    def set_default(self, pipeline: Any) -> None:
        self._refresh()
        for v in self._record.get("versions") or []:
            if v["publishedPipelineId"] == getattr(pipeline, "id", None):
                return self.set_default_version(v["version"])
        raise UserErrorException("PipelineEndpoint %s does not hold the published pipeline %s; add it first"
                                 % (self.name, getattr(pipeline, "id", pipeline)))

    def set_default_version(self, version: Any) -> None:
        self._refresh(self._ws._call("endpoints/set-default", {"name": self.id, "version": str(version)}))

    def get_default_version(self) -> str:
        self._refresh()
        return self._record["defaultVersion"]

    def get_pipeline(self, version: Optional[Any] = None) -> PublishedPipeline:
        self._refresh()
        wanted = str(version) if version is not None else self._record["defaultVersion"]
        for v in self._record.get("versions") or []:
            if v["version"] == wanted:
                return PublishedPipeline.get(self._ws, v["publishedPipelineId"])
        raise UserErrorException("PipelineEndpoint %s has no version %r (it has: %s)" % (
            self.name, wanted, ", ".join(v["version"] for v in self._record.get("versions") or [])))

    def list_versions(self) -> List[PipelineVersion]:
        self._refresh()
        return [PipelineVersion(v["version"], v["publishedPipelineId"]) for v in self._record.get("versions") or []]

    def list_pipelines(self, active_only: bool = True) -> List[PublishedPipeline]:
        self._refresh()
        return [PublishedPipeline.get(self._ws, v["publishedPipelineId"]) for v in self._record.get("versions") or []
                if not active_only or v.get("enabled", True)]

    def submit(self, experiment_name: str, pipeline_parameters: Optional[Dict[str, Any]] = None,
               parent_run_id: Optional[str] = None, pipeline_version: Optional[str] = None) -> Any:
        from ...core.experiment import Experiment
        return self._submit_in(Experiment(self._ws, experiment_name), pipeline_parameters, {}, pipeline_version)

    def _submit_in(self, experiment: Any, pipeline_parameters: Optional[Dict[str, Any]], tags: Dict[str, Any],
                   pipeline_version: Optional[str]) -> Any:
        from .pipeline import split_parameters
        parameters, data_paths = split_parameters(pipeline_parameters)
        answer = self._ws._call("endpoints/submit", {
            "name": self.id, "pipelineVersion": None if pipeline_version is None else str(pipeline_version),
            "experiment": experiment.name, "parameters": parameters or None, "dataPaths": data_paths or None,
            "tags": tags or None})
        return submitted(self._ws, experiment.name, answer)

    def enable(self) -> None:
        self._refresh(self._ws._call("endpoints/enable", {"name": self.id}))

    def disable(self) -> None:
        self._refresh(self._ws._call("endpoints/disable", {"name": self.id}))

    def archive(self) -> None:
        self.disable()

    def __repr__(self) -> str:
        return "PipelineEndpoint(Name: %s, Id: %s, Status: %s, Default version: %s)" % (
            self.name, self.id, self.status, self.default_version)


from ..._millrace.notsupported import module_getattr as _module_getattr  # noqa: E402

__getattr__ = _module_getattr(__name__)
