from django.http import HttpRequest, HttpResponse
from django.urls import include, path


def health(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("", include("csehub.accounts.urls")),
    path("guidance/", include("csehub.taxonomy.urls")),
    path("audit/", include("csehub.audit.urls")),
    path("health/", health, name="health"),
]

handler403 = "csehub.accounts.views.error_403"
handler404 = "csehub.accounts.views.error_404"
handler500 = "csehub.accounts.views.error_500"
