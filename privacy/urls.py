from django.urls import path

from . import views

app_name = "privacy"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("download/json/", views.download_json, name="download_json"),
    path("download/pdf/", views.download_pdf, name="download_pdf"),
    path("delete/", views.delete, name="delete"),
]
