"""``PythonScriptStep``: a ``python`` step of the pipeline spec."""

from typing import Any, Dict, List, Optional

from ..._millrace.step_base import StepBase
from ..._millrace.warn import warn_once


class PythonScriptStep(StepBase):
    _KIND = "python"

    def __init__(self, script_name: str, name: Optional[str] = None, arguments: Optional[List[Any]] = None,
                 compute_target: Any = None, runconfig: Any = None, runconfig_pipeline_params: Any = None,
                 inputs: Optional[List[Any]] = None, outputs: Optional[List[Any]] = None,
                 params: Optional[Dict[str, Any]] = None, source_directory: Optional[str] = None,
                 allow_reuse: bool = True, version: Optional[str] = None, hash_paths: Optional[List[str]] = None) -> None:
        from ...exceptions import UserErrorException
        if not isinstance(script_name, str) or not script_name.strip():
            raise UserErrorException("PythonScriptStep: script_name must be a file name, got %r" % (script_name,))
        self.script_name = script_name
        super().__init__("PythonScriptStep", name, arguments, compute_target, runconfig, runconfig_pipeline_params,
                         inputs, outputs, params, source_directory, allow_reuse, version)
        if hash_paths:
            warn_once("hash_paths is deprecated (Azure ML hashes the whole source_directory, and so does "
                      "Millrace); it is ignored", key="hash_paths")

    def _default_name(self) -> str:
        return self.script_name
