"""``MillraceNotSupportedError`` and the ways members get it (§10.4j).

The message format is binding:
``<member or argument> is not supported by Millrace's offline azureml package: <why>. See docs/azureml.md#<anchor>``.
Anchors are headings of docs/azureml.md; a test checks that every anchor used here exists.
"""

from typing import Any, NoReturn

from ..exceptions import MillraceNotSupportedError

DOCS = "docs/azureml.md"
GENERIC_WHY = "it is not part of the Azure ML SDK v1 surface that Millrace emulates"


def not_supported(member: str, why: str, anchor: str = "what-raises") -> MillraceNotSupportedError:
    return MillraceNotSupportedError(
        "%s is not supported by Millrace's offline azureml package: %s. See %s#%s"
        % (member, why, DOCS, anchor))


def raise_ns(member: str, why: str, anchor: str = "what-raises") -> NoReturn:
    raise not_supported(member, why, anchor)


def _public(name: str) -> bool:
    return not name.startswith("_")


class NSMeta(type):
    """Class-level look-ups of unknown public names (``Workspace.create_foo``) raise NS."""

    def __getattr__(cls, name: str) -> Any:
        if _public(name):
            raise not_supported("%s.%s" % (cls.__name__, name), GENERIC_WHY)
        raise AttributeError("type object %r has no attribute %r" % (cls.__name__, name))


class NSObject(metaclass=NSMeta):
    """Instances: unknown public attributes raise NS (so ``hasattr`` is False), private ones AttributeError."""

    __slots__ = ()

    def __getattr__(self, name: str) -> Any:
        if _public(name):
            raise not_supported("%s.%s" % (type(self).__name__, name), GENERIC_WHY)
        raise AttributeError("%r object has no attribute %r" % (type(self).__name__, name))


def module_getattr(module_name: str):  # type: ignore[no-untyped-def]
    """A PEP 562 ``__getattr__`` for a public module: unknown public names raise NS."""

    def __getattr__(name: str) -> Any:
        if _public(name):
            raise not_supported("%s.%s" % (module_name, name), GENERIC_WHY)
        raise AttributeError("module %r has no attribute %r" % (module_name, name))

    return __getattr__


def reject_kwargs(member: str, kwargs: dict, anchor: str = "what-raises") -> None:
    """Arguments a signature accepts only to refuse them when they carry a value."""
    for key, value in kwargs.items():
        if value not in (None, False, {}, [], ()):
            raise_ns("%s(%s=...)" % (member, key), GENERIC_WHY, anchor)
