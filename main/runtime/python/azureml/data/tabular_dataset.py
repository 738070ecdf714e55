"""``TabularDataset``: CSV or Parquet files read as one table (pandas is imported only when read)."""

from typing import Any

from .._millrace import formats
from .._millrace.pandas_need import need_pandas
from .abstract_dataset import AbstractDataset


class TabularDataset(AbstractDataset):
    _KIND = "tabular"

    def to_pandas_dataframe(self, on_error: str = "null", out_of_range_datetime: str = "null") -> Any:
        pd = need_pandas("TabularDataset.to_pandas_dataframe()")
        files = self._resolved()
        fmt = self._format or {}
        frames = []
        for path, rel in files:
            kind = fmt.get("type") or ("parquet" if path.lower().endswith((".parquet", ".pq")) else "delimited")
            if kind == "parquet":
                frame = pd.read_parquet(path)
            else:
                frame = pd.read_csv(path, sep=fmt.get("separator", ","), header=0 if fmt.get("header", True) else None,
                                    encoding=formats.codec(fmt))
            if fmt.get("includePath"):
                frame.insert(0, "Path", "/" + rel)
            frames.append(frame)
        if not frames:
            return pd.DataFrame()
        return frames[0] if len(frames) == 1 else pd.concat(frames, ignore_index=True)

    def keep_columns(self, columns: Any, validate: bool = False) -> Any:
        return self._engine("keep_columns")

    def drop_columns(self, columns: Any) -> Any:
        return self._engine("drop_columns")

    def to_parquet_files(self) -> Any:
        return self._engine("to_parquet_files")

    def to_csv_files(self, separator: str = ",") -> Any:
        return self._engine("to_csv_files")


from .._millrace.notsupported import module_getattr as _module_getattr  # noqa: E402

__getattr__ = _module_getattr(__name__)
