"""Reading certificates: the verification page and the downloads."""

from django.core.cache import cache

from .models import Certificate

# Lookups of the verify pages per client address and window: enough for a commission checking
# its members' certificates, far too few to walk through the numbers.
VERIFY_LIMIT = 30
VERIFY_WINDOW = 600  # seconds


def verify_allowed(*, client: str) -> bool:
    """Count one lookup for ``client``; False once it made ``VERIFY_LIMIT`` in the window."""
    key = f"certificates:verify:{client}"
    cache.add(key, 0, timeout=VERIFY_WINDOW)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=VERIFY_WINDOW)
        count = 1
    return count <= VERIFY_LIMIT


def certificate_for_verification(**lookup) -> Certificate | None:
    """The certificate by ``code`` or ``number``, with the certificate that replaced it."""
    return Certificate.objects.select_related("replaced_by").filter(**lookup).first()
