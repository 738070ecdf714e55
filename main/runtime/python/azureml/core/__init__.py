"""``azureml.core``: Workspace, Experiment, Run, Datastore, Dataset, Environment, Model, ComputeTarget,
RunConfiguration, ScriptRunConfig and ``VERSION``."""

from .._millrace.notsupported import module_getattr
from .._millrace.version import VERSION
from .compute import ComputeTarget
from .dataset import Dataset
from .datastore import Datastore
from .environment import Environment
from .experiment import Experiment
from .model import Model
from .run import Run
from .runconfig import RunConfiguration
from .script_run_config import ScriptRunConfig
from .workspace import Workspace

__all__ = ["VERSION", "Workspace", "Experiment", "Run", "Datastore", "Dataset", "Environment", "Model",
           "ComputeTarget", "RunConfiguration", "ScriptRunConfig"]
__getattr__ = module_getattr(__name__)
