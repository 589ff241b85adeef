from django.urls import path

from . import views

app_name = "concerns"

urlpatterns = [
    path("", views.concern_list, name="list"),
    path("new/<int:child_pk>/", views.concern_create, name="create"),
    path("<int:pk>/", views.concern_detail, name="detail"),
    path("<int:pk>/edit/", views.concern_edit, name="edit"),
    path("<int:pk>/assess/", views.concern_assess, name="assess"),
    path("<int:pk>/assess/result/", views.concern_assess_result, name="assess-result"),
    path("assessments/<int:pk>/", views.assessment_detail, name="assessment"),
    path("assessments/<int:pk>/judgement/", views.assessment_judgement, name="judgement"),
]
