"""``ScriptRunConfig``: one script submitted as a one-step pipeline run."""

import os
from typing import Any, Dict, List, Optional

from .._millrace.notsupported import NSObject, raise_ns


class ScriptRunConfig(NSObject):
    def __init__(self, source_directory: str, script: Optional[str] = None, arguments: Optional[List[Any]] = None,
                 run_config: Any = None, _telemetry_values: Any = None, compute_target: Any = None,
                 environment: Any = None, distributed_job_config: Any = None, resume_from: Any = None,
                 max_run_duration_seconds: int = 2592000, command: Any = None,
                 docker_runtime_config: Any = None) -> None:
        if command is not None:
            raise_ns("ScriptRunConfig(command=...)", "give script= and arguments=, or use a CommandStep in a "
                     "Pipeline", "runs")
        if distributed_job_config is not None:
            raise_ns("ScriptRunConfig(distributed_job_config=...)", "distributed training needs several "
                     "nodes; steps run as one local process", "runs")
        if resume_from is not None:
            raise_ns("ScriptRunConfig(resume_from=...)", "there are no checkpoints to resume from", "runs")
        from .runconfig import RunConfiguration
        self.source_directory = os.path.abspath(source_directory)
        self.script = script
        self.arguments = list(arguments or [])
        self.run_config = run_config if run_config is not None else RunConfiguration()
        if compute_target is not None:
            self.run_config.target = compute_target
        if environment is not None:
            self.run_config.environment = environment
        self.docker_runtime_config = docker_runtime_config
        self.max_run_duration_seconds = max_run_duration_seconds

    def _submit(self, experiment: Any, tags: Dict[str, Any]) -> Any:
        from ..pipeline.core.pipeline import Pipeline
        from ..pipeline.steps.python_script_step import PythonScriptStep
        from ..exceptions import UserErrorException
        if not self.script:
            raise UserErrorException("ScriptRunConfig: give script= (a file in source_directory)")
        step = PythonScriptStep(script_name=self.script, name=self.script, arguments=self.arguments,
                                runconfig=self.run_config, source_directory=self.source_directory)
        step._x["docker_runtime_config"] = getattr(self.docker_runtime_config, "_record", lambda: None)()
        step._timeout = self.max_run_duration_seconds if self.max_run_duration_seconds != 2592000 else None
        pipeline = Pipeline(experiment.workspace, [step])
        return pipeline._submit(experiment, tags, None, False, False, submitted_as="ScriptRunConfig")


from .._millrace.notsupported import module_getattr as _module_getattr  # noqa: E402

__getattr__ = _module_getattr(__name__)
