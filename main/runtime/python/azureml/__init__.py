"""Millrace's offline compatibility package for Azure Machine Learning SDK v1 code.

``from azureml.core import Workspace`` and the rest of the SDK v1 pipeline surface run unmodified
against a local Millrace workspace: no cloud, no network, no prompt. See docs/azureml.md.

Active only when ``PYTHONPATH`` names ``<millrace>/main/runtime/python`` (``millrace python``,
``eval "$(millrace env)"`` and every Millrace step set it). This is a regular package that never
extends ``__path__``: modules of a real SDK installed elsewhere are never mixed in.
"""

__millrace__ = True

from ._millrace import guard as _guard  # noqa: E402

_guard.install()
