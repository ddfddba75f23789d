"""Pages load nothing from another server: no CDN, web font, script or avatar service."""

from urllib.parse import urlsplit

from .pages import PAGES


def test_no_page_requests_anything_from_another_host(new_context, live_server, branch):
    own_host = urlsplit(live_server.url).netloc
    requested: dict[str, list[str]] = {}
    for name, visit in PAGES.items():
        context = new_context()
        urls = requested[name] = []
        context.on("request", lambda request, urls=urls: urls.append(request.url))
        visit(context.new_page(), branch)
        context.close()

    outside = {
        name: [url for url in urls if urlsplit(url).netloc not in (own_host, "")]
        for name, urls in requested.items()
    }
    assert not any(outside.values()), f"Requests to other hosts: {outside}"
    # Each page's own stylesheet was seen, so the listener works and the empty lists mean something.
    for name, urls in requested.items():
        assert any(urlsplit(url).path == "/static/css/site.css" for url in urls), name
