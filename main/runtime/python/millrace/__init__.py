"""Millrace run context for step scripts (Python 3.9+, standard library only).

    from millrace import Run
    run = Run.get_context()     # a live run inside Millrace, an offline run elsewhere
    run.log("accuracy", 0.93)
    path = run.input_datasets["raw_data"].path

Mirrors ``azureml.core.Run`` from the Azure ML SDK v1. Metrics are appended
as JSON lines to ``$MILLRACE_METRICS_FILE``; the format is documented in
docs/run-context.md so scripts in other languages can log too.
"""

from ._datasets import DataMapping, DataPath
from ._writer import flush_all as flush
from .run import Experiment, Run, Workspace, _OfflineRun  # noqa: F401 (Azure name)

__version__ = "0.1.0"

__all__ = ["Run", "Experiment", "Workspace", "DataPath", "DataMapping", "flush",
           "get_context", "__version__"]


def get_context(allow_offline: bool = True) -> Run:
    """Shortcut for ``Run.get_context()``."""
    return Run.get_context(allow_offline=allow_offline)
