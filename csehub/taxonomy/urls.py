from django.urls import path

from . import views

app_name = "taxonomy"

urlpatterns = [
    path("", views.guidance_index, name="guidance-index"),
    path("<slug:vocabulary_code>/", views.guidance_vocabulary, name="guidance-vocabulary"),
    path("<slug:vocabulary_code>/<slug:item_code>/", views.guidance_item, name="guidance-item"),
]
