"""The transport (§10.1): one bridge child per process, started on first need, ended at exit; JSON lines."""

import json
import os
import subprocess
import sys
import time
import unittest

from support import HERE, WorkspaceCase


class Transport(WorkspaceCase):
    def test_started_on_first_need_once_with_the_contract_argv(self):
        from azureml.core import Workspace
        ws = Workspace.from_config()
        self.assertEqual(self.calls(), [])
        ws.datastores
        ws.compute_targets
        calls = self.calls()
        self.assertEqual([c["name"] for c in calls], ["datastores/list", "compute/list"])
        self.assertEqual(len({c["bridgePid"] for c in calls}), 1)
        self.assertEqual(calls[0]["argv"], ["bridge", "--stdio", "-w", self.ws_dir])

    def test_error_answers_are_raised_with_their_message_and_details(self):
        from azureml.core import Workspace
        from azureml.exceptions import UserErrorException
        self.state["answers"] = {"sdk/validate": {"__error__": {"code": "invalid_spec", "message": "bad spec",
                                                                "details": ["step 'a': x", "step 'b': y"]}}}
        self.write_state()
        ws = Workspace.from_config()
        with self.assertRaises(UserErrorException) as ctx:
            ws._call("sdk/validate", {"spec": {}})
        self.assertEqual(str(ctx.exception), "bad spec\n  step 'a': x\n  step 'b': y")
        self.assertEqual(ctx.exception.code, "invalid_spec")

    def test_a_bridge_that_dies_is_reported_and_restarted(self):
        from azureml.core import Workspace
        from azureml.exceptions import UserErrorException
        ws = Workspace.from_config()
        ws.datastores
        with self.assertRaisesRegex(UserErrorException, "ended unexpectedly with exit code 3"):
            ws._call("test/exit", {"code": 3})
        ws.datastores
        pids = [c["bridgePid"] for c in self.calls("datastores/list")]
        self.assertEqual(len(set(pids)), 2)

    def test_bad_millrace_cli(self):
        from azureml._millrace.transport import cli_argv
        from azureml.exceptions import UserErrorException
        os.environ["MILLRACE_CLI"] = "node bin/millrace.js"
        with self.assertRaisesRegex(UserErrorException, "MILLRACE_CLI must be a JSON array of strings"):
            cli_argv()

    def test_default_argv_is_node_and_this_checkouts_cli(self):
        import shutil
        from azureml._millrace.transport import cli_argv
        del os.environ["MILLRACE_CLI"]
        if not shutil.which("node"):
            self.skipTest("node is not on PATH")
        argv = cli_argv()
        checkout = os.path.abspath(os.path.join(HERE, "..", "..", "..", ".."))
        self.assertEqual(argv[1:], [os.path.join(checkout, "bin", "millrace.js")])

    def test_the_bridge_ends_when_python_exits_and_gets_the_script(self):
        script = os.path.join(self.project, "driver.py")
        with open(script, "w") as fh:
            fh.write("from azureml.core import Workspace\nWorkspace.from_config().datastores\n")
        env = dict(os.environ, PYTHONPATH=os.pathsep.join([os.path.dirname(os.path.dirname(
            sys.modules["azureml"].__file__))]))
        subprocess.run([sys.executable, script], check=True, env=env, cwd=self.project, timeout=60)
        call = self.calls("datastores/list")[0]
        self.assertEqual(call["script"], script)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and _alive(call["bridgePid"]):
            time.sleep(0.05)
        self.assertFalse(_alive(call["bridgePid"]), "the bridge outlived its script")


def _alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie still answers kill(0); /proc says whether it is only waiting to be reaped.
    try:
        with open("/proc/%d/stat" % pid) as fh:
            return fh.read().split(")")[-1].split()[0] != "Z"
    except OSError:
        return False


if __name__ == "__main__":
    unittest.main()
