"""``CommandStep``: a ``command`` step. A list is an argv; a string runs in ``sh -c`` (as Azure runs it)."""

from typing import Any, Dict, List, Optional, Union

from ..._millrace.step_base import StepBase
from ...exceptions import UserErrorException


class CommandStep(StepBase):
    _KIND = "command"

    def __init__(self, command: Union[str, List[Any], None] = None, name: Optional[str] = None,
                 compute_target: Any = None, runconfig: Any = None, runconfig_pipeline_params: Any = None,
                 inputs: Optional[List[Any]] = None, outputs: Optional[List[Any]] = None,
                 params: Optional[Dict[str, Any]] = None, source_directory: Optional[str] = None,
                 allow_reuse: bool = True, version: Optional[str] = None) -> None:
        if isinstance(command, str):
            if not command.strip():
                raise UserErrorException("CommandStep: command may not be empty")
            argv: List[Any] = ["sh", "-c", command]
        elif isinstance(command, (list, tuple)) and command:
            argv = list(command)
        else:
            raise UserErrorException("CommandStep: command must be a string or a non-empty list, got %r" % (command,))
        self.command = command
        self._argv = argv
        # The command's data objects are bound like arguments: they are inputs or outputs of the step.
        super().__init__("CommandStep", name, argv, compute_target, runconfig, runconfig_pipeline_params,
                         inputs, outputs, params, source_directory, allow_reuse, version)

    def _default_name(self) -> str:
        first = self.command if isinstance(self.command, str) else str(self.command[0])
        return first.split()[0] if first.split() else "command"
