"""Authentication classes: accepted, never used to log in (§10.2). No prompt, no browser, no secret kept.

``get_authentication_header()`` returns ``{"Authorization": "Bearer <token>"}`` with a token the
workspace's ``millrace serve`` accepts, minted once per workspace (bridge call ``tokens/sdk``).
"""

from typing import Any, Dict, Optional

from .._millrace import transport
from .._millrace.locate import resolve_workspace
from .._millrace.notsupported import NSObject

__all__ = ["InteractiveLoginAuthentication", "ServicePrincipalAuthentication", "MsiAuthentication",
           "AzureCliAuthentication"]


class AbstractAuthentication(NSObject):
    def __init__(self) -> None:
        self._workspace: Optional[str] = None  # bound when given as Workspace(auth=...)

    def get_authentication_header(self) -> Dict[str, str]:
        folder = self._workspace or resolve_workspace()[0]
        token = transport.call(folder, "tokens/sdk")["token"]
        return {"Authorization": "Bearer " + token}

    def get_token(self, *scopes: Any, **kwargs: Any) -> Any:
        from .._millrace.notsupported import raise_ns
        raise_ns("%s.get_token" % type(self).__name__, "there is no Azure AD; use get_authentication_header() "
                 "for the workspace's REST endpoints", "authentication")

    def __repr__(self) -> str:
        return "%s()" % type(self).__name__


class InteractiveLoginAuthentication(AbstractAuthentication):
    def __init__(self, force: bool = False, tenant_id: Optional[str] = None, cloud: Optional[str] = None) -> None:
        super().__init__()


class ServicePrincipalAuthentication(AbstractAuthentication):
    def __init__(self, tenant_id: str, service_principal_id: str, service_principal_password: str,
                 cloud: str = "AzureCloud", _enable_caching: bool = True) -> None:
        # The arguments are accepted so existing code runs; the secret is dropped at once.
        super().__init__()
        self.tenant_id = tenant_id
        self.service_principal_id = service_principal_id


class MsiAuthentication(AbstractAuthentication):
    def __init__(self, cloud: Optional[str] = None, identity_config: Any = None) -> None:
        super().__init__()


class AzureCliAuthentication(AbstractAuthentication):
    def __init__(self, cloud: Optional[str] = None) -> None:
        super().__init__()


from .._millrace.notsupported import module_getattr as _module_getattr  # noqa: E402

__getattr__ = _module_getattr(__name__)
