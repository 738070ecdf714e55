"""``run.input_datasets`` / ``run.output_datasets``.

Inputs come from ``MILLRACE_INPUTS`` (JSON: name -> {"path", "kind"}), or,
when that is not set, from the ``MILLRACE_INPUT_<NAME>`` variables (the name
is then only known upper-cased; ``AZUREML_DATAREFERENCE_<name>`` is used to
recover its original spelling). Outputs come from ``MILLRACE_OUTPUTS`` (JSON:
name -> folder path) or ``MILLRACE_OUTPUT_<NAME>``. Look-ups fall back to a
case-insensitive match that also treats ``-`` and ``_`` alike, so
``run.input_datasets["raw_data"]`` finds ``MILLRACE_INPUT_RAW_DATA``.
"""

import json
import os
import sys
from collections.abc import Mapping
from typing import Any, Dict, Iterator, List, Optional

_TABLE_EXTS = (".csv", ".tsv", ".parquet", ".pq")


def _norm(name: str) -> str:
    return name.upper().replace("-", "_")


class DataPath(os.PathLike):
    """A step input or output: a file or folder on the local disk.

    Behaves like its path wherever a path is accepted (``str(ds)``,
    ``open(ds)``, ``os.path.join(ds, "x")``, ``pandas.read_csv(ds)``).
    """

    def __init__(self, name: str, path: str, kind: str = "file", is_output: bool = False) -> None:
        self.name = name
        self._path = os.path.abspath(path)
        self.kind = kind
        self.is_output = is_output

    # -- the path ---------------------------------------------------------
    @property
    def path(self) -> str:
        if self.is_output:
            try:
                os.makedirs(self._path, exist_ok=True)
            except OSError:
                pass
        return self._path

    def __fspath__(self) -> str:
        return self.path

    def __str__(self) -> str:
        return self.path

    def __repr__(self) -> str:
        return "%s(name=%r, path=%r, kind=%r)" % (
            "OutputData" if self.is_output else "InputData", self.name, self._path, self.kind)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, DataPath):
            return self._path == other._path
        if isinstance(other, str):
            return self._path == os.path.abspath(other)
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._path)

    # -- Azure ML habits ----------------------------------------------------
    def as_mount(self, path_on_compute: Optional[str] = None) -> str:
        """Azure's ``as_mount()``: data is already local, so this is the path."""
        return self.path

    def as_download(self, path_on_compute: Optional[str] = None) -> str:
        """Azure's ``as_download()``: data is already local, so this is the path."""
        return self.path

    def to_path(self) -> List[str]:
        """Azure FileDataset.to_path(): files relative to the data's root, e.g. ['/a.csv']."""
        p = self.path
        if os.path.isfile(p):
            return ["/" + os.path.basename(p)]
        return ["/" + os.path.relpath(f, p).replace(os.sep, "/") for f in _walk_files(p)]

    def files(self) -> List[str]:
        """Absolute paths of the files (the file itself, or every file under the folder)."""
        p = self.path
        return [p] if os.path.isfile(p) else _walk_files(p)

    def to_pandas_dataframe(self, **read_kwargs: Any) -> Any:
        """Read CSV/TSV/Parquet data into a pandas DataFrame (needs pandas).

        A folder is read recursively: every .csv/.tsv/.parquet file in it,
        in sorted path order, concatenated.
        """
        try:
            import pandas as pd  # noqa: WPS433 - optional dependency, imported lazily
        except ImportError as exc:
            raise ImportError(
                "to_pandas_dataframe() needs pandas, which is not installed for %s. "
                "Install it (python -m pip install pandas) or read the data yourself from "
                "run.input_datasets[%r].path = %r"
                % (sys.executable, self.name, self._path)
            ) from exc
        p = self.path
        if os.path.isdir(p):
            files = [f for f in _walk_files(p) if f.lower().endswith(_TABLE_EXTS)]
            if not files:
                raise ValueError(
                    "input %r: no CSV or Parquet files in folder %s" % (self.name, p))
        elif os.path.exists(p):
            files = [p]
        else:
            raise FileNotFoundError("input %r: %s does not exist" % (self.name, p))
        frames = [_read_table(pd, f, read_kwargs) for f in files]
        if len(frames) == 1:
            return frames[0]
        return pd.concat(frames, ignore_index=True)


def _walk_files(root: str) -> List[str]:
    out: List[str] = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for f in sorted(filenames):
            if not f.startswith("."):
                out.append(os.path.join(dirpath, f))
    return out


