"""``Environment``: how the SDK describes a step's software, recorded and never built (§10.2).

A step's interpreter is ``python.interpreter_path`` when ``user_managed_dependencies`` is true, else the
millrace.yml environment of the same name, else ``default``; ``environment_variables`` become its env.
"""

import os
from typing import Any, Dict, Optional

from .._millrace import conda_yaml
from .._millrace.notsupported import NSObject, raise_ns
from ..exceptions import UserErrorException
from .conda_dependencies import CondaDependencies
from .runconfig import DEFAULT_CPU_IMAGE


class PythonSection(NSObject):
    def __init__(self) -> None:
        self.conda_dependencies = CondaDependencies()
        self.user_managed_dependencies = False
        self.interpreter_path = "python"
        self.conda_dependencies_file: Optional[str] = None
        self.conda_environment_name: Optional[str] = None


class DockerSection(NSObject):
    def __init__(self) -> None:
        self.enabled = False
        self._base_image: Optional[str] = DEFAULT_CPU_IMAGE
        self.base_image_set = False  # a user assignment asks for Docker; the SDK's default does not
        self.base_dockerfile: Optional[str] = None
        self.shm_size: Optional[str] = None
        self.arguments: list = []

    @property
    def base_image(self) -> Optional[str]:
        return self._base_image

    @base_image.setter
    def base_image(self, value: Optional[str]) -> None:
        self._base_image = value
        self.base_image_set = value is not None


class Environment(NSObject):
    def __init__(self, name: Optional[str], _skip_defaults: bool = False) -> None:
        self.name = name
        self.version: Optional[str] = None
        self.python = PythonSection()
        self.docker = DockerSection()
        self.environment_variables: Dict[str, str] = {}
        self.inferencing_stack_version: Optional[str] = None

    # -- factories ---------------------------------------------------------------
    @staticmethod
    def from_conda_specification(name: str, file_path: str) -> "Environment":
        env = Environment(name)
        env.python.conda_dependencies = CondaDependencies(_existing(file_path, "from_conda_specification"))
        env.python.conda_dependencies_file = os.path.abspath(file_path)
        return env

    @staticmethod
    def from_pip_requirements(name: str, file_path: str, pip_version: Optional[str] = None) -> "Environment":
        path = _existing(file_path, "from_pip_requirements")
        with open(path, "r", encoding="utf-8") as fh:
            packages, _options = conda_yaml.split_requirements(fh.read())
        env = Environment(name)
        cd = CondaDependencies.create(pip_packages=packages)
        if pip_version:
            cd.add_conda_package("pip=%s" % pip_version)
        env.python.conda_dependencies = cd
        return env

    @staticmethod
    def from_existing_conda_environment(name: str, conda_environment_name: str) -> "Environment":
        env = Environment(name)
        env.python.conda_environment_name = conda_environment_name
        return env

    @staticmethod
    def from_dockerfile(*args: Any, **kwargs: Any) -> Any:
        raise_ns("Environment.from_dockerfile", "Millrace builds no images; steps run with a local python",
                 "environments")

    @staticmethod
    def from_docker_image(*args: Any, **kwargs: Any) -> Any:
        raise_ns("Environment.from_docker_image", "Millrace builds no images; steps run with a local python",
                 "environments")

    # -- the store table ---------------------------------------------------------------
    def _definition(self) -> Dict[str, Any]:
        py, dk = self.python, self.docker
        return {
            "python": {"user_managed_dependencies": bool(py.user_managed_dependencies),
                       "interpreter_path": py.interpreter_path,
                       "conda_dependencies": py.conda_dependencies._record() if py.conda_dependencies else None,
                       "conda_environment_name": py.conda_environment_name},
            "docker": {"enabled": bool(dk.enabled), "base_image": dk.base_image,
                       "base_dockerfile": dk.base_dockerfile},
            "environment_variables": {str(k): str(v) for k, v in self.environment_variables.items()},
        }

    def register(self, workspace: Any) -> "Environment":
        if not self.name:
            raise UserErrorException("Environment.register: the environment needs a name")
        record = workspace._call("sdk/environment-register", {"name": self.name, "definition": self._definition()})
        return Environment._from_record(record)

    @staticmethod
    def get(workspace: Any, name: str, version: Optional[str] = None) -> "Environment":
        return Environment._from_record(workspace._call("sdk/environment-get", {"name": name, "version": version}))

    @staticmethod
    def list(workspace: Any) -> Dict[str, "Environment"]:
        return {r["name"]: Environment._from_record(r) for r in workspace._call("sdk/environment-list")}

    @staticmethod
    def _from_record(record: Dict[str, Any]) -> "Environment":
        env = Environment(record["name"])
        env.version = None if record.get("version") is None else str(record["version"])
        d = record.get("definition") or {}
        py, dk = d.get("python") or {}, d.get("docker") or {}
        env.python.user_managed_dependencies = bool(py.get("user_managed_dependencies", False))
        env.python.interpreter_path = py.get("interpreter_path") or "python"
        env.python.conda_environment_name = py.get("conda_environment_name")
        cdr = py.get("conda_dependencies")
        if cdr:
            cd = CondaDependencies()
            cd._name, cd._channels = cdr.get("name"), list(cdr.get("channels") or [])
            cd._conda, cd._pip = list(cdr.get("conda_packages") or []), list(cdr.get("pip_packages") or [])
            env.python.conda_dependencies = cd
        env.docker.enabled = bool(dk.get("enabled", False))
        env.docker._base_image = dk.get("base_image", DEFAULT_CPU_IMAGE)
        env.environment_variables = dict(d.get("environment_variables") or {})
        return env

    def build(self, *args: Any, **kwargs: Any) -> Any:
        raise_ns("Environment.build", "Millrace builds no images or conda environments; name a python in "
                 "millrace.yml's environments", "environments")

    def build_local(self, *args: Any, **kwargs: Any) -> Any:
        raise_ns("Environment.build_local", "Millrace builds no images or conda environments; name a python "
                 "in millrace.yml's environments", "environments")

    def get_image_details(self, *args: Any, **kwargs: Any) -> Any:
        raise_ns("Environment.get_image_details", "Millrace builds no images", "environments")

    def __repr__(self) -> str:
        return "Environment(Name: %s, Version: %s)" % (self.name, self.version)


def _existing(file_path: str, member: str) -> str:
    path = os.path.abspath(file_path)
    if not os.path.isfile(path):
        raise UserErrorException("Environment.%s: no such file: %s" % (member, path))
    return path


from .._millrace.notsupported import module_getattr as _module_getattr  # noqa: E402

__getattr__ = _module_getattr(__name__)
