"""A consumer's view of a step output (``PipelineData`` or ``OutputFileDatasetConfig``): an input bound
to the producer's folder, the same folder whichever binding (``as_input``, ``as_mount``, ``as_download``)."""

from typing import Any, Dict, Optional

from .notsupported import NSObject, raise_ns

INPUT_MODES = ("mount", "download", "direct")


class StepOutputInput(NSObject):
    def __init__(self, output: Any, name: Optional[str], mode: str = "mount",
                 path_on_compute: Optional[str] = None, tabular: Optional[Dict[str, Any]] = None) -> None:
        self._output = output
        self._input_name = name
        self.mode = mode
        self.path_on_compute = path_on_compute
        self._tabular = tabular

    @property
    def name(self) -> Optional[str]:
        return self._input_name or self._output.name

    @property
    def input_name(self) -> Optional[str]:
        return self.name

    def as_mount(self, path_on_compute: Optional[str] = None) -> "StepOutputInput":
        return StepOutputInput(self._output, self._input_name, "mount", path_on_compute or self.path_on_compute,
                               self._tabular)

    def as_download(self, path_on_compute: Optional[str] = None, overwrite: bool = False) -> "StepOutputInput":
        return StepOutputInput(self._output, self._input_name, "download", path_on_compute or self.path_on_compute,
                               self._tabular)

    def as_upload(self, *args: Any, **kwargs: Any) -> Any:
        raise_ns("as_upload() on a consumed output", "an input is read, never uploaded", "steps-and-data")

    def __repr__(self) -> str:
        return "StepOutputInput(%r -> %r, mode=%r)" % (self._output.name, self.name, self.mode)
