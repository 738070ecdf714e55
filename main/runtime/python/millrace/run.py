"""The run context: ``Run.get_context()`` and the offline stand-in.

Mirrors ``azureml.core.Run`` (Azure ML SDK v1) for the parts a step script
uses. See docs/run-context.md for the full description.
"""

import io
import json
import os
import re
import shutil
import sys
import uuid
from typing import Any, Dict, Iterable, List, Mapping, Optional, Union

from ._datasets import DataMapping, load_inputs, load_outputs
from ._encode import (build_record, check_description, check_name, check_step,
                      encode_record, scalar_line)
from ._writer import get_writer

PathLike = Union[str, "os.PathLike[str]"]

_IMAGE_NAME_BAD = re.compile(r"[^A-Za-z0-9._-]+")


class Workspace:
    """The Millrace workspace the run belongs to (``run.experiment.workspace``)."""

    def __init__(self, path: Optional[str]) -> None:
        self.path = path
        self.name = os.path.basename(os.path.normpath(path)) if path else "offline"

    def __repr__(self) -> str:
        return "Workspace(name=%r, path=%r)" % (self.name, self.path)


class Experiment:
    def __init__(self, name: str, workspace: Workspace) -> None:
        self.name = name
        self.workspace = workspace

    def __repr__(self) -> str:
        return "Experiment(name=%r)" % self.name


class _StderrWriter:
    """Used when MILLRACE_RUN_ID is set but no metrics file could be determined."""

    def write(self, line: str) -> None:
        sys.stderr.write("millrace metric: " + line)

    def flush(self) -> None:
        sys.stderr.flush()


def _relative_parts(name: Any) -> List[str]:
    """Validate an artifact name and return its path components under outputs/."""
    if not isinstance(name, str) or not name.strip():
        raise ValueError("artifact name must be a non-empty relative path, got %r" % (name,))
    n = name.replace("\\", "/")
    if n.startswith("/") or re.match(r"^[A-Za-z]:", n):
        raise ValueError("artifact name must be a relative path, got %r" % name)
    parts = [p for p in n.split("/") if p not in ("", ".")]
    if ".." in parts:
        raise ValueError("artifact name must not contain '..', got %r" % name)
    if not parts:
        raise ValueError("artifact name must name a file, got %r" % name)
    # Azure habit: run.upload_file("outputs/model.pkl", ...). The Millrace
    # artifact root already is <run dir>/outputs, so a leading "outputs/" is
    # accepted and dropped instead of producing outputs/outputs/model.pkl.
    if parts[0] == "outputs" and len(parts) > 1:
        parts = parts[1:]
    return parts


