"""``CondaDependencies``: a conda environment specification, recorded (Millrace installs nothing, §10.2)."""

import os
import sys
from typing import Any, Iterator, List, Optional

from .._millrace import conda_yaml
from .._millrace.notsupported import NSObject
from ..exceptions import UserErrorException

__all__ = ["CondaDependencies"]


class CondaDependencies(NSObject):
    def __init__(self, conda_dependencies_file_path: Optional[str] = None, _underlying_structure: Any = None) -> None:
        self._name: Optional[str] = "project_environment"
        self._channels: List[str] = []
        self._conda: List[str] = []
        self._pip: List[str] = []
        if conda_dependencies_file_path is not None:
            path = os.path.abspath(conda_dependencies_file_path)
            if not os.path.isfile(path):
                raise UserErrorException("CondaDependencies: no such file: %s" % path)
            with open(path, "r", encoding="utf-8") as fh:
                parsed = conda_yaml.parse(fh.read(), path)
            self._name = parsed["name"]
            self._channels, self._conda, self._pip = parsed["channels"], parsed["conda"], parsed["pip"]

    @staticmethod
    def create(pip_packages: Optional[List[str]] = None, conda_packages: Optional[List[str]] = None,
               python_version: Optional[str] = None, pin_sdk_version: bool = True) -> "CondaDependencies":
        cd = CondaDependencies()
        cd._conda = ["python=%s" % (python_version or "%d.%d" % sys.version_info[:2])]
        cd._pip = ["azureml-defaults"]
        for p in conda_packages or []:
            cd.add_conda_package(p)
        for p in pip_packages or []:
            cd.add_pip_package(p)
        return cd

    @staticmethod
    def _replace(items: List[str], spec: str) -> None:
        name = conda_yaml.package_name(spec)
        items[:] = [p for p in items if conda_yaml.package_name(p) != name] + [spec]

    def add_conda_package(self, conda_package: str) -> None:
        self._replace(self._conda, conda_package)

    def add_pip_package(self, pip_package: str) -> None:
        self._replace(self._pip, pip_package)

    def add_channel(self, channel: str) -> None:
        if channel not in self._channels:
            self._channels.append(channel)

    def remove_conda_package(self, conda_package: str) -> None:
        name = conda_yaml.package_name(conda_package)
        self._conda = [p for p in self._conda if conda_yaml.package_name(p) != name]

    def remove_pip_package(self, pip_package: str) -> None:
        name = conda_yaml.package_name(pip_package)
        self._pip = [p for p in self._pip if conda_yaml.package_name(p) != name]

    def remove_channel(self, channel: str) -> None:
        self._channels = [c for c in self._channels if c != channel]

    def set_python_version(self, version: str) -> None:
        self.add_conda_package("python=%s" % version)

    def get_python_version(self) -> Optional[str]:
        for p in self._conda:
            if conda_yaml.package_name(p) == "python" and "=" in p:
                return p.split("=")[-1]
        return None

    @property
    def conda_packages(self) -> Iterator[str]:
        return iter(list(self._conda))

    @property
    def pip_packages(self) -> Iterator[str]:
        return iter(list(self._pip))

    @property
    def conda_channels(self) -> Iterator[str]:
        return iter(list(self._channels))

    def serialize_to_string(self) -> str:
        return conda_yaml.dump(self._name, self._channels, self._conda, self._pip)

    def save(self, path: Optional[str] = None) -> str:
        target = os.path.abspath(path or "conda_dependencies.yml")
        parent = os.path.dirname(target)
        if parent:
            os.makedirs(parent, exist_ok=True)
        with open(target, "w", encoding="utf-8") as fh:
            fh.write(self.serialize_to_string())
        return target

    def save_to_file(self, base_directory: str, conda_file_path: Optional[str] = None) -> str:
        return self.save(os.path.join(base_directory, conda_file_path or "conda_dependencies.yml"))

    def _record(self) -> dict:
        return {"name": self._name, "channels": list(self._channels), "conda_packages": list(self._conda),
                "pip_packages": list(self._pip)}

    def __repr__(self) -> str:
        return self.serialize_to_string()


from .._millrace.notsupported import module_getattr as _module_getattr  # noqa: E402

__getattr__ = _module_getattr(__name__)
