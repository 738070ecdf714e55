"""The argument binding table (§10.3): what each item of a step's ``arguments`` (or ``inputs``,
``outputs``, ``params``) becomes in the pipeline spec.

| item                                              | argv value                | spec                        |
|---------------------------------------------------|---------------------------|-----------------------------|
| str; int, float, bool                             | as is; Python's ``str()`` | -                           |
| PipelineParameter                                 | ``${{parameters.N}}``     | ``parameters.N``            |
| producer's PipelineData / OutputFileDatasetConfig | ``${{outputs.N}}``        | ``outputs.N``               |
| consumer's PipelineData, as_input/as_mount/...    | ``${{inputs.N}}``         | ``inputs.N`` -> the step output |
| DataReference, ds.path(...)                       | ``${{inputs.N}}``         | ``{datastore, path}``       |
| (PipelineParameter(DataPath), DataPathComputeBinding) | ``${{inputs.N}}``     | path parameter + input      |
| dataset consumption (as_named_input, as_mount...) | ``${{inputs.N}}``         | dataset input, ``mode``     |
| anything else                                     | UserErrorException naming the step and the index |
"""

import numbers
from typing import Any, Dict, Optional, Tuple

from ...exceptions import UserErrorException
from ..bindings import StepOutputInput
from ..step_base import StepBase, output_base, producer_of
from .context import CompileContext


class Parameters:
    """Every ``PipelineParameter`` of a pipeline; one name with two defaults is an error."""

    def __init__(self) -> None:
        self.params: Dict[str, Any] = {}

    def add(self, param: Any) -> str:
        seen = self.params.get(param.name)
        if seen is not None and seen is not param and (
                seen.param_type != param.param_type or seen.default_value != param.default_value):
            raise UserErrorException("PipelineParameter '%s' has two defaults: %r and %r" % (
                param.name, seen.default_value, param.default_value))
        self.params.setdefault(param.name, param)
        return param.name

    def spec(self, ctx: CompileContext) -> Tuple[Dict[str, Any], Dict[str, Any]]:
        """``(parameters of the spec, x-azureml notes)``."""
        spec: Dict[str, Any] = {}
        notes: Dict[str, Any] = {}
        for name, p in self.params.items():
            if p.param_type == "path":
                spec[name] = {"type": "path", "default": p.default_value.path_on_datastore}
                notes[name] = {"datastore": p.default_value.datastore_name}
            else:
                spec[name] = {"type": p.param_type, "default": p.default_value}
        return spec, notes


