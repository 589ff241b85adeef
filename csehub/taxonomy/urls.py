from django.http import HttpRequest, HttpResponse
from django.urls import path

app_name = "taxonomy"


def _placeholder(request: HttpRequest) -> HttpResponse:  # replaced by the real views
    return HttpResponse("guidance")


urlpatterns = [path("", _placeholder, name="guidance-index")]
