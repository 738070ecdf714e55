"""``Experiment``: a named group of runs; nothing is stored before its first run."""

from typing import Any, Dict, Iterator, List, Optional, Union

from .._millrace.notsupported import NSObject, raise_ns
from ..exceptions import UserErrorException


def check_experiment_name(name: Any) -> str:
    """Millrace's rule: a non-empty name of at most 256 characters (surrounding spaces are trimmed)."""
    if not isinstance(name, str) or not name.strip() or len(name.strip()) > 256:
        raise UserErrorException("experiment name must be a non-empty string of at most 256 characters, got %r"
                                 % (name,))
    return name.strip()


class Experiment(NSObject):
    def __init__(self, workspace: Any, name: str, _skip_name_validation: bool = False, _id: Any = None,
                 _archived_time: Any = None, _create_in_cloud: bool = True, _experiment_dto: Any = None,
                 **kwargs: Any) -> None:
        if workspace is None or not hasattr(workspace, "_call"):
            raise UserErrorException("Experiment(workspace, name): workspace must be a Workspace, got %r" % (workspace,))
        self._ws = workspace
        self._name = check_experiment_name(name)

    @property
    def name(self) -> str:
        return self._name

    @property
    def id(self) -> str:  # noqa: A003 - SDK name
        return self._name

    @property
    def workspace(self) -> Any:
        if self._ws is None:
            from .workspace import Workspace
            self._ws = Workspace.from_config()
        return self._ws

    @staticmethod
    def list(workspace: Any, experiment_name: Optional[str] = None, view_type: str = "ActiveOnly",
             tags: Any = None) -> List["Experiment"]:
        return [Experiment(workspace, r["name"]) for r in workspace._call("experiments/list")
                if experiment_name is None or r["name"] == experiment_name]

    def submit(self, config: Any, tags: Optional[Dict[str, Any]] = None, **kwargs: Any) -> Any:
        from ..pipeline.core.pipeline import Pipeline
        from ..pipeline.core.pipeline_endpoint import PipelineEndpoint
        from ..pipeline.core.published import PublishedPipeline
        from .script_run_config import ScriptRunConfig
        if kwargs.get("parent_run_id") is not None:
            raise_ns("Experiment.submit(parent_run_id=...)", "runs are not nested under other runs", "runs")
        kwargs.pop("parent_run_id", None)
        tag_values = {str(k): None if v is None else str(v) for k, v in (tags or {}).items()}
        if isinstance(config, Pipeline):
            allowed = {"pipeline_parameters", "regenerate_outputs", "continue_on_step_failure", "credential_passthrough"}
            _only(kwargs, allowed)
            return config._submit(self, tag_values, kwargs.get("pipeline_parameters"),
                                  bool(kwargs.get("regenerate_outputs", False)),
                                  bool(kwargs.get("continue_on_step_failure", False)))
        if isinstance(config, PublishedPipeline):
            _only(kwargs, {"pipeline_parameters", "continue_on_step_failure"})
            return config._submit_in(self, kwargs.get("pipeline_parameters"), tag_values,
                                     kwargs.get("continue_on_step_failure"))
        if isinstance(config, PipelineEndpoint):
            _only(kwargs, {"pipeline_parameters", "pipeline_version"})
            return config._submit_in(self, kwargs.get("pipeline_parameters"), tag_values,
                                     kwargs.get("pipeline_version"))
        if isinstance(config, ScriptRunConfig):
            _only(kwargs, set())
            return config._submit(self, tag_values)
        raise_ns("Experiment.submit(%s)" % type(config).__name__, "only a Pipeline, a PublishedPipeline, a "
                 "PipelineEndpoint or a ScriptRunConfig can be submitted", "runs")

    def get_runs(self, type: Optional[str] = None, tags: Union[str, Dict[str, Any], None] = None,  # noqa: A002
                 properties: Union[str, Dict[str, Any], None] = None, include_children: bool = False) -> Iterator[Any]:
        from .run import Run
        offset = 0
        while True:
            page = self.workspace._call("runs/list", {"experiment": self._name, "limit": 100, "offset": offset})
            for summary in page["items"]:
                run = Run.get(self.workspace, summary["id"])
                candidates = [run] + (list(run.get_children()) if include_children else [])
                for candidate in candidates:
                    if _matches(candidate, type, tags, properties):
                        yield candidate
            offset += len(page["items"])
            if not page["items"] or offset >= page["total"]:
                return

    def archive(self) -> None:
        raise_ns("Experiment.archive", "experiments are the names of their runs; there is nothing to archive",
                 "runs")

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Experiment) and (other._name, other._ws) == (self._name, self._ws)

    def __hash__(self) -> int:
        return hash(self._name)

    def __repr__(self) -> str:
        return "Experiment(Name: %s,\nWorkspace: %s)" % (self._name, self._ws.name if self._ws else "offline")


def _only(kwargs: Dict[str, Any], allowed: set) -> None:
    for key, value in kwargs.items():
        if key not in allowed and value is not None:
            raise_ns("Experiment.submit(%s=...)" % key, "this argument has no local meaning", "runs")


def _has(actual: Dict[str, Any], wanted: Union[str, Dict[str, Any], None]) -> bool:
    """The SDK's filters: a key that must be there, or key -> value (None: any value)."""
    if not wanted:
        return True
    if isinstance(wanted, str):
        return wanted in actual
    return all(k in actual and (v is None or actual[k] == str(v)) for k, v in wanted.items())


def _matches(run: Any, type_: Optional[str], tags: Any, properties: Any) -> bool:
    if type_ and run.type != type_:
        return False
    if tags and not _has(run.get_tags(), tags):
        return False
    return not properties or _has(run.get_properties(), properties)
