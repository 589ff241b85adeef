from django.http import HttpRequest, HttpResponse
from django.urls import path

app_name = "audit"


def _placeholder(request: HttpRequest) -> HttpResponse:  # replaced by the real views
    return HttpResponse("audit")


urlpatterns = [path("", _placeholder, name="search")]
