"""``DatasetConsumptionConfig``: a dataset given to a step as an input (``as_named_input`` and friends)."""

from typing import Any, Optional

from .._millrace.notsupported import NSObject, raise_ns
from ..exceptions import UserErrorException

MODES = ("direct", "mount", "download")


class DatasetConsumptionConfig(NSObject):
    def __init__(self, name: str, dataset: Any, mode: str = "direct", path_on_compute: Optional[str] = None) -> None:
        from .abstract_dataset import AbstractDataset
        from ..pipeline.core.graph import PipelineParameter
        if isinstance(dataset, PipelineParameter):
            raise_ns("DatasetConsumptionConfig(dataset=PipelineParameter)", "a dataset chosen at submit time "
                     "is not emulated; pass the dataset itself and a PipelineParameter for its name",
                     "datasets")
        if not isinstance(dataset, AbstractDataset):
            raise UserErrorException("DatasetConsumptionConfig: dataset must be a TabularDataset or a "
                                     "FileDataset, got %r" % (dataset,))
        if mode not in MODES:
            raise UserErrorException("DatasetConsumptionConfig: mode must be one of %s, got %r"
                                     % (", ".join(MODES), mode))
        if not isinstance(name, str) or not name:
            raise UserErrorException("DatasetConsumptionConfig: name must be a non-empty string")
        self.name = name
        self.dataset = dataset
        self.mode = mode
        self.path_on_compute = path_on_compute

    def as_mount(self, path_on_compute: Optional[str] = None) -> "DatasetConsumptionConfig":
        return DatasetConsumptionConfig(self.name, self.dataset, "mount", path_on_compute or self.path_on_compute)

    def as_download(self, path_on_compute: Optional[str] = None) -> "DatasetConsumptionConfig":
        return DatasetConsumptionConfig(self.name, self.dataset, "download", path_on_compute or self.path_on_compute)

    def __repr__(self) -> str:
        return "DatasetConsumptionConfig(name=%r, mode=%r)" % (self.name, self.mode)


from .._millrace.notsupported import module_getattr as _module_getattr  # noqa: E402

__getattr__ = _module_getattr(__name__)
