"""``Pipeline``: steps compiled lazily into the one pipeline spec (§10.4b) at validate, submit and publish."""

import os
from typing import Any, Dict, List, Optional

from ..._millrace import studio
from ..._millrace.compile import CompileContext, Compiled, compile_pipeline
from ..._millrace.notsupported import NSObject, raise_ns
from ..._millrace.script import script_identity, script_stem
from ...exceptions import UserErrorException


class Pipeline(NSObject):
    def __init__(self, workspace: Any, steps: Any, description: Optional[str] = None,
                 default_datastore: Any = None, default_source_directory: Optional[str] = None,
                 resolve_closure: bool = True, _workflow_provider: Any = None, _service_endpoint: Any = None,
                 **kwargs: Any) -> None:
        if workspace is None or not hasattr(workspace, "_call"):
            raise UserErrorException("Pipeline(workspace, steps): workspace must be a Workspace, got %r" % (workspace,))
        if not steps:
            raise UserErrorException("Pipeline: give at least one step")
        self._ws = workspace
        self._steps = steps
        self._description = description
        if default_datastore is not None and not hasattr(default_datastore, "_real"):
            raise UserErrorException("Pipeline: default_datastore must be a Datastore, got %r" % (default_datastore,))
        self._default_datastore_name = default_datastore.name if default_datastore is not None else None
        self._default_source_directory = os.path.abspath(default_source_directory) if default_source_directory else None
        self._resolve_closure = bool(resolve_closure)

    @property
    def description(self) -> Optional[str]:
        return self._description

    def _compile(self, extra: Optional[Dict[str, Any]] = None) -> Compiled:
        return compile_pipeline(self, CompileContext.of(self._ws), script_stem(), script_identity(), extra)

    def validate(self) -> List[str]:
        try:
            compiled = self._compile()
        except UserErrorException as exc:
            if isinstance(exc, NotImplementedError):
                raise
            lines = exc.message.splitlines()
            return [line.strip() for line in lines[1:]] if len(lines) > 1 else lines
        return list(self._ws._call("sdk/validate", {"spec": compiled.spec})["errors"])

    def submit(self, experiment_name: str, pipeline_parameters: Optional[Dict[str, Any]] = None,
               continue_on_step_failure: bool = False, regenerate_outputs: bool = False,
               parent_run_id: Optional[str] = None, credential_passthrough: Any = None, **kwargs: Any) -> Any:
        from ...core.experiment import Experiment
        if parent_run_id is not None:
            raise_ns("Pipeline.submit(parent_run_id=...)", "runs are not nested under other runs", "runs")
        return Experiment(self._ws, experiment_name).submit(
            self, pipeline_parameters=pipeline_parameters, continue_on_step_failure=continue_on_step_failure,
            regenerate_outputs=regenerate_outputs)

    def _submit(self, experiment: Any, tags: Dict[str, Any], pipeline_parameters: Optional[Dict[str, Any]],
                regenerate_outputs: bool, continue_on_step_failure: bool, submitted_as: Optional[str] = None) -> Any:
        compiled = self._compile({"submitted_as": submitted_as} if submitted_as else None)
        parameters, data_paths = split_parameters(pipeline_parameters)
        result = self._ws._call("sdk/submit", {
            "spec": compiled.spec, "name": compiled.spec["name"], "experiment": experiment.name,
            "parameters": parameters or None, "dataPaths": data_paths or None, "tags": tags or None,
            "regenerateOutputs": bool(regenerate_outputs), "continueOnStepFailure": bool(continue_on_step_failure)})
        for step in result.get("steps", []):
            print("Created step %s [%s][%s], %s" % (
                step["displayName"], step["stepId"], step.get("codeHash", ""),
                "(This step is eligible to reuse a previous run's output)"
                if step.get("allowReuse", True) and not regenerate_outputs
                else "(This step will run and generate new outputs)"))
        run_id = result["run"]["id"]
        print("Submitted PipelineRun %s" % run_id)
        print("Link to Azure Machine Learning Portal: %s" % studio.run_url(self._ws, run_id))
        from ...core.run import Run
        return Run._handle(self._ws, result["run"])

    def publish(self, name: Optional[str] = None, description: Optional[str] = None, version: Optional[str] = None,
                continue_on_step_failure: Optional[bool] = None) -> Any:
        from .published import PublishedPipeline
        if not name:
            raise UserErrorException("Pipeline.publish: give the published pipeline a name")
        compiled = self._compile()
        record = self._ws._call("sdk/publish", {
            "spec": compiled.spec, "name": compiled.spec["name"], "publishName": name,
            "description": description if description is not None else self._description,
            "version": None if version is None else str(version), "continueOnStepFailure": continue_on_step_failure})
        return PublishedPipeline._from_record(self._ws, record)

    @property
    def graph(self) -> Any:
        raise_ns("Pipeline.graph", "the graph is shown in the studio; the spec is pipelines/sdk/*.yml", "pipelines")

    @staticmethod
    def load_yaml(*args: Any, **kwargs: Any) -> Any:
        raise_ns("Pipeline.load_yaml", "Millrace's YAML pipelines run with `millrace run FILE.yml`", "pipelines")

    def service_endpoint(self) -> Any:
        raise_ns("Pipeline.service_endpoint", "there is no Azure service", "pipelines")

    def __repr__(self) -> str:
        return "Pipeline(description=%r)" % (self._description,)


def split_parameters(values: Optional[Dict[str, Any]]) -> Any:
    """``pipeline_parameters`` -> (scalar values, ``dataPaths`` in the REST shape ``{DataStoreName, RelativePath}``)."""
    from ...data.datapath import DataPath
    parameters: Dict[str, Any] = {}
    data_paths: Dict[str, Any] = {}
    for key, value in (values or {}).items():
        if isinstance(value, DataPath):
            data_paths[key] = {"DataStoreName": value.datastore_name, "RelativePath": value.path_on_datastore}
        elif isinstance(value, (str, int, float, bool)):
            parameters[key] = value
        else:
            raise UserErrorException("pipeline_parameters[%r]: expected a str, number, bool or DataPath, got %r"
                                     % (key, value))
    return parameters, data_paths


from ..._millrace.notsupported import module_getattr as _module_getattr  # noqa: E402

__getattr__ = _module_getattr(__name__)
