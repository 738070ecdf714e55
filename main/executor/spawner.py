"""Millrace's spawn helper: starts step processes on behalf of the Node executor.

Node's child_process.spawn fork()s the whole Node process (page tables of a large heap,
synchronously on the event loop); CPython's subprocess uses vfork(), so a small helper
starts processes faster and off the executor's thread.

Protocol: JSON lines. stdin: {"id", "argv", "cwd", "env", "log", "header"}.
stdout: {"ready": true, "subreaper": bool} once; then per request {"id", "pid"} or
{"id", "error", "message"} once the process was started (or not), then
{"id", "exit", "signal", "orphans"} when it ended. The child gets its own session (setsid), so
its process group id is its pid; stdout and stderr are appended to `log`.

One request never takes the helper down: whatever is wrong with it (a NUL byte, text that is not
valid Unicode, a missing program or folder) is answered with an error for that request alone.

The helper is a child subreaper (PR_SET_CHILD_SUBREAPER): a step's descendants whose parent
dies, including those that left the step's process group with setsid, are reparented to the
helper instead of init, so they stay inside the executor's tree. Every child is reaped here
with waitpid(-1) on SIGCHLD; the processes we started get their exit status answered, the
reparented orphans are only reaped. "orphans" in an exit answer counts the children we did not
start at that moment (null when unknown): a hint for the executor that the step left
processes behind outside its group.
One thread: a selector over stdin and the SIGCHLD wakeup pipe.
"""
import ctypes
import json
import os
import selectors
import signal
import subprocess
import sys

PR_SET_CHILD_SUBREAPER = 36

sel = selectors.DefaultSelector()
out = sys.stdout.buffer
started = {}  # pid -> (request id, Popen): the processes we started and have not reaped yet
engine = os.getppid()
children_file = f"/proc/{os.getpid()}/task/{os.getpid()}/children"


def emit(obj):
    out.write((json.dumps(obj) + "\n").encode())
    out.flush()


def become_subreaper():
    if not sys.platform.startswith("linux"):
        return False
    try:
        return ctypes.CDLL(None, use_errno=True).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def problem(req):
    """What makes a request impossible to start, naming the field; None when nothing does."""
    argv, env = req.get("argv"), req.get("env")
    if not isinstance(argv, list) or not argv:
        return "argv must be a non-empty list of strings"
    if not isinstance(env, dict):
        return "env must be an object of strings"
    fields = [("the program" if i == 0 else f"argument {i}", a) for i, a in enumerate(argv)]
    fields += [("the working directory", req.get("cwd")), ("the log file path", req.get("log")),
               ("the log header", req.get("header") or "")]
    for k, v in env.items():
        fields += [(f"the name of environment variable {k!r}", k), (f"environment variable {k!r}", v)]
    for name, s in fields:
        if not isinstance(s, str):
            return f"{name} is not a string"
        if "\0" in s:
            return f"{name} holds a NUL byte"
        try:
            s.encode("utf-8")
        except UnicodeEncodeError:
            return f"{name} is not valid Unicode (it holds a lone surrogate)"
    for k in env:
        if not k or "=" in k:
            return f"the environment variable name {k!r} is empty or holds '='"
    return None


def spawn(rid, req):
    bad = problem(req)
    if bad:
        emit({"id": rid, "error": "EINVAL", "message": bad})
        return
    if os.getppid() != engine:
        # The executor died after sending this: a process started now would have no owner.
        emit({"id": rid, "error": "EGONE", "message": "the executor that asked for it is gone"})
        return
    argv = req["argv"]
    try:
        with open(req["log"], "ab", buffering=0) as log:
            if req.get("header"):
                log.write(req["header"].encode())
            p = subprocess.Popen(
                argv, cwd=req["cwd"], env=req["env"], stdin=subprocess.DEVNULL,
                stdout=log, stderr=log, start_new_session=True, close_fds=False,
            )
    except FileNotFoundError as e:
        # Also raised for a missing working directory or log folder: only the program is ENOENT.
        code = "ENOENT" if e.filename in (None, argv[0]) else "EOTHER"
        emit({"id": rid, "error": code, "message": str(e)})
        return
    except Exception as e:
        emit({"id": rid, "error": "EOTHER", "message": f"{type(e).__name__}: {e}"})
        return
    started[p.pid] = (rid, p)
    emit({"id": rid, "pid": p.pid})


def handle(line):
    try:
        req = json.loads(line)
        rid = req["id"]
    except Exception as e:
        emit({"error": "EPROTO", "message": f"unreadable request: {e}"})
        return
    try:
        spawn(rid, req)
    except (BrokenPipeError, KeyboardInterrupt):
        raise
    except Exception as e:  # unforeseen: this request fails, the others go on
        emit({"id": rid, "error": "EOTHER", "message": f"{type(e).__name__}: {e}"})


def orphans():
    try:
        with open(children_file) as f:
            return sum(1 for pid in f.read().split() if int(pid) not in started)
    except OSError:
        return None


def reap():
    while True:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        entry = started.pop(pid, None)
        if entry is None:
            continue  # a reparented orphan: reaped so that it does not stay a zombie
        rid, p = entry
        p.returncode = 0  # reaped here; keeps Popen from waiting for it again
        if os.WIFSIGNALED(status):
            emit({"id": rid, "exit": None, "signal": signal.Signals(os.WTERMSIG(status)).name, "orphans": orphans()})
        else:
            emit({"id": rid, "exit": os.waitstatus_to_exitcode(status), "signal": None, "orphans": orphans()})


def main():
    subreaper = become_subreaper()
    wake_r, wake_w = os.pipe()
    os.set_blocking(wake_r, False)
    os.set_blocking(wake_w, False)
    signal.set_wakeup_fd(wake_w, warn_on_full_buffer=False)
    signal.signal(signal.SIGCHLD, lambda *_: None)
    emit({"ready": True, "subreaper": subreaper})
    stdin = sys.stdin.buffer.raw
    os.set_blocking(stdin.fileno(), False)
    sel.register(stdin, selectors.EVENT_READ, "stdin")
    sel.register(wake_r, selectors.EVENT_READ, "sigchld")
    buf = b""
    while True:
        for key, _ in sel.select():
            if key.data == "stdin":
                chunk = stdin.read(1 << 16)
                if chunk is None:
                    continue
                if not chunk:
                    # stdin closed: the executor is gone or done; running steps keep running
                    # (the next millrace process finds them by pid and environment and kills them).
                    return
                buf += chunk
                *lines, buf = buf.split(b"\n")
                for line in lines:
                    if line.strip():
                        handle(line)
            else:
                try:
                    while os.read(wake_r, 4096):
                        pass
                except BlockingIOError:
                    pass
        reap()


if __name__ == "__main__":
    try:
        main()
    except BrokenPipeError:
        # The executor is gone: nobody to answer to.
        os._exit(0)
