from django.urls import path

from . import views

app_name = "linking"

urlpatterns = [
    path("alerts/", views.alerts, name="alerts"),
    path("alerts/<int:pk>/seen/", views.alert_seen, name="alert-seen"),
    path("entities/<int:pk>/", views.entity, name="entity"),
    path("entities/<int:pk>/merge/", views.entity_merge, name="entity-merge"),
    path("entities/<int:pk>/split/", views.mention_split, name="mention-split"),
    path("suggestions/<int:pk>/decide/", views.suggestion_decide, name="suggestion-decide"),
    path("decisions/<int:pk>/undo/", views.decision_undo, name="decision-undo"),
]
