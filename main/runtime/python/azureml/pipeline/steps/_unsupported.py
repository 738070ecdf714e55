"""Step classes of the SDK that Millrace does not run yet: importable, ``MillraceNotSupportedError`` when built."""

from typing import Any, Optional

from ..._millrace.notsupported import NSObject, raise_ns


def _unsupported(class_name: str, planned: Optional[str]) -> type:
    why = ("Millrace plans a '%s' step type for it; until then use a PythonScriptStep" % planned if planned
           else "Millrace has no step type for it; use a PythonScriptStep or a CommandStep")

    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        raise_ns(class_name, why, "steps-and-data")

    return type(class_name, (NSObject,), {"__init__": __init__, "__doc__": "Not supported: %s." % why})


ParallelRunStep = _unsupported("ParallelRunStep", "parallel")
ParallelRunConfig = _unsupported("ParallelRunConfig", "parallel")
DataTransferStep = _unsupported("DataTransferStep", "copy")
HyperDriveStep = _unsupported("HyperDriveStep", "sweep")
EstimatorStep = _unsupported("EstimatorStep", None)
MpiStep = _unsupported("MpiStep", None)
RScriptStep = _unsupported("RScriptStep", None)
AutoMLStep = _unsupported("AutoMLStep", None)
DatabricksStep = _unsupported("DatabricksStep", None)
AdlaStep = _unsupported("AdlaStep", None)
AzureBatchStep = _unsupported("AzureBatchStep", None)
KustoStep = _unsupported("KustoStep", None)
SynapseSparkStep = _unsupported("SynapseSparkStep", None)
ModuleStep = _unsupported("ModuleStep", None)
