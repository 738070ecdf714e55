"""Test support: a temp Millrace-like workspace answered by fake_bridge.py through MILLRACE_CLI."""

import json
import os
import shutil
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))


class WorkspaceCase(unittest.TestCase):
    """Each test gets a workspace folder with millrace.yml and a fake bridge; the cwd is a project folder."""

    computes = ["local"]
    extra_datastores = {}

    def setUp(self):
        self.root = tempfile.mkdtemp(prefix="azureml-py-")
        self.ws_dir = os.path.join(self.root, "ws")
        os.makedirs(os.path.join(self.ws_dir, "datastores", "default"))
        with open(os.path.join(self.ws_dir, "millrace.yml"), "w") as fh:
            fh.write("datastores:\n  default: { path: datastores/default }\n")
        datastores = {"default": os.path.join(self.ws_dir, "datastores", "default")}
        for name in self.extra_datastores:
            datastores[name] = os.path.join(self.ws_dir, "datastores", name)
            os.makedirs(datastores[name])
        self.state = {"datastores": datastores, "computes": list(self.computes),
                      "environments": {"default": "python3", "py311": "/opt/py311/bin/python"}}
        self.write_state()
        self.project = os.path.join(self.root, "project")
        os.makedirs(self.project)
        self._env = dict(os.environ)
        self._cwd = os.getcwd()
        os.environ["MILLRACE_WORKSPACE"] = self.ws_dir
        os.environ["MILLRACE_CLI"] = json.dumps([sys.executable, os.path.join(HERE, "fake_bridge.py")])
        for k in list(os.environ):
            if k.startswith(("MILLRACE_RUN", "MILLRACE_PARENT", "MILLRACE_INPUT", "MILLRACE_OUTPUT", "AZUREML_")):
                del os.environ[k]
        os.chdir(self.project)
        from azureml._millrace import studio, transport, warn
        transport._close_all()
        transport._bridges.clear()
        studio._info.clear()
        warn._seen.clear()

    def tearDown(self):
        from azureml._millrace import transport
        transport._close_all()
        transport._bridges.clear()
        os.chdir(self._cwd)
        os.environ.clear()
        os.environ.update(self._env)
        shutil.rmtree(self.root, ignore_errors=True)

    def write_state(self):
        with open(os.path.join(self.ws_dir, "fake-bridge.json"), "w") as fh:
            json.dump(self.state, fh)

    def calls(self, name=None):
        path = os.path.join(self.ws_dir, "bridge-calls.jsonl")
        if not os.path.exists(path):
            return []
        with open(path, encoding="utf-8") as fh:
            out = [json.loads(line) for line in fh if line.strip()]
        return [c for c in out if name is None or c["name"] == name]

    def submitted_spec(self):
        submits = self.calls("sdk/submit")
        self.assertTrue(submits, "nothing was submitted")
        return submits[-1]["args"]["spec"]

    def folder(self, rel, files=None):
        path = os.path.join(self.project, rel)
        os.makedirs(path, exist_ok=True)
        for name, text in (files or {}).items():
            with open(os.path.join(path, name), "w") as fh:
                fh.write(text)
        return path

    def workspace(self):
        from azureml.core import Workspace
        return Workspace.from_config()
