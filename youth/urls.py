"""Young voters: sign-up and email confirmation (``views/signup.py``) and a minor's legal
representative's consent (``views/consent.py``); each module lists its own paths."""

from .views import consent, signup

app_name = "youth"

urlpatterns = [*signup.urlpatterns, *consent.urlpatterns]
