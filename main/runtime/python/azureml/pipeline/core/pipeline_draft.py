"""``PipelineDraft``: importable; optional in the contract and not built yet, so using it raises NS."""

from typing import Any

from ..._millrace.notsupported import NSObject, raise_ns

_WHY = "drafts are not emulated yet; keep the pipeline in code, or publish it (Pipeline.publish)"


class PipelineDraft(NSObject):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        raise_ns("PipelineDraft", _WHY, "pipelines")

    @staticmethod
    def create(*args: Any, **kwargs: Any) -> Any:
        raise_ns("PipelineDraft.create", _WHY, "pipelines")

    @staticmethod
    def get(*args: Any, **kwargs: Any) -> Any:
        raise_ns("PipelineDraft.get", _WHY, "pipelines")

    @staticmethod
    def list(*args: Any, **kwargs: Any) -> Any:
        raise_ns("PipelineDraft.list", _WHY, "pipelines")


from ..._millrace.notsupported import module_getattr as _module_getattr  # noqa: E402

__getattr__ = _module_getattr(__name__)
