from django.urls import path

from . import views

app_name = "pathways"

urlpatterns = [
    path("", views.pathway_page, name="pathway"),
    path("contacts/", views.contacts_page, name="contacts"),
]
