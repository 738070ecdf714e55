"""``azureml.core.compute_target``: the exception of compute operations."""

from .._millrace.notsupported import module_getattr
from ..exceptions import ComputeTargetException

__all__ = ["ComputeTargetException"]
__getattr__ = module_getattr(__name__)
