"""``azureml.pipeline.steps``: ``PythonScriptStep`` and ``CommandStep``; the other SDK step classes are
importable and raise ``MillraceNotSupportedError`` when built."""

from ..._millrace.notsupported import module_getattr
from ._unsupported import (AdlaStep, AutoMLStep, AzureBatchStep, DatabricksStep, DataTransferStep, EstimatorStep,
                           HyperDriveStep, KustoStep, ModuleStep, MpiStep, ParallelRunConfig, ParallelRunStep,
                           RScriptStep, SynapseSparkStep)
from .command_step import CommandStep
from .python_script_step import PythonScriptStep

__all__ = ["PythonScriptStep", "CommandStep", "ParallelRunStep", "ParallelRunConfig", "DataTransferStep",
           "HyperDriveStep", "EstimatorStep", "MpiStep", "RScriptStep", "AutoMLStep", "DatabricksStep", "AdlaStep",
           "AzureBatchStep", "KustoStep", "SynapseSparkStep", "ModuleStep"]
__getattr__ = module_getattr(__name__)
