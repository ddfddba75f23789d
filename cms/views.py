from django.shortcuts import render


def csrf_failure(request, reason=""):
    """An expired or tampered form: say so plainly; nothing was saved."""
    return render(request, "403_csrf.html", status=403)
