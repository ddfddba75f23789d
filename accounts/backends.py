from django.contrib.auth.backends import ModelBackend
from django.db.models import Q

from .models import User


def user_for_identifier(identifier: str) -> User | None:
    """The account a sign-in name names: its username or email (any case), or its phone."""
    identifier = identifier.strip()
    match = Q(username__iexact=identifier) | Q(email__iexact=identifier)
    if identifier.startswith("+"):
        match |= Q(phone=identifier)
    return User.objects.filter(match).order_by("pk").first()


class UsernameOrEmailBackend(ModelBackend):
    """Members sign in with their username, email address or phone number."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get(User.USERNAME_FIELD)
        if not username or password is None:
            return None
        user = user_for_identifier(username)
        if user is None:
            # Spend the same time as a real check so that timing does not reveal accounts.
            User().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
