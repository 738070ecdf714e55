"""One step of the spec: its program, data, compute, interpreter and recorded SDK settings (§10.2, §10.4b)."""

import os
from typing import Any, Dict, List, Optional

from ...exceptions import UserErrorException
from ..notsupported import raise_ns
from ..step_base import StepBase
from ..warn import warn_once
from .binding import StepBinder
from .context import CompileContext


def _compute_name(target: Any) -> Optional[str]:
    if target is None:
        return None
    if isinstance(target, str):
        return target
    if isinstance(target, tuple) and target and isinstance(target[0], str):
        return target[0]
    name = getattr(target, "name", None)
    if isinstance(name, str):
        return name
    raise UserErrorException("compute_target: expected a name, a ComputeTarget or a (name, type) tuple, got %r"
                             % (target,))


def compute(step: StepBase, ctx: CompileContext, spec: Dict[str, Any], note: Dict[str, Any]) -> None:
    rc = step._runconfig
    asked = _compute_name(step._compute_target)
    if asked is None and rc is not None:
        asked = _compute_name(rc.target)
    if asked is None:
        return
    note["compute"] = asked
    if asked in ctx.computes:
        spec["compute"] = asked
        return
    warn_once("compute target '%s' is not defined in millrace.yml; using 'local'" % asked, key="compute:" + asked)
    spec["compute"] = "local"


def environment(step: StepBase, ctx: CompileContext, spec: Dict[str, Any], note: Dict[str, Any]) -> None:
    """Interpreter: ``interpreter_path`` (user-managed), else the millrace.yml environment of the same name,
    else ``default``. Environment variables become ``env``; the rest is recorded."""
    from ...core.runconfig import DockerConfiguration
    rc = step._runconfig
    env = getattr(rc, "environment", None) if rc is not None else None
    if rc is not None and getattr(rc, "node_count", 1) not in (None, 1):
        raise_ns("RunConfiguration.node_count=%r" % rc.node_count, "a step runs as one local process",
                 "environments")
    python = ctx.default_python()
    if env is not None:
        if env.python.user_managed_dependencies and env.python.interpreter_path:
            spec["python"] = python = env.python.interpreter_path
        elif env.name and env.name in ctx.environments:
            spec["environment"] = env.name
            python = ctx.environments[env.name]
        variables = {str(k): str(v) for k, v in env.environment_variables.items()}
        if variables:
            spec.setdefault("env", {}).update(variables)
        record = {"name": env.name, "version": env.version}
        record.update(env._definition())
        note["environment"] = record
    if rc is not None:
        if rc.environment_variables:
            spec.setdefault("env", {}).update({str(k): str(v) for k, v in rc.environment_variables.items()})
        note["runconfig"] = rc._record()
    docker = (env is not None and (env.docker.enabled or env.docker.base_image_set)) or (
        rc is not None and isinstance(rc.docker, DockerConfiguration) and bool(rc.docker.use_docker))
    if docker:
        warn_once("Docker is not used; steps run with %s" % python, key="docker")


def source_directory(step: StepBase, default_source_directory: Optional[str], problems: List[str]) -> Optional[str]:
    folder = step._source_directory or default_source_directory
    if folder is None and step._KIND == "python":
        warn_once("step '%s' has no source_directory; its code is the current folder %s" % (step.name, step._cwd),
                  key="no-source-dir:" + step._cwd)
        folder = step._cwd
    if folder is not None and not os.path.isdir(folder):
        problems.append("step '%s': source_directory %s does not exist" % (step.name, folder))
    return folder


def build(step: StepBase, step_id: str, binder: StepBinder, ctx: CompileContext, after: List[str],
          default_source_directory: Optional[str], problems: List[str]) -> Dict[str, Any]:
    spec: Dict[str, Any] = {"type": step._KIND, "display_name": step.name}
    note: Dict[str, Any] = {"class": step._cls, "name": step.name}
    folder = source_directory(step, default_source_directory, problems)
    for item in step._outputs:
        binder.data(item, "outputs", as_output=True)
    if step._KIND == "python":
        script = getattr(step, "script_name")
        spec["script"] = script
        note["script_name"] = script
        if folder is not None and not os.path.isfile(os.path.join(folder, script)):
            problems.append("step '%s': script '%s' is not in its source_directory %s" % (step.name, script, folder))
        args = [binder.argument(a, i) for i, a in enumerate(step._arguments)]
        if args:
            spec["arguments"] = args
    else:
        spec["command"] = [binder.argument(a, i) for i, a in enumerate(step._arguments)]
    for item in step._inputs:
        binder.data(item, "inputs")
    if folder is not None:
        spec["source_directory"] = folder
        note["source_directory"] = step._source_directory
    if binder.inputs:
        spec["inputs"] = binder.inputs
    if binder.outputs:
        spec["outputs"] = binder.outputs
        note["outputs"] = binder.output_notes
    compute(step, ctx, spec, note)
    environment(step, ctx, spec, note)
    for key, value in step._params.items():
        spec.setdefault("env", {})["AML_PARAMETER_%s" % key] = _param_value(step, key, value, binder)
    if step._params:
        note["params"] = sorted(step._params)
    if not step._allow_reuse:
        spec["allow_reuse"] = False
    if step._timeout:
        spec["timeout"] = step._timeout
    if after:
        spec["run_after"] = after
    if step._version is not None:
        note["version"] = str(step._version)
    note.update({k: v for k, v in step._x.items() if v is not None})
    spec["x-azureml"] = note
    return spec


def _param_value(step: StepBase, key: str, value: Any, binder: StepBinder) -> str:
    """``params`` become ``AML_PARAMETER_<name>``: a scalar as ``str()``, a PipelineParameter as its run's value."""
    from ...pipeline.core.graph import PipelineParameter
    if isinstance(value, PipelineParameter) or isinstance(value, (str, int, float, bool)):
        return binder.argument(value, -1)
    raise UserErrorException("step '%s' params[%r]: expected a str, number, bool or PipelineParameter, got %r"
                             % (step.name, key, value))
