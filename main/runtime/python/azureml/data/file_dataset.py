"""``FileDataset``: files on a datastore, copied or mounted (``to_path``, ``download``, ``mount``)."""

from .abstract_dataset import AbstractDataset


class FileDataset(AbstractDataset):
    _KIND = "file"


from .._millrace.notsupported import module_getattr as _module_getattr  # noqa: E402

__getattr__ = _module_getattr(__name__)
