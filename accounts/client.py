"""The address a request came from, as sign-in lockouts and sign-up limits count it.

Behind the deployment's reverse proxies every request arrives from a proxy, so
``TRUSTED_PROXY_COUNT`` (the number of proxies in front of the web processes, 0 when browsers
connect directly) says which entry of ``X-Forwarded-For`` the nearest trusted proxy wrote: the
client's address as it saw it. Entries further left are whatever the client sent, and are never
trusted. django-axes uses this function too (``AXES_CLIENT_IP_CALLABLE``), so both count the same
address.
"""

from django.conf import settings


def client_address(request) -> str:
    proxies = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    remote = request.META.get("REMOTE_ADDR", "")
    if proxies <= 0:
        return remote
    forwarded = [
        address.strip()
        for address in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if address.strip()
    ]
    if len(forwarded) < proxies:
        return remote
    return forwarded[-proxies]
