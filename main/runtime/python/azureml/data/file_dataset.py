"""``FileDataset``: files on a datastore, copied or mounted (``to_path``, ``download``, ``mount``)."""

from .abstract_dataset import AbstractDataset


class FileDataset(AbstractDataset):
    _KIND = "file"
