from wagtail.users.views.users import UserViewSet as WagtailUserViewSet

from .admin_forms import PersonCreationForm, PersonEditForm


class UserViewSet(WagtailUserViewSet):
    template_prefix = "accounts/admin/users/"

    def get_form_class(self, for_update=False):
        return PersonEditForm if for_update else PersonCreationForm
