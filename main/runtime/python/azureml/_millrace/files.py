"""Copying files in and out of datastores, the registry and run folders (all local)."""

import os
import shutil
from typing import Iterator, List


def walk_files(root: str) -> List[str]:
    """Every non-hidden file under ``root`` (hidden folders skipped), in sorted path order."""
    out: List[str] = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if not name.startswith("."):
                out.append(os.path.join(dirpath, name))
    return out


def all_files(root: str) -> Iterator[str]:
    """Every file under ``root``, hidden ones included (what a copy of a folder takes)."""
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for name in sorted(filenames):
            yield os.path.join(dirpath, name)


def copy_file(src: str, dest: str) -> None:
    parent = os.path.dirname(dest)
    if parent:
        os.makedirs(parent, exist_ok=True)
    shutil.copy2(src, dest)


def relative_posix(path: str, root: str) -> str:
    return os.path.relpath(path, root).replace(os.sep, "/")
