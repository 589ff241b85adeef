"""Version 1 of the CSE Hub API. Breaking changes go into a new version beside it."""

from __future__ import annotations

from ninja import NinjaAPI

from .auth import TokenAuth
from .errors import install_exception_handlers
from .operations import refuse_nul_characters
from .routers import assessments, children, concerns, disclosures, meta, pathways, referrals

api = NinjaAPI(
    title="CSE Hub API",
    version="1",
    description=(
        "The partnership's capabilities for partner systems. Authenticate with a bearer token "
        "issued in CSE Hub; every call has the same permissions, record scope and audit as the "
        "pages, for the account the token belongs to."
    ),
    auth=TokenAuth(),
    urls_namespace="api-v1",
    # The interactive docs page loads scripts from a CDN, which the CSP and the network forbid.
    docs_url=None,
)
install_exception_handlers(api)
api.add_decorator(refuse_nul_characters)
api.add_router("", meta.router)
for router in (
    children.router,
    concerns.router,
    assessments.router,
    pathways.router,
    referrals.router,
    disclosures.router,
):
    api.add_router("", router)
