"""``PipelineData`` (a step output folder other steps consume) and ``StepSequence``."""

import re
from typing import Any, List, Optional, Sequence

from ..._millrace.bindings import StepOutputInput
from ..._millrace.notsupported import NSObject, raise_ns
from ...exceptions import UserErrorException

_NAME = re.compile(r"^[A-Za-z0-9_]+$")

__all__ = ["PipelineData", "StepSequence"]


class PipelineData(NSObject):
    def __init__(self, name: str, datastore: Any = None, output_name: Optional[str] = None,
                 output_mode: str = "mount", output_path_on_compute: Optional[str] = None,
                 output_overwrite: Optional[bool] = None, data_type: Optional[str] = None,
                 is_directory: Optional[bool] = None, pipeline_output_name: Optional[str] = None,
                 training_output: Any = None) -> None:
        if not isinstance(name, str) or not _NAME.match(name):
            raise UserErrorException("PipelineData: name may hold only letters, digits and '_', got %r" % (name,))
        if output_name is not None and not _NAME.match(output_name):
            raise UserErrorException("PipelineData %r: output_name may hold only letters, digits and '_', got %r"
                                     % (name, output_name))
        if output_mode not in ("mount", "upload"):
            raise UserErrorException("PipelineData %r: output_mode must be 'mount' or 'upload', got %r"
                                     % (name, output_mode))
        if output_mode == "upload" and output_path_on_compute:
            raise_ns("PipelineData(output_mode='upload', output_path_on_compute=...)", "steps write straight "
                     "into the output folder they get as an argument", "steps-and-data")
        if datastore is not None and not hasattr(datastore, "_real"):
            raise UserErrorException("PipelineData %r: datastore must be a Datastore, got %r" % (name, datastore))
        if training_output is not None:
            raise_ns("PipelineData(training_output=...)", "AutoML and HyperDrive outputs are not emulated",
                     "steps-and-data")
        self._name = name
        self.datastore = datastore
        self._output_name = output_name
        self.output_mode = output_mode
        self.output_path_on_compute = output_path_on_compute
        self.output_overwrite = output_overwrite
        self.data_type = data_type
        self.is_directory = is_directory
        self.pipeline_output_name = pipeline_output_name

    @property
    def name(self) -> str:
        return self._output_name or self._name

    def as_input(self, input_name: Optional[str] = None) -> StepOutputInput:
        return StepOutputInput(self, input_name, "mount")

    def as_mount(self, input_name: Optional[str] = None) -> StepOutputInput:
        return StepOutputInput(self, input_name, "mount")

    def as_download(self, input_name: Optional[str] = None, path_on_compute: Optional[str] = None,
                    overwrite: Optional[bool] = None) -> StepOutputInput:
        return StepOutputInput(self, input_name, "download", path_on_compute)

    def as_dataset(self) -> "PipelineData":
        return self

    def get_env_variable_name(self) -> str:
        return "AZUREML_DATAREFERENCE_%s" % self.name

    def __str__(self) -> str:
        return "$AZUREML_DATAREFERENCE_%s" % self.name

    def __repr__(self) -> str:
        return "$AZUREML_DATAREFERENCE_%s" % self.name


class StepSequence(NSObject):
    """Steps that run one after the other; an element may be a list of steps that run in parallel."""

    def __init__(self, steps: Optional[Sequence[Any]] = None) -> None:
        if not steps:
            raise UserErrorException("StepSequence: give a non-empty list of steps")
        self._elements: List[List[Any]] = [list(e) if isinstance(e, (list, tuple)) else [e] for e in steps]

    def _steps(self) -> List[Any]:
        return [s for group in self._elements for s in group]


from ..._millrace.notsupported import module_getattr as _module_getattr  # noqa: E402

__getattr__ = _module_getattr(__name__)
