"""Validation of metric values and encoding of metrics-file lines.

The metrics file is JSON lines (see docs/run-context.md). Every record is one
JSON object on one line. Non-finite floats (NaN, Infinity, -Infinity) are not
valid JSON, so they are written as ``null`` and the record gets a
``"nonFinite"`` key:

* scalar metric: ``{"name": "loss", "value": null, "nonFinite": "nan"}``
  (``"nan"``, ``"inf"`` or ``"-inf"``)
* list / row / table: ``"nonFinite"`` is an object mapping a JSON Pointer
  (RFC 6901) into ``value`` to ``"nan"`` / ``"inf"`` / ``"-inf"``, e.g.
  ``{"name": "losses", "kind": "list", "value": [1.0, null],
  "nonFinite": {"/1": "nan"}}``.
"""

import json
import numbers
import time
from typing import Any, Dict, List, Optional

_INF = float("inf")
_NINF = float("-inf")

# One pre-built encoder: json.dumps() with non-default options builds a new
# JSONEncoder on every call, which is measurably slower for 100k calls.
_ENCODER = json.JSONEncoder(ensure_ascii=False, allow_nan=False)
_encode = _ENCODER.encode

# JSON-encoded metric names, cached: scripts log the same few names many times.
_NAME_CACHE: Dict[str, str] = {}

KINDS = ("scalar", "list", "row", "table", "image", "tag")


def now_ms() -> int:
    return int(time.time() * 1000)


def check_name(name: Any, what: str = "metric name") -> str:
    if type(name) is not str:
        if isinstance(name, str):
            name = str(name)
        else:
            raise TypeError(
                "%s must be a non-empty string, got %s" % (what, type(name).__name__)
            )
    if not name.strip():
        raise ValueError("%s must be a non-empty string, got %r" % (what, name))
    return name


def check_description(metric: str, description: Any) -> str:
    if description is None:
        return ""
    if not isinstance(description, str):
        raise TypeError(
            "metric %r: description must be a string, got %s"
            % (metric, type(description).__name__)
        )
    return str(description)


def _non_finite_label(value: float) -> Optional[str]:
    if value != value:
        return "nan"
    if value == _INF:
        return "inf"
    if value == _NINF:
        return "-inf"
    return None


def coerce_scalar(metric: str, value: Any, where: str = "") -> Any:
    """Return ``value`` as a plain JSON scalar (str, int, float, bool, None).

    Accepts subclasses (IntEnum, numpy.float64 ...) and objects with an
    ``.item()`` method that yields a scalar (numpy scalars, 0-d arrays, torch
    one-element tensors). Raises TypeError naming the metric otherwise.
    Non-finite floats are returned as they are; the caller encodes them.
    """
    t = type(value)
    if t is float or t is int or t is str or t is bool or value is None:
        return value
    if isinstance(value, bool):
        return bool(value)
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        return float(value)
    if isinstance(value, str):
        return str(value)
    if not isinstance(value, (bytes, bytearray, list, tuple, dict, set)):
        item = getattr(value, "item", None)
        if callable(item):
            try:
                inner = item()
            except Exception:  # noqa: BLE001 - anything that is not a scalar
                inner = value
            if inner is not value and (inner is None or isinstance(inner, (str, int, float, bool))):
                return coerce_scalar(metric, inner, where)
    hint = ""
    if not where and isinstance(value, (list, tuple, dict)):
        hint = " (use run.log_list, run.log_row or run.log_table for collections)"
    raise TypeError(
        "metric %r%s: value %s of type %s is not JSON-serialisable; "
        "expected a number, string, bool or None%s"
        % (metric, where, _short_repr(value), type(value).__name__, hint)
    )


def _short_repr(value: Any) -> str:
    try:
        r = repr(value)
    except Exception:  # noqa: BLE001
        r = "<unrepresentable>"
    return r if len(r) <= 80 else r[:77] + "..."


def _pointer_token(key: str) -> str:
    return key.replace("~", "~0").replace("/", "~1")


def _clean_scalar(metric: str, value: Any, pointer: str, where: str,
                  non_finite: Dict[str, str]) -> Any:
    v = coerce_scalar(metric, value, where)
    if type(v) is float:
        label = _non_finite_label(v)
        if label is not None:
            non_finite[pointer] = label
            return None
    return v


def _as_list(metric: str, values: Any, where: str = "") -> List[Any]:
    if isinstance(values, (list, tuple)):
        return list(values)
    if isinstance(values, (str, bytes, bytearray, dict)) or values is None:
        raise TypeError(
            "metric %r%s: expected a list of values, got %s"
            % (metric, where, type(values).__name__)
        )
    tolist = getattr(values, "tolist", None)  # numpy arrays, pandas Series
    if callable(tolist):
        out = tolist()
        if isinstance(out, list):
            return out
    try:
        return list(values)
    except TypeError:
        raise TypeError(
            "metric %r%s: expected a list of values, got %s"
            % (metric, where, type(values).__name__)
        ) from None