class Run:
    """A step run inside Millrace. Get it with ``Run.get_context()``."""

    _context: Optional["Run"] = None

    def __init__(self, run_id: str, experiment: Experiment, *,
                 metrics_file: Optional[str] = None, run_dir: Optional[str] = None,
                 parent_id: Optional[str] = None, is_parent: bool = False,
                 inputs: Optional[DataMapping] = None,
                 outputs: Optional[DataMapping] = None) -> None:
        self._id = run_id
        self._experiment = experiment
        self._metrics_file = metrics_file
        self._writer: Any = get_writer(metrics_file) if metrics_file else _StderrWriter()
        self._run_dir = run_dir or os.getcwd()
        self._parent_id = parent_id
        self._is_parent = is_parent
        self._parent: Optional[Run] = None
        self._inputs = inputs if inputs is not None else DataMapping({}, "inputs")
        self._outputs = outputs if outputs is not None else DataMapping({}, "outputs")

    # -- construction ---------------------------------------------------------
    @classmethod
    def get_context(cls, allow_offline: bool = True, **kwargs: Any) -> "Run":
        """The current run: live inside a Millrace step, else an offline run that prints."""
        run_id = os.environ.get("MILLRACE_RUN_ID")
        cached = Run._context
        if cached is not None and (cached.id == run_id or (not run_id and cached.offline and allow_offline)):
            return cached
        if not run_id:
            if not allow_offline:
                raise RuntimeError(
                    "Run.get_context(allow_offline=False): not running inside Millrace "
                    "(MILLRACE_RUN_ID is not set)")
            run: Run = _OfflineRun()
        else:
            run = cls._from_env(run_id)
        Run._context = run
        return run

    @classmethod
    def _from_env(cls, run_id: str) -> "Run":
        env = os.environ
        metrics_file = env.get("MILLRACE_METRICS_FILE") or None
        run_dir = env.get("MILLRACE_RUN_DIR") or None
        if metrics_file is None:
            if run_dir:
                metrics_file = os.path.join(run_dir, "metrics.jsonl")
                sys.stderr.write("millrace: MILLRACE_METRICS_FILE is not set; writing metrics "
                                 "to %s\n" % metrics_file)
            else:
                sys.stderr.write("millrace: MILLRACE_METRICS_FILE is not set; metrics are "
                                 "printed to stderr\n")
        if run_dir is None:
            run_dir = os.path.dirname(os.path.abspath(metrics_file)) if metrics_file else os.getcwd()
        experiment = Experiment(env.get("MILLRACE_EXPERIMENT") or "Default",
                                Workspace(env.get("MILLRACE_WORKSPACE") or None))
        return cls(run_id, experiment, metrics_file=metrics_file, run_dir=os.path.abspath(run_dir),
                   parent_id=env.get("MILLRACE_PARENT_RUN_ID") or None,
                   inputs=load_inputs(env), outputs=load_outputs(env))

    # -- identity -------------------------------------------------------------
    @property
    def id(self) -> str:
        return self._id

    @property
    def experiment(self) -> Experiment:
        return self._experiment

    @property
    def offline(self) -> bool:
        """True for the offline stand-in returned outside Millrace."""
        return False

    @property
    def parent(self) -> Optional["Run"]:
        """The pipeline run this step belongs to; its metrics are recorded on the pipeline run."""
        if self._is_parent or not self._parent_id:
            return None
        if self._parent is None:
            parent = Run.__new__(type(self))
            Run.__init__(parent, self._parent_id, self._experiment,
                         metrics_file=None, run_dir=self._run_dir, is_parent=True)
            parent._writer = self._writer  # same file, records carry "parent": true
            parent._metrics_file = self._metrics_file
            self._parent = parent
        return self._parent

    @property
    def input_datasets(self) -> DataMapping:
        return self._inputs

    @property
    def output_datasets(self) -> DataMapping:
        return self._outputs

    def get_status(self) -> str:
        return "Running"

    def __repr__(self) -> str:
        return "Run(id=%r, experiment=%r%s)" % (
            self._id, self._experiment.name, ", parent" if self._is_parent else "")

    # -- metrics --------------------------------------------------------------
    def _write(self, kind: str, name: Any, value: Any, description: Any = "") -> None:
        name = check_name(name, "tag key" if kind == "tag" else "metric name")
        description = check_description(name, description)
        self._writer.write(encode_record(
            build_record(kind, name, value, description, parent=self._is_parent)))

    def log(self, name: str, value: Any, description: str = "", step: Optional[int] = None) -> None:
        """Log a scalar (number, string, bool or None). Repeated calls make a series."""
        self._writer.write(scalar_line(name, value, description, step, self._is_parent))

    def log_list(self, name: str, value: Iterable[Any], description: str = "") -> None:
        """Log a list of scalars."""
        self._write("list", name, value, description)

    def log_row(self, name: str, description: Optional[str] = None, **kwargs: Any) -> None:
        """Log one row (columns given as keyword arguments); rows with one name form a table."""
        self._write("row", name, kwargs, description)

    def log_table(self, name: str, value: Mapping[str, Iterable[Any]], description: str = "") -> None:
        """Log a table: a dict of column name -> list of values (all the same length)."""
        self._write("table", name, value, description)

    def log_image(self, name: str, path: Optional[PathLike] = None, plot: Any = None,
                  description: str = "") -> str:
        """Log an image file (``path``) or a matplotlib figure (``plot``, saved as PNG).

        The image is copied to ``<run dir>/images/`` and the metric's value is
        its path relative to the run dir, e.g. ``images/ROC.png``.
        """
        name = check_name(name)
        description = check_description(name, description)
        if (path is None) == (plot is None):
            raise ValueError("log_image(%r): give exactly one of path= or plot=" % name)
        if path is not None:
            src = os.fspath(path)
            if not os.path.isfile(src):
                raise FileNotFoundError("log_image(%r): no such file: %s" % (name, src))
            ext = os.path.splitext(src)[1].lower() or ".png"
        else:
            if not callable(getattr(plot, "savefig", None)):
                raise TypeError("log_image(%r): plot must be a matplotlib figure (or pyplot) "
                                "with a savefig() method" % name)
            src = None
            ext = ".png"
        rel, dest = self._claim_image_path(name, ext)
        try:
            if src is not None:
                shutil.copyfile(src, dest)
            else:
                plot.savefig(dest, format="png")
        except BaseException:
            try:
                os.remove(dest)
            except OSError:
                pass
            raise
        self._writer.write(encode_record(
            build_record("image", name, rel, description, parent=self._is_parent)))
        return rel

    def _claim_image_path(self, name: str, ext: str):  # type: ignore[no-untyped-def]
        images = os.path.join(self._run_dir, "images")
        os.makedirs(images, exist_ok=True)
        base = _IMAGE_NAME_BAD.sub("_", name).strip("._")[:100] or "image"
        n = 1
        while True:
            fname = base + ext if n == 1 else "%s_%d%s" % (base, n, ext)
            dest = os.path.join(images, fname)
            try:
                os.close(os.open(dest, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644))
            except FileExistsError:
                n += 1
                continue
            return "images/" + fname, dest

    def tag(self, key: str, value: Optional[Any] = None) -> None:
        """Tag the run; ``value`` is a string (numbers are converted) or None."""
        self._write("tag", key, value)

    def set_tags(self, tags: Union[Mapping[str, Any], Iterable[str]]) -> None:
        """Set several tags: a dict of key -> value, or a list of keys (value None)."""
        items = tags.items() if isinstance(tags, Mapping) else ((k, None) for k in tags)
        for key, value in items:
            self.tag(key, value)

    # -- files ----------------------------------------------------------------
    def _outputs_dir(self) -> str:
        if self._is_parent:
            raise NotImplementedError(
                "uploading files to the pipeline (parent) run is not supported; "
                "upload to the step run (run.upload_file) instead")
        return os.path.join(self._run_dir, "outputs")

    def upload_file(self, name: str, path_or_stream: Any) -> str:
        """Copy a file (path, or a readable stream / bytes) to ``<run dir>/outputs/<name>``.

        ``name`` must be relative without ``..``; a leading ``outputs/`` (the
        Azure ML habit) is accepted and dropped. Returns the destination path.
        """
        dest = os.path.join(self._outputs_dir(), *_relative_parts(name))
        os.makedirs(os.path.dirname(dest), exist_ok=True)
        if isinstance(path_or_stream, (bytes, bytearray, memoryview)):
            with open(dest, "wb") as fh:
                fh.write(path_or_stream)
        elif hasattr(path_or_stream, "read"):
            with open(dest, "wb") as fh:
                while True:
                    chunk = path_or_stream.read(1024 * 1024)
                    if not chunk:
                        break
                    fh.write(chunk.encode("utf-8") if isinstance(chunk, str) else chunk)
        else:
            src = os.fspath(path_or_stream)
            if os.path.isdir(src):
                raise IsADirectoryError(
                    "upload_file(%r): %s is a folder; use run.upload_folder()" % (name, src))
            if os.path.abspath(src) != os.path.abspath(dest):
                shutil.copyfile(src, dest)
        return dest

    def upload_files(self, names: List[str], paths: List[Any]) -> List[str]:
        if len(names) != len(paths):
            raise ValueError("upload_files: names and paths must have the same length")
        return [self.upload_file(n, p) for n, p in zip(names, paths)]

    def upload_folder(self, name: str, path: PathLike) -> str:
        """Copy a folder to ``<run dir>/outputs/<name>/`` (merging with what is there)."""
        dest = os.path.join(self._outputs_dir(), *_relative_parts(name))
        shutil.copytree(os.fspath(path), dest, dirs_exist_ok=True)
        return dest

    # -- lifecycle ------------------------------------------------------------
    def flush(self) -> None:
        """Write buffered metrics to the metrics file now."""
        self._writer.flush()

    def complete(self) -> None:
        """Azure habit; the engine sets the final status. Flushes metrics."""
        self.flush()

    # -- reading back (best effort) ------------------------------------------
    def _records(self) -> List[Dict[str, Any]]:
        self.flush()
        out: List[Dict[str, Any]] = []
        if not self._metrics_file:
            return out
        try:
            with io.open(self._metrics_file, "r", encoding="utf-8", errors="replace") as fh:
                for line in fh:
                    line = line.strip()
                    if not line:
                        continue
                    try:
                        rec = json.loads(line)
                    except ValueError:
                        continue
                    if isinstance(rec, dict) and isinstance(rec.get("name"), str) \
                            and bool(rec.get("parent")) == self._is_parent:
                        out.append(rec)
        except OSError:
            pass
        return out

    def get_metrics(self, name: Optional[str] = None) -> Dict[str, Any]:
        """Metrics logged so far by this process' run, read back from the metrics file.

        As in Azure ML: a scalar logged once is its value, logged several times
        a list; rows with the same name become a dict of column -> list.
        """
        result: Dict[str, Any] = {}
        counts: Dict[str, int] = {}
        for rec in self._records():
            kind = rec.get("kind", "scalar")
            key = rec["name"]
            if kind == "tag" or (name is not None and key != name):
                continue
            value = rec.get("value")
            if kind in ("scalar", "image"):
                counts[key] = counts.get(key, 0) + 1
                if counts[key] == 1:
                    result[key] = value
                elif counts[key] == 2:
                    result[key] = [result[key], value]
                else:
                    result[key].append(value)
            elif kind == "row" and isinstance(value, dict):
                table = result.setdefault(key, {})
                for col, v in value.items():
                    table.setdefault(col, []).append(v)
            else:
                result[key] = value
        return result

    def get_tags(self) -> Dict[str, Optional[str]]:
        return {rec["name"]: rec.get("value") for rec in self._records()
                if rec.get("kind") == "tag"}


