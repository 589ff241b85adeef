from django.urls import path

from .views import certificates as certificate_views
from .views import records as record_views

app_name = "learning"

urlpatterns: list = [
    # certificates and training records
    path("my-training/", record_views.my_training, name="my-training"),
    path("compliance/", record_views.compliance, name="compliance"),
    path("compliance/export/", record_views.compliance_export, name="compliance-export"),
    path(
        "certificates/<int:pk>/", certificate_views.certificate_detail, name="certificate-detail"
    ),
    path(
        "certificates/<int:pk>/pdf/",
        certificate_views.certificate_download,
        name="certificate-pdf",
    ),
    path(
        "certificates/<int:pk>/revoke/",
        certificate_views.certificate_revoke_view,
        name="certificate-revoke",
    ),
]