def build_record(kind: str, name: str, value: Any, description: str = "",
                 step: Optional[int] = None, parent: bool = False) -> Dict[str, Any]:
    """Validate ``value`` for ``kind`` and return the record (a dict)."""
    non_finite: Dict[str, str] = {}
    if kind == "scalar":
        v = coerce_scalar(name, value)
        if type(v) is float:
            label = _non_finite_label(v)
            if label is not None:
                v = None
                non_finite[""] = label
    elif kind == "list":
        v = [
            _clean_scalar(name, x, "/%d" % i, " (element %d)" % i, non_finite)
            for i, x in enumerate(_as_list(name, value))
        ]
    elif kind == "row":
        if not isinstance(value, dict):
            raise TypeError("metric %r: a row must be a dict of column -> value" % name)
        v = {}
        for col, x in value.items():
            col = check_name(col, "metric %r: column name" % name)
            v[col] = _clean_scalar(name, x, "/" + _pointer_token(col),
                                   " (column %r)" % col, non_finite)
    elif kind == "table":
        if not isinstance(value, dict):
            raise TypeError(
                "metric %r: a table must be a dict of column -> list of values, got %s"
                % (name, type(value).__name__)
            )
        v = {}
        length = None
        for col, xs in value.items():
            col = check_name(col, "metric %r: column name" % name)
            xs = _as_list(name, xs, " (column %r)" % col)
            if length is None:
                length = len(xs)
            elif len(xs) != length:
                raise ValueError(
                    "metric %r: table columns must have the same length "
                    "(column %r has %d values, expected %d)" % (name, col, len(xs), length)
                )
            tok = "/" + _pointer_token(col)
            v[col] = [
                _clean_scalar(name, x, "%s/%d" % (tok, i),
                              " (column %r, row %d)" % (col, i), non_finite)
                for i, x in enumerate(xs)
            ]
    elif kind == "image":
        if not isinstance(value, str):
            raise TypeError("metric %r: an image value must be a relative path" % name)
        v = value
    elif kind == "tag":
        if value is None:
            v = None
        elif isinstance(value, str):
            v = str(value)
        else:
            # numbers and bools become their str(); other objects are rejected
            v = str(coerce_scalar(name, value, " (tag value)"))
    else:  # pragma: no cover - internal misuse
        raise ValueError("unknown metric kind %r" % kind)

    record: Dict[str, Any] = {"name": name}
    if kind != "scalar":
        record["kind"] = kind
    record["value"] = v
    if step is not None:
        record["step"] = step
    if description:
        record["description"] = description
    if parent:
        record["parent"] = True
    record["ts"] = now_ms()
    if non_finite:
        record["nonFinite"] = non_finite[""] if kind == "scalar" else non_finite
    return record


def encode_record(record: Dict[str, Any]) -> str:
    return _encode(record) + "\n"


def check_step(metric: str, step: Any) -> Optional[int]:
    if step is None:
        return None
    if isinstance(step, bool) or not isinstance(step, numbers.Integral):
        raise TypeError("metric %r: step must be an integer, got %s" % (metric, type(step).__name__))
    step = int(step)
    if step < 0:
        raise ValueError("metric %r: step must be >= 0, got %d" % (metric, step))
    return step


def scalar_line(name: Any, value: Any, description: Any = "", step: Any = None,
                parent: bool = False) -> str:
    """Fast path for ``run.log``: one scalar metric -> one JSON line.

    Hand-formats the common case (str name, int/float/str/bool/None value, int
    step or none, str description or none) and falls back to
    ``build_record`` for everything else (numpy scalars, NaN, bad input).
    """
    t = type(value)
    if (type(name) is str
            and (t is float or t is int or t is str or t is bool or value is None)
            and (step is None or (type(step) is int and step >= 0))
            and (not description or type(description) is str)):
        enc_name = _NAME_CACHE.get(name)
        if enc_name is None:
            check_name(name)
            enc_name = _encode(name)
            if len(_NAME_CACHE) < 10000:
                _NAME_CACHE[name] = enc_name
        if t is float:
            if value != value or value == _INF or value == _NINF:
                return encode_record(build_record(
                    "scalar", name, value, description or "", step, parent))
            enc_value = float.__repr__(value)
        elif t is int:
            enc_value = int.__repr__(value)
        elif t is str:
            enc_value = _encode(value)
        elif t is bool:
            enc_value = "true" if value else "false"
        else:
            enc_value = "null"
        extra = ""
        if step is not None:
            extra = ', "step": %d' % step
        if description:
            extra += ', "description": ' + _encode(description)
        if parent:
            extra += ', "parent": true'
        return '{"name": %s, "value": %s%s, "ts": %d}\n' % (
            enc_name, enc_value, extra, int(time.time() * 1000))
    name = check_name(name)
    return encode_record(build_record(
        "scalar", name, value, check_description(name, description),
        check_step(name, step), parent))
