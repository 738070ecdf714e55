"""From the bridge's run record (``sdk/run``, docs/bridge.md) to what the SDK's run objects return."""

from typing import Any, Dict, List

from .status import details_word
from .timefmt import iso_utc


def azure_metrics(metrics: Dict[str, Any]) -> Dict[str, Any]:
    """Store shapes -> ``get_metrics()`` shapes: rows (a list of objects) become a dict of column -> list."""
    out: Dict[str, Any] = {}
    for name, value in (metrics or {}).items():
        if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            table: Dict[str, List[Any]] = {}
            for row in value:
                for col, cell in row.items():
                    table.setdefault(col, []).append(cell)
            out[name] = table
        else:
            out[name] = value
    return out


_MECHANISM = {"direct": "Direct", "mount": "Mount", "download": "Download"}


def _input_datasets(rec: Dict[str, Any]) -> List[Dict[str, Any]]:
    out = []
    for name, inp in sorted((rec.get("inputs") or {}).items()):
        if not inp.get("datasetId"):
            continue
        out.append({"dataset": {"id": inp["datasetId"], "name": inp.get("datasetName"),
                                "version": inp.get("datasetVersion")},
                    "consumptionDetails": {"type": "RunInput", "inputName": name,
                                           "mechanism": _MECHANISM.get(inp.get("mode", "mount"), "Mount")}})
    return out


def _output_datasets(rec: Dict[str, Any]) -> List[Dict[str, Any]]:
    return [{"outputType": "RunOutput", "outputDetails": {"outputName": name}, "path": out.get("path"),
             "datastore": out.get("datastore"), "pathOnDatastore": out.get("pathOnDatastore")}
            for name, out in sorted((rec.get("outputs") or {}).items())]


def details(rec: Dict[str, Any]) -> Dict[str, Any]:
    d: Dict[str, Any] = {
        "runId": rec["id"],
        "target": rec.get("target") or "local",
        "status": details_word(rec["status"]),
        "startTimeUtc": iso_utc(rec.get("startedAt")),
        "endTimeUtc": iso_utc(rec.get("endedAt")),
        "properties": dict(rec.get("properties") or {}),
        "tags": dict(rec.get("tags") or {}),
        "inputDatasets": _input_datasets(rec),
        "outputDatasets": _output_datasets(rec),
        "logFiles": dict(rec.get("logFiles") or {}),
        "submittedBy": rec.get("submittedBy") or "",
    }
    if rec.get("error"):
        d["error"] = {"error": {"code": "UserError", "message": rec["error"]}}
    return d
