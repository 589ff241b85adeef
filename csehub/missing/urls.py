from django.urls import path

from . import views

app_name = "missing"

urlpatterns = [
    path("", views.work_list, name="work-list"),
    path("new/<int:child_pk>/", views.episode_create, name="create"),
    path("<int:pk>/", views.episode_detail, name="detail"),
    path("<int:pk>/return/", views.episode_return, name="return"),
    path("interviews/<int:pk>/", views.interview_record, name="interview"),
    path("interviews/<int:pk>/share/", views.interview_share, name="interview-share"),
]
