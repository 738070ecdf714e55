"""The one way to the workspace: a ``millrace bridge --stdio`` child process (§10.1 Transport).

One child per Python process and workspace, started on first need, ended at exit. Requests and
answers are JSON lines: ``{id, name, args}`` -> ``{id, result}`` | ``{id, error: {code, message}}``.
The child gets its own session, so Ctrl-C in a terminal interrupts the script, never the bridge in
the middle of an answer; it ends when its stdin closes (the script exited, however it exited).
"""

import atexit
import itertools
import json
import os
import shutil
import subprocess
import threading
from typing import Any, Dict, List, Mapping, Optional, Type

from ..exceptions import AzureMLException, UserErrorException
from .script import script_identity

_CHECKOUT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.dirname(os.path.abspath(__file__)))))))
_EXIT_WAIT_S = 5.0

ErrorMap = Mapping[str, Type[AzureMLException]]


def cli_argv() -> List[str]:
    """``$MILLRACE_CLI`` (a JSON array), else node + this checkout's bin/millrace.js, else ``millrace``."""
    raw = os.environ.get("MILLRACE_CLI")
    if raw:
        try:
            argv = json.loads(raw)
        except ValueError:
            argv = None
        if not isinstance(argv, list) or not argv or not all(isinstance(a, str) and a for a in argv):
            raise UserErrorException(
                "MILLRACE_CLI must be a JSON array of strings, e.g. [\"/usr/bin/node\", "
                "\"/opt/millrace/bin/millrace.js\"]; got %r" % raw)
        return argv
    script = os.path.join(_CHECKOUT, "bin", "millrace.js")
    node = shutil.which("node")
    if node and os.path.isfile(script):
        return [node, script]
    millrace = shutil.which("millrace")
    if millrace:
        return [millrace]
    raise UserErrorException(
        "cannot reach the Millrace workspace: no MILLRACE_CLI, no node with %s and no millrace on "
        "PATH. Run the script with `millrace python script.py` or after `eval \"$(millrace env)\"`"
        % script)


class Bridge:
    def __init__(self, workspace: str) -> None:
        self.workspace = workspace
        self._proc: Optional[subprocess.Popen] = None
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        self._argv: List[str] = []

    def _start(self) -> subprocess.Popen:
        self._argv = cli_argv() + ["bridge", "--stdio", "-w", self.workspace]
        env = dict(os.environ)
        env["MILLRACE_SDK_SCRIPT"] = script_identity()
        try:
            proc = subprocess.Popen(
                self._argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env, close_fds=True,
                start_new_session=(os.name == "posix"))
        except OSError as exc:
            raise UserErrorException("cannot start the Millrace bridge %s: %s"
                                     % (" ".join(self._argv), exc)) from exc
        return proc

    def call(self, name: str, args: Optional[Mapping[str, Any]] = None,
             errors: Optional[ErrorMap] = None) -> Any:
        clean = {k: v for k, v in (args or {}).items() if v is not None}
        with self._lock:
            if self._proc is None or self._proc.poll() is not None:
                self._proc = self._start()
            proc = self._proc
            req_id = next(self._ids)
            line = json.dumps({"id": req_id, "name": name, "args": clean}, ensure_ascii=False,
                              separators=(",", ":"), default=_json_default) + "\n"
            try:
                assert proc.stdin is not None
                proc.stdin.write(line.encode("utf-8"))
                proc.stdin.flush()
                answer = self._read(proc, req_id)
            except (BrokenPipeError, OSError) as exc:
                self._proc = None
                raise self._died(proc, exc) from None
        if "error" in answer:
            raise _as_exception(name, answer["error"], errors)
        return answer.get("result")

    def _read(self, proc: subprocess.Popen, req_id: int) -> Dict[str, Any]:
        assert proc.stdout is not None
        while True:
            raw = proc.stdout.readline()
            if not raw:
                self._proc = None
                raise self._died(proc, None)
            text = raw.decode("utf-8", "replace").strip()
            if not text:
                continue
            try:
                msg = json.loads(text)
            except ValueError:
                raise UserErrorException("the Millrace bridge answered with a line that is not JSON: %r"
                                         % text[:200]) from None
            if isinstance(msg, dict) and msg.get("id") == req_id:
                return msg

    def _died(self, proc: subprocess.Popen, exc: Optional[BaseException]) -> UserErrorException:
        try:
            code = proc.wait(timeout=_EXIT_WAIT_S)
        except subprocess.TimeoutExpired:
            code = None
        for pipe in (proc.stdin, proc.stdout):
            try:
                if pipe:
                    pipe.close()
            except OSError:
                pass
        return UserErrorException(
            "the Millrace bridge (%s) ended unexpectedly%s%s; its messages, if any, are above"
            % (" ".join(self._argv), "" if code is None else " with exit code %s" % code,
               "" if exc is None else " (%s)" % exc))

    def close(self) -> None:
        proc, self._proc = self._proc, None
        if proc is None:
            return
        try:
            if proc.stdin:
                proc.stdin.close()
            proc.wait(timeout=_EXIT_WAIT_S)
        except Exception:  # noqa: BLE001 - at exit, end it whatever happened
            try:
                proc.terminate()
                proc.wait(timeout=_EXIT_WAIT_S)
            except Exception:  # noqa: BLE001
                pass
        finally:
            if proc.stdout:
                proc.stdout.close()


def _json_default(value: Any) -> Any:
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, (set, tuple)):
        return list(value)
    raise TypeError("%r cannot be sent to the Millrace bridge" % (value,))


def _as_exception(name: str, error: Any, errors: Optional[ErrorMap]) -> AzureMLException:
    if not isinstance(error, dict):
        error = {"code": "error", "message": str(error)}
    code = str(error.get("code") or "error")
    message = str(error.get("message") or "%s failed" % name)
    details = error.get("details")
    if isinstance(details, list) and details:
        message += "\n" + "\n".join("  %s" % d for d in details)
    cls = (errors or {}).get(code, UserErrorException)
    return cls(message, code=code)


_bridges: Dict[str, Bridge] = {}
_registry_lock = threading.Lock()


def bridge_for(workspace: str) -> Bridge:
    with _registry_lock:
        bridge = _bridges.get(workspace)
        if bridge is None:
            bridge = _bridges[workspace] = Bridge(workspace)
        return bridge


def call(workspace: str, name: str, args: Optional[Mapping[str, Any]] = None,
         errors: Optional[ErrorMap] = None) -> Any:
    """Answer of one bridge call on ``workspace``; an error answer is raised (UserErrorException by default)."""
    return bridge_for(workspace).call(name, args, errors)


def _close_all() -> None:
    for bridge in list(_bridges.values()):
        bridge.close()


def _forget_in_child() -> None:
    # The parent's pipes are not ours to use: a forked child starts its own bridge when it needs one.
    global _registry_lock
    _registry_lock = threading.Lock()
    _bridges.clear()


atexit.register(_close_all)
if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_in_child)
