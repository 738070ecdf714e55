"""``azureml.exceptions``: the error classes SDK v1 code catches.

Every error the package raises is one of these, so ``except UserErrorException``
and ``except AzureMLException`` in existing scripts keep working.
"""

from typing import Any, Optional

__all__ = ["AzureMLException", "UserErrorException", "ComputeTargetException",
           "ActivityFailedException", "WebserviceException", "MillraceNotSupportedError"]


class AzureMLException(Exception):
    """Base of every error of the package; ``.message`` holds the text, as in the SDK."""

    def __init__(self, exception_message: str = "", inner_exception: Optional[BaseException] = None,
                 **kwargs: Any) -> None:
        super().__init__(exception_message)
        self.message = exception_message
        self.inner_exception = inner_exception
        # Set when the error came from a bridge answer: its `code` (not_found, conflict, ...).
        self.code: Optional[str] = kwargs.get("code")

    def __str__(self) -> str:
        return self.message


class UserErrorException(AzureMLException):
    """Wrong input: the message says what was expected and where."""


class ComputeTargetException(AzureMLException):
    """A compute target that millrace.yml does not define, or a compute operation that failed."""


class ActivityFailedException(AzureMLException):
    """A run waited for with ``raise_on_error=True`` ended ``Failed``."""


class WebserviceException(AzureMLException):
    """Raised by model look-ups (the SDK's class for them), e.g. a model that does not exist."""


class MillraceNotSupportedError(UserErrorException, NotImplementedError, AttributeError):
    """A member, argument or value that Millrace's offline package does not provide.

    It is also an ``AttributeError`` so that ``hasattr(obj, "deploy")`` stays False,
    and a ``NotImplementedError`` for code that probes features that way.
    """


def __getattr__(name: str) -> Any:
    # Unknown public names raise NS (§10.3), as in every public module of the package.
    if name.startswith("_"):
        raise AttributeError("module %r has no attribute %r" % (__name__, name))
    from ._millrace.notsupported import module_getattr
    return module_getattr(__name__)(name)
