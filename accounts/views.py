from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy, translate_url
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .consent import current_text, is_self_registered
from .forms import ConsentForm, ProfileForm, SignInForm
from .models import ConsentRecord
from .services import consent_give, consent_withdraw


class SignInView(auth_views.LoginView):
    form_class = SignInForm
    template_name = "accounts/sign_in.html"
    redirect_authenticated_user = True

    def get_success_url(self):
        # Members arrive in the language they chose in their profile.
        return translate_url(super().get_success_url(), self.request.user.preferred_language)


class SignOutView(auth_views.LogoutView):
    # Evaluated per request, so a person signing out of /ru/ lands on the Russian home page.
    next_page = reverse_lazy("wagtail_serve", args=[""])


@login_required
def profile(request):
    user = request.user
    if request.method == "POST":
        form = ProfileForm(request.POST, instance=user)
        if form.is_valid():
            form.save()
            language = form.cleaned_data["preferred_language"]
            with translation.override(language):
                messages.success(request, _("Your profile is saved."))
                return redirect(reverse("accounts:profile"))
    else:
        form = ProfileForm(instance=user)
    purpose = ConsentRecord.Purpose.PERSONAL_DATA
    return render(
        request,
        "accounts/profile.html",
        {
            "form": form,
            "memberships": user.memberships.active().select_related("commission"),
            "consent": user.consents.active().filter(purpose=purpose).first(),
            "consent_text": current_text(purpose, self_registered=is_self_registered(user)),
            "consent_history": user.consents.filter(purpose=purpose),
        },
    )


@login_required
@require_POST
def consent(request):
    form = ConsentForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("That request was not understood; nothing was changed."))
        return redirect("accounts:profile")
    purpose = ConsentRecord.Purpose.PERSONAL_DATA
    if form.cleaned_data["action"] == "give":
        consent_give(user=request.user, purpose=purpose)
        messages.success(request, _("Your consent is recorded."))
    else:
        consent_withdraw(user=request.user, purpose=purpose)
        messages.success(request, _("Your consent is withdrawn from now on."))
    return redirect("accounts:profile")
