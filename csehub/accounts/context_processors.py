from django.conf import settings
from django.http import HttpRequest

from .navigation import footer_items, nav_items
from .selectors import partnership_for_request


def partnership(request: HttpRequest) -> dict[str, object]:
    return {
        "partnership": partnership_for_request(request=request),
        "demo_mode": settings.CSEHUB_DEMO_MODE,
        "nav_items": nav_items(request),
        "footer_items": footer_items(request),
    }
