"""SDK objects -> the pipeline spec (DESIGN.md §3, AZUREML.md §10.4b)."""

from .context import CompileContext
from .pipeline import Compiled, compile_pipeline

__all__ = ["CompileContext", "Compiled", "compile_pipeline"]
