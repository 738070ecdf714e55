"""What ``PythonScriptStep`` and ``CommandStep`` share: their data, ordering edges and recorded settings.

Producers are noted at construction so that a pipeline built from its last step can find the steps
before it (closure, §10.4c): a ``PipelineData`` / ``OutputFileDatasetConfig`` in ``outputs=`` is produced
by that step; one only in ``arguments=`` (and not in ``inputs=``) too, unless another step lists it in
its ``outputs=`` (then it is consumed).
"""

import os
from typing import Any, Dict, List, Optional

from ..exceptions import UserErrorException
from .notsupported import NSObject, raise_ns


def output_base(item: Any) -> Optional[Any]:
    """The producer-side object of a bare output (``PipelineData``, ``OutputFileDatasetConfig``), else None."""
    from ..data.output_dataset_config import OutputFileDatasetConfig, OutputTabularDatasetConfig
    from ..pipeline.core.builder import PipelineData
    if isinstance(item, OutputTabularDatasetConfig):
        return item._output
    if isinstance(item, (PipelineData, OutputFileDatasetConfig)):
        return item
    return None


def _note(base: Any, attr: str, step: "StepBase") -> None:
    users = base.__dict__.setdefault(attr, [])
    if step not in users:
        users.append(step)


def producer_of(base: Any) -> Optional["StepBase"]:
    explicit = base.__dict__.get("_mr_producers", [])
    if len(explicit) > 1:
        raise UserErrorException("%r is in outputs= of more than one step: %s" % (
            base.name, ", ".join("'%s'" % s.name for s in explicit)))
    if explicit:
        return explicit[0]
    users = base.__dict__.get("_mr_arg_users", [])
    return users[0] if users else None


class StepBase(NSObject):
    _KIND = "python"

    def __init__(self, cls_name: str, name: Optional[str], arguments: Any, compute_target: Any, runconfig: Any,
                 runconfig_pipeline_params: Any, inputs: Any, outputs: Any, params: Any,
                 source_directory: Optional[str], allow_reuse: bool, version: Optional[str]) -> None:
        if runconfig_pipeline_params:
            raise_ns("%s(runconfig_pipeline_params=...)" % cls_name, "run settings are fixed when the pipeline "
                     "is built; use PipelineParameters in arguments or params", "steps-and-data")
        if name is not None and (not isinstance(name, str) or not name.strip()):
            raise UserErrorException("%s: name must be a non-empty string, got %r" % (cls_name, name))
        for what, value in (("arguments", arguments), ("inputs", inputs), ("outputs", outputs)):
            if value is not None and not isinstance(value, (list, tuple)):
                raise UserErrorException("%s %r: %s must be a list, got %s" % (cls_name, name, what,
                                                                               type(value).__name__))
        if params is not None and not isinstance(params, dict):
            raise UserErrorException("%s %r: params must be a dict, got %s" % (cls_name, name, type(params).__name__))
        self._cls = cls_name
        self._name = name
        self._arguments: List[Any] = list(arguments or [])
        self._inputs: List[Any] = list(inputs or [])
        self._outputs: List[Any] = list(outputs or [])
        self._params: Dict[str, Any] = dict(params or {})
        self._compute_target = compute_target
        self._runconfig = runconfig
        self._source_directory = os.path.abspath(source_directory) if source_directory else None
        self._cwd = os.getcwd()
        self._allow_reuse = bool(allow_reuse)
        self._version = version
        self._run_after: List[StepBase] = []
        self._timeout: Optional[float] = None
        self._x: Dict[str, Any] = {}
        self._note_producers()

    def _note_producers(self) -> None:
        for item in self._outputs:
            base = output_base(item)
            if base is None:
                raise UserErrorException("%s %r: outputs= takes PipelineData and OutputFileDatasetConfig "
                                         "objects, got %r" % (self._cls, self.name, item))
            _note(base, "_mr_producers", self)
        consumed = {id(output_base(i)) for i in self._inputs if output_base(i) is not None}
        for item in self._arguments:
            base = output_base(item)
            if base is not None and id(base) not in consumed:
                _note(base, "_mr_arg_users", self)

    @property
    def name(self) -> str:
        return self._name or self._default_name()

    def _default_name(self) -> str:
        return self._cls

    def run_after(self, step: "StepBase") -> None:
        if not isinstance(step, StepBase):
            raise UserErrorException("%s.run_after: expected a step, got %r" % (self._cls, step))
        if step is self:
            raise UserErrorException("step %r cannot run after itself" % self.name)
        if step not in self._run_after:
            self._run_after.append(step)

    def __repr__(self) -> str:
        return "%s(name=%r)" % (self._cls, self.name)
