"""Millrace's spawn helper: starts step processes on behalf of the Node executor.

Node's child_process.spawn fork()s the whole Node process (page tables of a large heap,
synchronously on the event loop); this helper starts them with posix_spawn (glibc: a vfork-like
clone), about 0.27 ms a process here against 0.4-0.6 ms for subprocess.Popen (which it falls
back to where posix_spawn cannot start a new session), off the executor's thread.

Protocol: JSON lines. stdin: {"id", "argv", "cwd", "env", "log", "header"}.
stdout: {"ready": true, "subreaper": bool} once; then per request {"id", "pid", "start"} (start:
the process's start time from /proc/<pid>/stat, field 22, as process-identity.ts reads it; null for a
process already gone, absent where there is no /proc) or {"id", "error", "message"} once the
process was started (or not), then
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
import sys

PR_SET_CHILD_SUBREAPER = 36

sel = selectors.DefaultSelector()
out = sys.stdout.buffer
started = {}  # pid -> request id: the processes we started and have not reaped yet
popens = {}  # pid -> Popen, on the fallback path: kept so that Popen never reaps one behind our back
engine = os.getppid()
home = os.getcwd()  # relative paths in requests mean what they meant before the helper chdir()ed
# Python ignores these; a started program must get them with their default action (as Popen does).
DEFAULT_SIGNALS = tuple(getattr(signal, n) for n in ("SIGPIPE", "SIGXFZ", "SIGXFSZ") if hasattr(signal, n))
use_posix_spawn = hasattr(os, "posix_spawn") and hasattr(os, "POSIX_SPAWN_DUP2")
children_file = f"/proc/{os.getpid()}/task/{os.getpid()}/children"
has_proc = os.path.exists(f"/proc/{os.getpid()}/stat")


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


def text_problem(s):
    """Why a string cannot reach exec(), or None; cheap for the usual ASCII text."""
    if not isinstance(s, str):
        return "is not a string"
    if "\0" in s:
        return "holds a NUL byte"
    if not s.isascii():
        try:
            s.encode("utf-8")
        except UnicodeEncodeError:
            return "is not valid Unicode (it holds a lone surrogate)"
    return None


def start_time(pid):
    """Field 22 of /proc/<pid>/stat (read here, so the executor's thread need not), None if gone."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            text = f.read()
    except OSError:
        return None
    rest = text[text.rindex(b")") + 2:].split(b" ")
    return None if rest[0] == b"Z" else rest[19].decode()


def problem(req):
    """What makes a request impossible to start, naming the field; None when nothing does."""
    argv, env = req.get("argv"), req.get("env")
    if not isinstance(argv, list) or not argv:
        return "argv must be a non-empty list of strings"
    if not isinstance(env, dict):
        return "env must be an object of strings"
    for i, a in enumerate(argv):
        bad = text_problem(a)
        if bad:
            return f"{'the program' if i == 0 else f'argument {i}'} {bad}"
    for name, s in (("the working directory", req.get("cwd")), ("the log file path", req.get("log")),
                    ("the log header", req.get("header") or "")):
        bad = text_problem(s)
        if bad:
            return f"{name} {bad}"
    for k, v in env.items():
        bad = text_problem(k)
        if bad:
            return f"the name of environment variable {k!r} {bad}"
        bad = text_problem(v)
        if bad:
            return f"environment variable {k!r} {bad}"
        if not k or "=" in k:
            return f"the environment variable name {k!r} is empty or holds '='"
    return None


def find_program(prog, env):
    """The file exec would run: a name without '/' is looked up in the step's own PATH."""
    if "/" in prog:
        return prog
    for d in os.get_exec_path(env):
        path = os.path.join(d, prog)
        if os.access(path, os.X_OK) and not os.path.isdir(path):
            return path
    raise FileNotFoundError(2, "No such file or directory", prog)


def start_process(argv, cwd, env, log_fd):
    """Starts argv in its own session with stdout and stderr on log_fd; returns its pid."""
    global use_posix_spawn
    if use_posix_spawn:
        # The helper's own working directory is the child's: posix_spawn has no chdir action.
        os.chdir(cwd)
        program = find_program(argv[0], env)
        actions = [(os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0),
                   (os.POSIX_SPAWN_DUP2, log_fd, 1), (os.POSIX_SPAWN_DUP2, log_fd, 2)]
        try:
            return os.posix_spawn(program, argv, env, file_actions=actions, setsid=True, setsigdef=DEFAULT_SIGNALS)
        except (NotImplementedError, TypeError):
            use_posix_spawn = False  # no POSIX_SPAWN_SETSID here: Popen from now on
    import subprocess  # only on this path: it costs the helper's start-up several ms

    p = subprocess.Popen(
        argv, cwd=cwd, env=env, stdin=subprocess.DEVNULL,
        stdout=log_fd, stderr=log_fd, start_new_session=True, close_fds=False,
    )
    popens[p.pid] = p
    return p.pid


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
    cwd, log = os.path.join(home, req["cwd"]), os.path.join(home, req["log"])
    try:
        log_fd = os.open(log, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_CLOEXEC, 0o666)
        try:
            if req.get("header"):
                os.write(log_fd, req["header"].encode())
            pid = start_process(argv, cwd, req["env"], log_fd)
        finally:
            os.close(log_fd)
    except FileNotFoundError as e:
        # Also raised for a missing working directory or log folder: only the program is ENOENT.
        code = "EOTHER" if e.filename in (cwd, log) else "ENOENT"
        emit({"id": rid, "error": code, "message": str(e)})
        return
    except Exception as e:
        emit({"id": rid, "error": "EOTHER", "message": f"{type(e).__name__}: {e}"})
        return
    started[pid] = rid
    emit({"id": rid, "pid": pid, "start": start_time(pid)} if has_proc else {"id": rid, "pid": pid})


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
        rid = started.pop(pid, None)
        if rid is None:
            continue  # a reparented orphan: reaped so that it does not stay a zombie
        p = popens.pop(pid, None)
        if p is not None:
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
