"""Millrace's spawn helper: starts step processes on behalf of the Node executor.

Node's child_process.spawn fork()s the whole Node process (page tables of a large heap,
synchronously on the event loop); CPython's subprocess uses vfork(), so a small helper
starts processes faster and off the executor's thread.

Protocol: JSON lines. stdin: {"id", "argv", "cwd", "env", "log", "header"}.
stdout: {"id", "pid"} or {"id", "error"} once the process was started (or not), then
{"id", "exit", "signal"} when it ended. The child gets its own session (setsid), so its
process group id is its pid; stdout and stderr are appended to `log`.
One thread: a selector over stdin and one pidfd per child (Linux >= 5.3).
"""
import json
import os
import selectors
import signal
import subprocess
import sys

sel = selectors.DefaultSelector()
out = sys.stdout.buffer


def emit(obj):
    out.write((json.dumps(obj) + "\n").encode())
    out.flush()


def spawn(req):
    rid = req["id"]
    try:
        with open(req["log"], "ab", buffering=0) as log:
            if req.get("header"):
                log.write(req["header"].encode())
            p = subprocess.Popen(
                req["argv"], cwd=req["cwd"], env=req["env"], stdin=subprocess.DEVNULL,
                stdout=log, stderr=log, start_new_session=True, close_fds=False,
            )
    except FileNotFoundError as e:
        emit({"id": rid, "error": "ENOENT", "message": str(e)})
        return
    except OSError as e:
        emit({"id": rid, "error": "EOTHER", "message": str(e)})
        return
    emit({"id": rid, "pid": p.pid})
    fd = os.pidfd_open(p.pid)
    sel.register(fd, selectors.EVENT_READ, (rid, p))


def reap(fd, rid, p):
    sel.unregister(fd)
    os.close(fd)
    _, status = os.waitpid(p.pid, 0)
    p.returncode = 0  # reaped here; keeps Popen from polling it again
    if os.WIFSIGNALED(status):
        emit({"id": rid, "exit": None, "signal": signal.Signals(os.WTERMSIG(status)).name})
    else:
        emit({"id": rid, "exit": os.WEXITSTATUS(status), "signal": None})


def main():
    # Needs pidfd_open (Linux >= 5.3, Python >= 3.9); without it the executor spawns by itself.
    try:
        os.close(os.pidfd_open(os.getpid()))
    except (AttributeError, OSError):
        sys.exit(3)
    emit({"ready": True})
    stdin = sys.stdin.buffer.raw
    os.set_blocking(stdin.fileno(), False)
    sel.register(stdin, selectors.EVENT_READ, None)
    buf = b""
    while True:
        for key, _ in sel.select():
            if key.data is None:
                chunk = stdin.read(1 << 16)
                if chunk is None:
                    continue
                if not chunk:
                    # stdin closed: the executor is gone or done; running steps keep running
                    # (recorded with pid and start time, recovered by the next millrace process).
                    return
                buf += chunk
                *lines, buf = buf.split(b"\n")
                for line in lines:
                    if line.strip():
                        spawn(json.loads(line))
            else:
                reap(key.fd, *key.data)


if __name__ == "__main__":
    main()
