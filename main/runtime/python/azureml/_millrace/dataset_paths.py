"""The ``path`` argument of the dataset factories: every shape the SDK accepts that stays local.

``(datastore, "p")``, a list of such tuples, a ``DataPath``, a ``DataReference`` or
``"azureml://datastores/<ds>/paths/<p>"``; each ``p`` may be a glob. URLs would need the network.
"""

import re
from typing import Any, List, Optional, Tuple

from ..exceptions import UserErrorException
from .datastores import check_relative
from .notsupported import raise_ns

_AZUREML_URI = re.compile(r"^azureml://datastores/([^/]+)/paths/(.*)$")
_REMOTE = re.compile(r"^(https?|wasbs?|abfss?|adl|gs|s3)://", re.IGNORECASE)

# (workspace, datastore name as asked, path on it)
PathItem = Tuple[Any, str, str]


def _one(item: Any, default_ws: Optional[Any]) -> PathItem:
    from ..data.data_reference import DataReference
    from ..data.datapath import DataPath
    if isinstance(item, tuple) and len(item) == 2 and hasattr(item[0], "_real"):
        ds, p = item
        return ds._ws, ds.name, check_relative(p, "dataset path")
    if isinstance(item, DataPath):
        return item._datastore._ws, item.datastore_name, item.path_on_datastore
    if isinstance(item, DataReference):
        return item.datastore._ws, item.datastore_name, item.path_on_datastore or ""
    if isinstance(item, str):
        if _REMOTE.match(item):
            raise_ns("a dataset path %r" % item, "datasets are read from local datastores only (no network); "
                     "copy the data into a datastore and use (datastore, 'path')", "datasets")
        m = _AZUREML_URI.match(item)
        if m:
            ws = default_ws
            if ws is None:
                from ..core.workspace import Workspace
                ws = Workspace.from_config()
            return ws, m.group(1), check_relative(m.group(2), "dataset path")
    raise UserErrorException("dataset path: expected (datastore, 'path'), a list of them, a DataPath, a "
                             "DataReference or 'azureml://datastores/<name>/paths/<path>', got %r" % (item,))


def parse(path: Any, default_ws: Optional[Any] = None) -> List[PathItem]:
    items = path if isinstance(path, list) else [path]
    if not items:
        raise UserErrorException("dataset path: the list of paths is empty")
    parsed = [_one(i, default_ws) for i in items]
    first = parsed[0][0]
    if any(ws != first for ws, _n, _p in parsed):
        raise UserErrorException("dataset path: all paths must be on datastores of one workspace")
    return parsed
