"""Legal representatives' consent requests in the Wagtail admin: read by central administrators
(who answers a parent's question, or checks when a consent was given), changed only by the links
and the learner's profile, never through the admin."""

from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies.base import BasePermissionPolicy
from wagtail.permissions import register_permission_policy

from commissions.roles import is_central_administrator

from .models import GuardianConsentRequest


class ConsentRequestPolicy(BasePermissionPolicy):
    """Central administrators may read the requests; nobody may change them here."""

    def user_has_permission(self, user, action):
        return action == "view" and is_central_administrator(user)

    def users_with_any_permission(self, actions):
        from django.contrib.auth import get_user_model

        return get_user_model().objects.none()


register_permission_policy(
    GuardianConsentRequest, ConsentRequestPolicy(GuardianConsentRequest), exact_class=True
)


class GuardianConsentRequestViewSet(ModelViewSet):
    """Who asked whom for consent, when, and what came of it. The links' hashes stay hidden."""

    model = GuardianConsentRequest
    icon = "user"
    menu_label = _("Representatives' consents")
    name = "youth_guardianconsentrequest"
    url_prefix = "youth/consent-requests"
    add_to_admin_menu = True
    add_to_reference_index = False
    copy_view_enabled = False
    inspect_view_enabled = True
    inspect_view_fields = [
        "learner",
        "representative_name",
        "representative_email",
        "text_version",
        "sent_at",
        "expires_at",
        "confirmed_at",
        "cancelled_at",
        "consent",
    ]
    list_per_page = 100
    list_display = [
        "learner",
        "representative_name",
        "representative_email",
        "sent_at",
        "confirmed_at",
        "cancelled_at",
    ]
    search_fields = ["representative_name", "representative_email", "learner__full_name"]
    search_backend_name = None
    # Required by ModelViewSet; the policy above refuses the add and edit views to everyone.
    form_fields = ["representative_name"]

    def get_queryset(self, request):
        return GuardianConsentRequest.objects.select_related("learner")


@hooks.register("register_admin_viewset")
def register_guardian_consent_request_viewset():
    return GuardianConsentRequestViewSet()
