from django.urls import path  # noqa: F401

from . import views  # noqa: F401

app_name = "youth"

urlpatterns = [
    # Sign-up and email confirmation (youth/views/signup.py).
    # A legal representative's consent (youth/views/consent.py).
]
