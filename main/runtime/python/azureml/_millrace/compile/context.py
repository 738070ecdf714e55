"""What the compiler needs to know about the workspace: datastores, compute pools and environments."""

from typing import Any, Dict, List, Optional

from .. import datastores as dsmod


class CompileContext:
    def __init__(self, datastores: Dict[str, str], computes: List[str], environments: Dict[str, str]) -> None:
        self.datastores = datastores        # real name -> absolute folder
        self.computes = computes            # pool names of millrace.yml (``local`` always)
        self.environments = environments    # millrace.yml environment name -> its python

    @staticmethod
    def of(ws: Any) -> "CompileContext":
        envs = {r["name"]: r.get("python") or "python3" for r in ws._call("sdk/environment-list")
                if r.get("source") == "millrace.yml"}
        return CompileContext(dsmod.table(ws), [r["name"] for r in ws._call("compute/list")], envs)

    def real_datastore(self, asked: Optional[str]) -> str:
        return dsmod.real_name(asked or "default", self.datastores)

    def default_python(self) -> str:
        return self.environments.get("default", "python3")