class StepBinder:
    """Binds one step's data objects; collects its ``inputs`` and ``outputs`` of the spec."""

    def __init__(self, step: StepBase, step_ids: Dict[int, str], ctx: CompileContext, params: Parameters,
                 default_datastore: Optional[str]) -> None:
        self.step = step
        self.step_ids = step_ids
        self.ctx = ctx
        self.params = params
        self.default_datastore = default_datastore
        self.inputs: Dict[str, Any] = {}
        self.outputs: Dict[str, Any] = {}
        self.output_notes: Dict[str, Any] = {}
        self._owners: Dict[str, Any] = {}

    # -- entry points --------------------------------------------------------------
    def argument(self, item: Any, index: int) -> str:
        from ...pipeline.core.graph import PipelineParameter
        if isinstance(item, bool) or isinstance(item, (str, numbers.Number)) and not isinstance(item, complex):
            return str(item)
        if isinstance(item, PipelineParameter):
            if item.param_type == "path":
                raise UserErrorException("step '%s' argument %d: the DataPath parameter '%s' must be given as "
                                         "(parameter, DataPathComputeBinding())" % (self.step.name, index, item.name))
            return "${{parameters.%s}}" % self.params.add(item)
        kind, name = self.data(item, "argument %d" % index)
        return "${{%s.%s}}" % (kind, name)

    def data(self, item: Any, where: str, as_output: Optional[bool] = None) -> Tuple[str, str]:
        """Registers a data object as an input or output of the step: ``("inputs"|"outputs", name)``."""
        from ...data.abstract_dataset import AbstractDataset
        from ...data.data_reference import DataReference
        from ...data.dataset_consumption_config import DatasetConsumptionConfig
        base = output_base(item)
        if base is not None and (as_output or (as_output is None and producer_of(base) is self.step)):
            return "outputs", self._output(base)
        if base is not None:
            return "inputs", self._step_output_input(base, None, "mount", None, getattr(item, "_format", None))
        if isinstance(item, StepOutputInput):
            return "inputs", self._step_output_input(item._output, item._input_name, item.mode,
                                                     item.path_on_compute, item._tabular)
        if isinstance(item, DataReference):
            return "inputs", self._input(item.data_reference_name, item, self._modes(
                {"datastore": self.ctx.real_datastore(item.datastore_name), "path": item.path_on_datastore or ""},
                item.mode, item.path_on_compute))
        if isinstance(item, DatasetConsumptionConfig):
            return "inputs", self._input(item.name, item, self._dataset_spec(item))
        if isinstance(item, tuple) and len(item) == 2:
            return "inputs", self._datapath_tuple(item, where)
        if isinstance(item, AbstractDataset):
            raise UserErrorException("step '%s' %s: a dataset must be bound to a step with .as_named_input(name), "
                                     ".as_mount() or .as_download()" % (self.step.name, where))
        raise UserErrorException("step '%s' %s: %r cannot be passed to a step (expected a str, number, bool, "
                                 "PipelineParameter, PipelineData, OutputFileDatasetConfig, DataReference or dataset "
                                 "input)" % (self.step.name, where, item))

    # -- outputs -------------------------------------------------------------------
    def _output(self, base: Any) -> str:
        from ...data.output_dataset_config import OutputFileDatasetConfig
        name = base.name
        owner = self._owners.get("out:" + name)
        if owner is base:
            return name
        if owner is not None or name in self.inputs:
            raise UserErrorException("step '%s' has two inputs or outputs named '%s'" % (self.step.name, name))
        self._owners["out:" + name] = base
        if isinstance(base, OutputFileDatasetConfig):
            asked = base.destination[0].name if base.destination else "default"
            spec: Dict[str, Any] = {"datastore": self.ctx.real_datastore(asked)}
            if base.destination:
                spec["path"] = base.destination[1]
            if base._register:
                reg = {k: v for k, v in base._register.items() if v not in (None, {})}
                reg["kind"] = "tabular" if base._tabular else "file"
                if base._tabular:
                    reg["format"] = base._tabular
                spec["register_as"] = reg
            note = {"class": "OutputFileDatasetConfig", "datastore": asked, "mode": base.mode}
            if base.source_globs:
                note["source_globs"] = base.source_globs
        else:
            asked = base.datastore.name if base.datastore is not None else (self.default_datastore or "default")
            spec = {"datastore": self.ctx.real_datastore(asked)}
            note = {"class": "PipelineData", "datastore": asked, "output_mode": base.output_mode}
            if base.pipeline_output_name:
                note["pipeline_output_name"] = base.pipeline_output_name
        self.outputs[name] = spec
        self.output_notes[name] = note
        return name

    # -- inputs ---------------------------------------------------------------------
    def _input(self, name: str, owner: Any, spec: Any) -> str:
        seen = self._owners.get("in:" + name)
        if seen is not None and seen is not owner and self.inputs.get(name) != spec:
            raise UserErrorException("step '%s' has two inputs named '%s'; give them different names" % (
                self.step.name, name))
        if "out:" + name in self._owners:
            raise UserErrorException("step '%s' has an input and an output named '%s'" % (self.step.name, name))
        self._owners["in:" + name] = owner
        self.inputs[name] = spec
        return name

    @staticmethod
    def _modes(spec: Dict[str, Any], mode: str, path_on_compute: Optional[str]) -> Dict[str, Any]:
        if mode and mode != "mount":
            spec["mode"] = mode
        if path_on_compute:
            spec["path_on_compute"] = path_on_compute
        return spec

    def _step_output_input(self, base: Any, name: Optional[str], mode: str, path_on_compute: Optional[str],
                           tabular: Optional[Dict[str, Any]]) -> str:
        producer = producer_of(base)
        if producer is None or id(producer) not in self.step_ids:
            raise UserErrorException("step '%s' consumes '%s', whose producer is not in the pipeline"
                                     % (self.step.name, base.name))
        ref = "${{steps.%s.outputs.%s}}" % (self.step_ids[id(producer)], base.name)
        opts = self._modes({}, mode, path_on_compute)
        if tabular:
            opts["kind"] = "tabular"
            opts["format"] = tabular
        return self._input(name or base.name, (base, mode, path_on_compute), dict(output=ref, **opts) if opts else ref)

    def _dataset_spec(self, dcc: Any) -> Dict[str, Any]:
        ds = dcc.dataset
        rec = ds._record
        if rec and rec.get("name") and rec.get("version") is not None:
            spec: Dict[str, Any] = {"dataset": rec["name"], "version": int(rec["version"])}
        else:
            paths = [{"datastore": real, "path": p} for _asked, real, p in ds._paths]
            spec = dict(paths[0]) if len(paths) == 1 else {"paths": paths}
            spec["kind"] = ds._KIND
            if ds._format:
                spec["format"] = ds._format
        return self._modes(spec, dcc.mode, dcc.path_on_compute)

    def _datapath_tuple(self, item: Tuple[Any, Any], where: str) -> str:
        from ...data.datapath import DataPathComputeBinding
        from ...pipeline.core.graph import PipelineParameter
        param, binding = item
        if not (isinstance(param, PipelineParameter) and param.param_type == "path"
                and isinstance(binding, DataPathComputeBinding)):
            raise UserErrorException("step '%s' %s: a tuple must be (PipelineParameter with a DataPath default, "
                                     "DataPathComputeBinding()), got %r" % (self.step.name, where, item))
        name = self.params.add(param)
        spec = {"datastore": self.ctx.real_datastore(param.default_value.datastore_name),
                "path": "${{parameters.%s}}" % name}
        return self._input(name, param, self._modes(spec, binding.mode, binding.path_on_compute))
