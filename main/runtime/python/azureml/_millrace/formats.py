"""Read options of tabular data, as they travel in specs, records and ``MILLRACE_INPUTS`` ``format``:

``{"type": "delimited", "separator": ",", "header": true, "encoding": "utf8", "includePath": false}``
or ``{"type": "parquet", "includePath": false}``, plus ``"pathGlob"`` when a step output is read.
"""

from typing import Any, Dict, Optional

from ..exceptions import UserErrorException

# The SDK's encoding names -> Python codecs.
ENCODINGS = {"utf8": "utf-8", "utf8bom": "utf-8-sig", "iso88591": "iso-8859-1", "latin1": "latin-1",
             "ascii": "ascii", "utf16": "utf-16", "utf32": "utf-32", "windows1252": "cp1252"}
_HEADER_TRUE = ("all_files_have_same_headers", "combine_all_files_headers", "only_first_file_has_headers",
                "from_first_file", "true")
_HEADER_FALSE = ("no_headers", "false")


def _header(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(getattr(value, "name", getattr(value, "value", value))).lower()
    if text in _HEADER_TRUE:
        return True
    if text in _HEADER_FALSE:
        return False
    raise UserErrorException("header: expected True, False or a PromoteHeadersBehavior, got %r" % (value,))


def delimited(separator: str = ",", header: Any = True, encoding: str = "utf8", include_path: bool = False,
              path_glob: Optional[str] = None) -> Dict[str, Any]:
    if not isinstance(separator, str) or not separator:
        raise UserErrorException("separator: expected a non-empty string, got %r" % (separator,))
    enc = str(getattr(encoding, "value", encoding)).lower().replace("-", "").replace("_", "")
    if enc not in ENCODINGS:
        raise UserErrorException("encoding: expected one of %s, got %r" % (", ".join(ENCODINGS), encoding))
    fmt: Dict[str, Any] = {"type": "delimited", "separator": separator, "header": _header(header),
                           "encoding": enc, "includePath": bool(include_path)}
    if path_glob:
        fmt["pathGlob"] = path_glob
    return fmt


def parquet(include_path: bool = False, path_glob: Optional[str] = None) -> Dict[str, Any]:
    fmt: Dict[str, Any] = {"type": "parquet", "includePath": bool(include_path)}
    if path_glob:
        fmt["pathGlob"] = path_glob
    return fmt


def codec(fmt: Dict[str, Any]) -> str:
    return ENCODINGS.get(str(fmt.get("encoding", "utf8")), "utf-8")
