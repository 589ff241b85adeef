from django.urls import path

from . import views

app_name = "disclosures"

urlpatterns = [
    path("new/<int:child_pk>/", views.disclosure_create, name="create"),
    path("<int:pk>/", views.disclosure_detail, name="detail"),
    path("<int:pk>/edit/", views.disclosure_edit, name="edit"),
    path("<int:pk>/addendum/", views.addendum_create, name="addendum"),
]