def _read_table(pd: Any, path: str, kwargs: Dict[str, Any]) -> Any:
    low = path.lower()
    if low.endswith((".parquet", ".pq")):
        return pd.read_parquet(path, **kwargs)
    if low.endswith(".tsv"):
        return pd.read_csv(path, **{"sep": "\t", **kwargs})
    return pd.read_csv(path, **kwargs)


class DataMapping(Mapping):
    """A read-only dict of name -> DataPath with a forgiving look-up."""

    def __init__(self, items: Dict[str, DataPath], what: str) -> None:
        self._items = items
        self._what = what

    def __getitem__(self, name: str) -> DataPath:
        try:
            return self._items[name]
        except KeyError:
            pass
        if isinstance(name, str):
            matches = [v for k, v in self._items.items() if _norm(k) == _norm(name)]
            if len(matches) == 1:
                return matches[0]
        known = ", ".join(sorted(self._items)) or "none"
        hint = ""
        if not os.environ.get("MILLRACE_RUN_ID"):
            hint = " (not running inside Millrace: %s are only available in a pipeline step)" % self._what
        raise KeyError("no %s named %r; available: %s%s" % (self._what[:-1], name, known, hint))

    def __iter__(self) -> Iterator[str]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __repr__(self) -> str:
        return "{%s}" % ", ".join("%r: %r" % (k, v) for k, v in self._items.items())


def _parse_json_env(var: str, env: Mapping) -> Optional[Dict[str, Any]]:
    raw = env.get(var)
    if not raw:
        return None
    try:
        data = json.loads(raw)
    except ValueError as exc:
        sys.stderr.write("millrace: ignoring %s, it is not valid JSON: %s\n" % (var, exc))
        return None
    if not isinstance(data, dict):
        sys.stderr.write("millrace: ignoring %s, it is not a JSON object\n" % var)
        return None
    return data


def _guess_kind(path: str) -> str:
    return "folder" if os.path.isdir(path) else "file"


def load_inputs(env: Optional[Mapping] = None) -> DataMapping:
    env = os.environ if env is None else env
    items: Dict[str, DataPath] = {}
    data = _parse_json_env("MILLRACE_INPUTS", env)
    if data is not None:
        for name, spec in data.items():
            if isinstance(spec, str):
                path, kind = spec, None
            elif isinstance(spec, dict) and isinstance(spec.get("path"), str):
                path, kind = spec["path"], spec.get("kind")
            else:
                continue
            items[name] = DataPath(name, path, kind if isinstance(kind, str) else _guess_kind(path))
        return DataMapping(items, "inputs")
    # Fallback: MILLRACE_INPUT_<NAME>; recover the spelling from AZUREML_DATAREFERENCE_<name>.
    spelled = {
        _norm(k[len("AZUREML_DATAREFERENCE_"):]): k[len("AZUREML_DATAREFERENCE_"):]
        for k in env if k.startswith("AZUREML_DATAREFERENCE_")
    }
    for key, path in env.items():
        if key.startswith("MILLRACE_INPUT_") and path:
            upper = key[len("MILLRACE_INPUT_"):]
            if not upper:
                continue
            name = spelled.get(_norm(upper), upper.lower())
            items[name] = DataPath(name, path, _guess_kind(path))
    return DataMapping(items, "inputs")


def load_outputs(env: Optional[Mapping] = None) -> DataMapping:
    env = os.environ if env is None else env
    items: Dict[str, DataPath] = {}
    data = _parse_json_env("MILLRACE_OUTPUTS", env)
    if data is not None:
        for name, spec in data.items():
            if isinstance(spec, dict):
                spec = spec.get("path")
            if isinstance(spec, str):
                items[name] = DataPath(name, spec, "folder", is_output=True)
        return DataMapping(items, "outputs")
    spelled = {
        _norm(k[len("AZUREML_DATAREFERENCE_"):]): k[len("AZUREML_DATAREFERENCE_"):]
        for k in env if k.startswith("AZUREML_DATAREFERENCE_")
    }
    for key, path in env.items():
        if key.startswith("MILLRACE_OUTPUT_") and path:
            upper = key[len("MILLRACE_OUTPUT_"):]
            if not upper:
                continue
            name = spelled.get(_norm(upper), upper.lower())
            items[name] = DataPath(name, path, "folder", is_output=True)
    return DataMapping(items, "outputs")
