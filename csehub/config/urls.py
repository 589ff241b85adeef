from django.http import HttpRequest, HttpResponse
from django.urls import include, path

from csehub.api.urls import api_urlpatterns


def health(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("", include("csehub.accounts.urls")),
    path("guidance/", include("csehub.taxonomy.urls")),
    path("pathways/", include("csehub.pathways.urls")),
    path("audit/", include("csehub.audit.urls")),
    path("children/", include("csehub.children.urls")),
    path("concerns/", include("csehub.concerns.urls")),
    path("referrals/", include("csehub.referrals.urls")),
    path("disclosures/", include("csehub.disclosures.urls")),
    path("missing/", include("csehub.missing.urls")),
    path("profile/", include("csehub.profile.urls")),
    path("language/", include("csehub.language.urls")),
    path("learning/", include("csehub.learning.urls")),
    path("intelligence/", include("csehub.intelligence.urls")),
    path("linking/", include("csehub.linking.urls")),
    path("mace/", include("csehub.mace.urls")),
    path("certificates/", include("csehub.learning.urls_public")),
    path("health/", health, name="health"),
    path("", include("csehub.api.urls")),
    *api_urlpatterns,
]

handler403 = "csehub.accounts.views.error_403"
handler404 = "csehub.accounts.views.error_404"
handler500 = "csehub.accounts.views.error_500"
