"""``RunConfiguration`` and ``DockerConfiguration``: settings holders, recorded (§10.2).

Millrace uses only a step's interpreter and environment variables; Docker settings print one
warning line per process and are kept in the compiled spec's ``x-azureml``.
"""

from typing import Any, Dict, List, Optional

from .._millrace.notsupported import NSObject

DEFAULT_CPU_IMAGE = "mcr.microsoft.com/azureml/openmpi3.1.2-ubuntu18.04"
DEFAULT_GPU_IMAGE = "mcr.microsoft.com/azureml/openmpi3.1.2-cuda10.1-cudnn7-ubuntu18.04"

__all__ = ["RunConfiguration", "DockerConfiguration", "DEFAULT_CPU_IMAGE", "DEFAULT_GPU_IMAGE"]


class DockerConfiguration(NSObject):
    def __init__(self, use_docker: Optional[bool] = None, shm_size: Optional[str] = None,
                 shared_volumes: Optional[bool] = None, arguments: Optional[List[str]] = None) -> None:
        self.use_docker = use_docker
        self.shm_size = shm_size
        self.shared_volumes = shared_volumes
        self.arguments = arguments

    def _record(self) -> Dict[str, Any]:
        return {"use_docker": self.use_docker, "shm_size": self.shm_size, "arguments": self.arguments}


class RunConfiguration(NSObject):
    def __init__(self, script: Optional[str] = None, arguments: Optional[List[str]] = None,
                 framework: Optional[str] = None, communicator: Optional[str] = None,
                 conda_dependencies: Any = None, _history_enabled: Any = None, _path: Any = None,
                 _name: Any = None, command: Any = None) -> None:
        from .environment import Environment
        self.script = script
        self.arguments = list(arguments or [])
        self.framework = framework or "Python"
        self.communicator = communicator or "None"
        self.target = "local"
        self.node_count = 1
        self.environment = Environment(None)
        if conda_dependencies is not None:
            self.environment.python.conda_dependencies = conda_dependencies
        self.environment_variables: Dict[str, str] = {}
        self.docker: Optional[DockerConfiguration] = None
        self.command = command

    def _record(self) -> Dict[str, Any]:
        target = self.target
        return {"target": getattr(target, "name", target), "node_count": self.node_count,
                "framework": self.framework, "communicator": self.communicator,
                "docker": self.docker._record() if isinstance(self.docker, DockerConfiguration) else None,
                "environment_variables": dict(self.environment_variables)}

    def __repr__(self) -> str:
        return "RunConfiguration(target=%r, environment=%r)" % (getattr(self.target, "name", self.target),
                                                              self.environment.name)


from .._millrace.notsupported import module_getattr as _module_getattr  # noqa: E402

__getattr__ = _module_getattr(__name__)
