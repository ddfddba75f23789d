"""Certificate templates in the Wagtail admin, edited by trainers as structured fields."""

from django.utils.translation import gettext_lazy as _

from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import CertificateTemplate


class CertificateTemplateViewSet(SnippetViewSet):
    """Title and body per language, images, signatories, colour and validity."""

    model = CertificateTemplate
    icon = "doc-full"
    menu_label = _("Certificate templates")
    url_prefix = "certificates/templates"
    add_to_admin_menu = True
    copy_view_enabled = True
    inspect_view_enabled = False
    list_display = ["name", "orientation", "version", "updated_at"]
    search_fields = ["name"]
    search_backend_name = None


register_snippet(CertificateTemplateViewSet)
