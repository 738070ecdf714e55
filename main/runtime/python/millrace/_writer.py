"""Buffered, append-only writer for the metrics file (JSON lines).

* Lines are collected in memory and written with one ``os.write`` on a file
  descriptor opened with ``O_APPEND``, so every flush appends whole lines and
  never interleaves half a line with another writer (a shell ``echo >>``, an
  R script, a child process) appending to the same file.
* A flush happens when 0.5 s have passed since the previous flush (checked on
  every call, no background thread), when 64 KiB are buffered, on
  ``run.flush()`` / ``run.complete()``, at interpreter exit (atexit) and when
  the process receives SIGTERM (the handler is only installed when the script
  has not set its own).
* After ``os.fork()`` the child starts with an empty buffer so lines are not
  written twice.
"""

import atexit
import os
import signal
import sys
import threading
import time
from typing import Dict, List, Optional

FLUSH_INTERVAL_S = 0.5
FLUSH_BYTES = 64 * 1024

_OPEN_FLAGS = os.O_WRONLY | os.O_APPEND | os.O_CREAT | getattr(os, "O_BINARY", 0)
_monotonic = time.monotonic


class MetricsWriter:
    def __init__(self, path: str) -> None:
        self.path = path
        self._fd: Optional[int] = None
        self._buf: List[str] = []
        self._size = 0
        self._last_flush = -1e9  # the first line is flushed at once
        self._lock = threading.RLock()
        self._warned = False

    def write(self, line: str) -> None:
        with self._lock:
            self._buf.append(line)
            self._size += len(line)
            now = _monotonic()
            if self._size >= FLUSH_BYTES or now - self._last_flush >= FLUSH_INTERVAL_S:
                self._flush_locked(now)

    def flush(self) -> None:
        with self._lock:
            self._flush_locked(_monotonic())

    def _flush_locked(self, now: float) -> None:
        self._last_flush = now
        if not self._buf:
            return
        data = "".join(self._buf).encode("utf-8", "backslashreplace")
        self._buf = []
        self._size = 0
        try:
            if self._fd is None:
                parent = os.path.dirname(self.path)
                if parent:
                    os.makedirs(parent, exist_ok=True)
                self._fd = os.open(self.path, _OPEN_FLAGS, 0o644)
            view = memoryview(data)
            while view:
                written = os.write(self._fd, view)
                view = view[written:]
        except OSError as exc:
            if not self._warned:
                self._warned = True
                sys.stderr.write(
                    "millrace: could not write metrics to %s: %s (metrics are being dropped)\n"
                    % (self.path, exc)
                )

    def _after_fork_in_child(self) -> None:
        self._lock = threading.RLock()
        self._buf = []
        self._size = 0

    def close(self) -> None:
        with self._lock:
            self._flush_locked(_monotonic())
            if self._fd is not None:
                try:
                    os.close(self._fd)
                except OSError:
                    pass
                self._fd = None


_writers: Dict[str, MetricsWriter] = {}
_registry_lock = threading.Lock()
_hooks_installed = False


def get_writer(path: str) -> MetricsWriter:
    path = os.path.abspath(path)
    with _registry_lock:
        writer = _writers.get(path)
        if writer is None:
            writer = _writers[path] = MetricsWriter(path)
            _install_hooks()
        return writer


def flush_all() -> None:
    for writer in list(_writers.values()):
        try:
            writer.flush()
        except Exception:  # noqa: BLE001 - never fail at exit
            pass


def _after_fork_in_child() -> None:
    global _registry_lock
    _registry_lock = threading.Lock()
    for writer in _writers.values():
        writer._after_fork_in_child()


def _on_sigterm(signum, frame):  # type: ignore[no-untyped-def]
    flush_all()
    # Die of SIGTERM exactly as if no handler had been installed.
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    os.kill(os.getpid(), signal.SIGTERM)


def _install_hooks() -> None:
    global _hooks_installed
    if _hooks_installed:
        return
    _hooks_installed = True
    atexit.register(flush_all)
    if hasattr(os, "register_at_fork"):
        os.register_at_fork(after_in_child=_after_fork_in_child)
    if os.name == "posix" and threading.current_thread() is threading.main_thread():
        try:
            if signal.getsignal(signal.SIGTERM) == signal.SIG_DFL:
                signal.signal(signal.SIGTERM, _on_sigterm)
        except (ValueError, OSError):
            pass
