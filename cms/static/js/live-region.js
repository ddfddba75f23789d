/*
 * Keeps a part of the page up to date while the server prepares something (a ZIP, an export),
 * without reloading the page: a reload every few seconds would move keyboard focus and a screen
 * reader's place back to the top (WCAG 2.2.1).
 *
 * Markup: an element with an id and data-refresh="SECONDS". Every SECONDS the page is fetched
 * again and the element's content replaced by the fresh copy's; once the fresh copy no longer
 * carries data-refresh (nothing is being prepared), it stops. Same origin, no library.
 */
(function () {
    "use strict";

    function watch(region) {
        var seconds = Number(region.getAttribute("data-refresh")) || 5;

        function tick() {
            fetch(window.location.href, { credentials: "same-origin", cache: "no-store" })
                .then(function (response) {
                    return response.ok ? response.text() : null;
                })
                .then(function (html) {
                    if (html === null) {
                        return true;
                    }
                    var fresh = new DOMParser()
                        .parseFromString(html, "text/html")
                        .getElementById(region.id);
                    if (!fresh) {
                        return false;
                    }
                    region.innerHTML = fresh.innerHTML;
                    return fresh.hasAttribute("data-refresh");
                })
                .catch(function () {
                    return true; // the network dropped: try again next time
                })
                .then(function (again) {
                    if (again) {
                        window.setTimeout(tick, seconds * 1000);
                    } else {
                        region.removeAttribute("data-refresh");
                    }
                });
        }

        window.setTimeout(tick, seconds * 1000);
    }

    document.querySelectorAll("[data-refresh][id]").forEach(watch);
})();
