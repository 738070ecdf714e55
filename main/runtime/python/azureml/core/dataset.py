"""``Dataset``: the factories (``Dataset.Tabular``, ``Dataset.File``) and look-ups of registered datasets."""

from typing import Any, Dict, List, Optional, Union

from .._millrace import datastores as dsmod
from .._millrace import dataset_paths, formats
from .._millrace.notsupported import NSObject, raise_ns
from ..data.abstract_dataset import AbstractDataset
from ..data.file_dataset import FileDataset
from ..data.tabular_dataset import TabularDataset
from ..exceptions import UserErrorException


def check_dataset_name(name: Any) -> str:
    """1-250 characters, spaces allowed; no control characters, no ``/``, no leading or trailing space."""
    if not isinstance(name, str) or not 1 <= len(name) <= 250:
        raise UserErrorException("dataset name must be a string of 1 to 250 characters, got %r" % (name,))
    if name != name.strip():
        raise UserErrorException("dataset name %r may not start or end with a space" % name)
    if "/" in name or any(ord(c) < 32 or ord(c) == 127 for c in name):
        raise UserErrorException("dataset name %r may not contain '/' or control characters" % name)
    return name


def _build(cls: type, path: Any, fmt: Optional[Dict[str, Any]], validate: bool) -> AbstractDataset:
    items = dataset_paths.parse(path)
    ws = items[0][0]
    real = dsmod.table(ws)
    paths = [(asked, dsmod.real_name(asked, real), p) for _ws, asked, p in items]
    ds = cls._make(ws, paths, fmt)
    if validate:
        ds._check_matches()
    return ds


class _TabularFactory(NSObject):
    @staticmethod
    def from_delimited_files(path: Any, validate: bool = True, include_path: bool = False,
                             infer_column_types: bool = True, set_column_types: Any = None,
                             separator: str = ",", header: Any = True, partition_format: Optional[str] = None,
                             support_multi_line: bool = False, empty_as_string: bool = False,
                             encoding: str = "utf8") -> TabularDataset:
        _no_partitions("Dataset.Tabular.from_delimited_files", partition_format, set_column_types)
        fmt = formats.delimited(separator, header, encoding, include_path)
        return _build(TabularDataset, path, fmt, validate)  # type: ignore[return-value]

    @staticmethod
    def from_parquet_files(path: Any, validate: bool = True, include_path: bool = False,
                           set_column_types: Any = None, partition_format: Optional[str] = None) -> TabularDataset:
        _no_partitions("Dataset.Tabular.from_parquet_files", partition_format, set_column_types)
        return _build(TabularDataset, path, formats.parquet(include_path), validate)  # type: ignore[return-value]

    @staticmethod
    def from_json_lines_files(*args: Any, **kwargs: Any) -> Any:
        raise_ns("Dataset.Tabular.from_json_lines_files", "only delimited and Parquet files are read; "
                 "convert the JSON lines with pandas first", "datasets")

    @staticmethod
    def from_sql_query(*args: Any, **kwargs: Any) -> Any:
        raise_ns("Dataset.Tabular.from_sql_query", "there is no database connection offline", "datasets")

    @staticmethod
    def register_pandas_dataframe(*args: Any, **kwargs: Any) -> Any:
        raise_ns("Dataset.Tabular.register_pandas_dataframe", "write the DataFrame to a datastore folder "
                 "(df.to_csv) and register it with from_delimited_files", "datasets")


class _FileFactory(NSObject):
    @staticmethod
    def from_files(path: Any, validate: bool = True, partition_format: Optional[str] = None,
                   is_file: bool = False) -> FileDataset:
        _no_partitions("Dataset.File.from_files", partition_format, None)
        return _build(FileDataset, path, None, validate)  # type: ignore[return-value]

    @staticmethod
    def upload_directory(*args: Any, **kwargs: Any) -> Any:
        raise_ns("Dataset.File.upload_directory", "copy the folder with Datastore.upload and use "
                 "Dataset.File.from_files", "datasets")


class Dataset(NSObject):
    """Namespace of the SDK's dataset entry points; the datasets are ``TabularDataset`` / ``FileDataset``."""

    Tabular = _TabularFactory
    File = _FileFactory

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        raise UserErrorException("Dataset is not created directly: use Dataset.Tabular.from_delimited_files, "
                                 "Dataset.File.from_files or Dataset.get_by_name")

    @staticmethod
    def get_by_name(workspace: Any, name: str, version: Union[str, int] = "latest") -> AbstractDataset:
        args: Dict[str, Any] = {"name": name}
        if version not in (None, "latest"):
            try:
                args["version"] = int(version)
            except (TypeError, ValueError):
                raise UserErrorException("Dataset.get_by_name: version must be 'latest' or a number, got %r"
                                         % (version,)) from None
        record = workspace._call("datasets/get", args)
        return AbstractDataset._from_record(workspace, record)

    @staticmethod
    def get_by_id(workspace: Any, id: str) -> AbstractDataset:  # noqa: A002 - SDK name
        return AbstractDataset._from_record(workspace, workspace._call("datasets/get-by-id", {"id": id}))

    @staticmethod
    def _latest_by_name(workspace: Any) -> Dict[str, AbstractDataset]:
        latest: Dict[str, Dict[str, Any]] = {}
        for rec in workspace._call("datasets/list"):
            if rec["name"] not in latest or rec["version"] > latest[rec["name"]]["version"]:
                latest[rec["name"]] = rec
        return {n: AbstractDataset._from_record(workspace, r) for n, r in sorted(latest.items())}


def _no_partitions(member: str, partition_format: Any, set_column_types: Any) -> None:
    if partition_format is not None:
        raise_ns("%s(partition_format=...)" % member, "partitioned paths are not emulated; use a glob",
                 "datasets")
    if set_column_types is not None:
        raise_ns("%s(set_column_types=...)" % member, "column types are inferred by pandas when the table "
                 "is read", "datasets")


__all__: List[str] = ["Dataset"]


from .._millrace.notsupported import module_getattr as _module_getattr  # noqa: E402

__getattr__ = _module_getattr(__name__)
