from django.urls import path

from . import views

app_name = "intelligence"

urlpatterns = [
    path("", views.mine, name="mine"),
    path("share/", views.share, name="share"),
    path("share/full/", views.share_full, name="share-full"),
    path("share/find-details/", views.find_details, name="find-details"),
    path("<int:pk>/shared/", views.shared, name="shared"),
    path("<int:pk>/", views.detail, name="detail"),
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/<int:pk>/", views.grade, name="grade"),
]
