"""``azureml.data``: output configs and the dataset classes."""

from .._millrace.notsupported import module_getattr
from .file_dataset import FileDataset
from .output_dataset_config import OutputFileDatasetConfig
from .tabular_dataset import TabularDataset

__all__ = ["OutputFileDatasetConfig", "TabularDataset", "FileDataset"]
__getattr__ = module_getattr(__name__)
