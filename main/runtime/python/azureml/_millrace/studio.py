"""URLs the SDK prints: studio links (``<base>/#/runs/<id>``) and REST endpoints, on the base URL of the
``millrace serve`` owning the workspace, else millrace.yml's ``server.host:port`` (bridge ``server/info``)."""

from typing import Any, Dict

from .warn import warn_once

_info: Dict[str, Dict[str, Any]] = {}


def server_info(ws: Any) -> Dict[str, Any]:
    info = _info.get(ws.path)
    if info is None:
        info = _info[ws.path] = ws._call("server/info")
    return info


def base_url(ws: Any) -> str:
    return str(server_info(ws)["url"]).rstrip("/")


def run_url(ws: Any, run_id: str) -> str:
    return "%s/#/runs/%s" % (base_url(ws), run_id)


def warn_unserved(ws: Any, what: str) -> None:
    """REST endpoints answer only while a ``millrace serve`` (or the desktop app) owns the workspace."""
    if not ws._call("server/info").get("served", False):
        warn_once("no `millrace serve` owns this workspace now: %s answers only while one runs "
                  "(start it with `millrace serve -w %s`)" % (what, ws.path), key="unserved:" + what)
