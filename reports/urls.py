from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.report_index, name="index"),
    path("<str:code>/<int:event_id>/", views.readiness, name="readiness"),
]
