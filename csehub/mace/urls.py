from django.urls import path

from . import views

app_name = "mace"

urlpatterns = [
    path("list/", views.listings, name="list"),
    path("list/add/<int:entity_pk>/", views.listing_add, name="listing-add"),
    path("list/<int:pk>/remove/", views.listing_remove, name="listing-remove"),
]