def _say(message: str) -> None:
    try:
        print(message)
    except Exception:  # noqa: BLE001 - an offline run never fails
        pass


class _OfflineRun(Run):
    """Returned by ``Run.get_context()`` outside Millrace: prints what it would log.

    Nothing is written to disk and no method raises; a value that would be
    rejected inside Millrace produces a warning on stderr.
    """

    def __init__(self, is_parent: bool = False) -> None:
        run_id = "OfflineRun_" + str(uuid.uuid4())
        super().__init__(run_id, Experiment("offline", Workspace(None)),
                         metrics_file=None, run_dir=None, is_parent=is_parent,
                         inputs=load_inputs(), outputs=load_outputs())
        self._writer = _NullWriter()

    @property
    def offline(self) -> bool:
        return True

    @property
    def parent(self) -> Optional[Run]:
        if self._is_parent:
            return None
        if self._parent is None:
            self._parent = _OfflineRun(is_parent=True)
        return self._parent

    def __repr__(self) -> str:
        return "_OfflineRun(id=%r)" % self._id

    @staticmethod
    def _check(what: str, kind: str, name: Any, value: Any, description: Any = "",
               step: Any = None) -> None:
        try:
            n = check_name(name)
            check_description(n, description)
            if kind == "scalar":
                check_step(n, step)
            build_record(kind, n, value)
        except Exception as exc:  # noqa: BLE001
            try:
                sys.stderr.write("millrace (offline): inside Millrace %s would raise %s: %s\n"
                                 % (what, type(exc).__name__, exc))
            except Exception:  # noqa: BLE001
                pass

    def log(self, name: str, value: Any, description: str = "", step: Optional[int] = None) -> None:
        self._check("run.log(%r)" % (name,), "scalar", name, value, description, step)
        _say("Attempted to log scalar metric %s:\n%s" % (name, value))

    def log_list(self, name: str, value: Iterable[Any], description: str = "") -> None:
        if not isinstance(value, (list, tuple)):
            try:
                value = list(value)
            except Exception:  # noqa: BLE001
                pass
        self._check("run.log_list(%r)" % (name,), "list", name, value, description)
        _say("Attempted to log list metric %s:\n%s" % (name, value))

    def log_row(self, name: str, description: Optional[str] = None, **kwargs: Any) -> None:
        self._check("run.log_row(%r)" % (name,), "row", name, kwargs, description)
        _say("Attempted to log row metric %s:\n%s" % (name, kwargs))

    def log_table(self, name: str, value: Mapping[str, Iterable[Any]], description: str = "") -> None:
        self._check("run.log_table(%r)" % (name,), "table", name, value, description)
        _say("Attempted to log table metric %s:\n%s" % (name, value))

    def log_image(self, name: str, path: Optional[PathLike] = None, plot: Any = None,
                  description: str = "") -> str:
        _say("Attempted to log image metric %s:\n%s" % (name, path if path is not None else plot))
        return ""

    def tag(self, key: str, value: Optional[Any] = None) -> None:
        self._check("run.tag(%r)" % (key,), "tag", key, value)
        _say("Attempted to set tag %s:\n%s" % (key, value))

    def set_tags(self, tags: Union[Mapping[str, Any], Iterable[str]]) -> None:
        try:
            items = list(tags.items()) if isinstance(tags, Mapping) else [(k, None) for k in tags]
        except Exception:  # noqa: BLE001
            items = []
        for key, value in items:
            self.tag(key, value)

    def upload_file(self, name: str, path_or_stream: Any) -> str:
        try:
            _relative_parts(name)
        except ValueError as exc:
            sys.stderr.write("millrace (offline): inside Millrace run.upload_file(%r) would raise "
                             "ValueError: %s\n" % (name, exc))
        _say("Attempted to upload file %s:\n%s" % (name, path_or_stream))
        return ""

    def upload_files(self, names: List[str], paths: List[Any]) -> List[str]:
        for n, p in zip(names, paths):
            self.upload_file(n, p)
        return []

    def upload_folder(self, name: str, path: PathLike) -> str:
        _say("Attempted to upload folder %s:\n%s" % (name, path))
        return ""

    def get_metrics(self, name: Optional[str] = None) -> Dict[str, Any]:
        return {}

    def get_tags(self) -> Dict[str, Optional[str]]:
        return {}


class _NullWriter:
    def write(self, line: str) -> None:
        pass

    def flush(self) -> None:
        pass
