/* Saves each answer as the learner gives it, and shows the countdown of a timed attempt.
   The page works without this file: the Save and Submit buttons post the whole form. The server
   keeps the time and grades; this file only sends what the learner chose. */
(function () {
    "use strict";

    var form = document.getElementById("quiz-form");
    if (!form) {
        return;
    }
    var saveUrl = form.getAttribute("data-save-url");
    var statusLine = document.getElementById("quiz-save-status");
    var csrf = form.querySelector("input[name=csrfmiddlewaretoken]");
    var pending = {};
    var timers = {};
    var sending = false;
    var submitting = false;

    function text(name) {
        return form.getAttribute("data-" + name + "-text") || "";
    }

    function answerOf(fieldset) {
        var kind = fieldset.getAttribute("data-kind");
        if (kind === "single" || kind === "true_false") {
            var checked = fieldset.querySelector("input[type=radio]:checked");
            return checked ? checked.value : "";
        }
        if (kind === "multiple") {
            return Array.prototype.map.call(
                fieldset.querySelectorAll("input[type=checkbox]:checked"),
                function (input) { return input.value; }
            );
        }
        if (kind === "numeric" || kind === "short_text") {
            var input = fieldset.querySelector("input[type=text]");
            return input ? input.value : "";
        }
        var pairs = {};
        fieldset.querySelectorAll("select[data-choice]").forEach(function (select) {
            pairs[select.getAttribute("data-choice")] = select.value;
        });
        return pairs;
    }

    function isAnswered(fieldset) {
        var answer = answerOf(fieldset);
        if (Array.isArray(answer)) {
            return answer.length > 0;
        }
        if (typeof answer === "object") {
            return Object.keys(answer).some(function (key) { return answer[key] !== ""; });
        }
        return String(answer).trim() !== "";
    }

    function updateCount() {
        var counter = document.getElementById("quiz-answered");
        if (!counter) {
            return;
        }
        var fieldsets = form.querySelectorAll("fieldset.question[data-key]");
        var answered = Array.prototype.filter.call(fieldsets, isAnswered).length;
        counter.textContent = answered + " " + text("of") + " " + counter.getAttribute("data-total") + " " + text("answered");
    }

    function showError(fieldset, message) {
        var id = fieldset.id + "-error";
        var existing = document.getElementById(id);
        var fields = fieldset.querySelectorAll("input:not([type=hidden]), select");
        if (!message) {
            if (existing) {
                existing.remove();
            }
            fieldset.classList.remove("question--error");
            fields.forEach(function (field) { field.removeAttribute("aria-invalid"); });
            var described = (fieldset.getAttribute("aria-describedby") || "").split(" ").filter(function (token) {
                return token && token !== id;
            });
            if (described.length) {
                fieldset.setAttribute("aria-describedby", described.join(" "));
            } else {
                fieldset.removeAttribute("aria-describedby");
            }
            return;
        }
        if (!existing) {
            existing = document.createElement("p");
            existing.id = id;
            existing.className = "errorlist question__error";
            var legend = fieldset.querySelector("legend");
            legend.insertAdjacentElement("afterend", existing);
            var tokens = (fieldset.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
            tokens.push(id);
            fieldset.setAttribute("aria-describedby", tokens.join(" "));
        }
        existing.textContent = message;
        fieldset.classList.add("question--error");
        fields.forEach(function (field) { field.setAttribute("aria-invalid", "true"); });
    }

    function say(message) {
        if (statusLine) {
            statusLine.textContent = message;
        }
    }

    function send() {
        if (sending || submitting) {
            return;
        }
        var keys = Object.keys(pending);
        if (!keys.length) {
            return;
        }
        var answers = {};
        keys.forEach(function (key) { answers[key] = pending[key]; });
        pending = {};
        sending = true;
        fetch(saveUrl, {
            method: "POST",
            credentials: "same-origin",
            headers: {
                "Content-Type": "application/json",
                "X-CSRFToken": csrf ? csrf.value : "",
                "X-Requested-With": "XMLHttpRequest"
            },
            body: JSON.stringify({ answers: answers })
        }).then(function (response) {
            return response.json().then(function (data) { return { status: response.status, data: data }; });
        }).then(function (reply) {
            sending = false;
            var data = reply.data || {};
            if (reply.status === 409 && data.result_url) {
                window.location.assign(data.result_url);
                return;
            }
            if (reply.status >= 500 || (reply.status >= 400 && !data.errors)) {
                throw new Error(data.error || "save failed");
            }
            var errors = data.errors || {};
            keys.forEach(function (key) {
                var fieldset = form.querySelector('fieldset[data-key="' + key + '"]');
                if (fieldset) {
                    showError(fieldset, errors[key] || "");
                }
            });
            if (typeof data.remaining_seconds === "number") {
                clock.sync(data.remaining_seconds);
            }
            // The server's clock, in the site's time zone, as the deadline is shown.
            var time = typeof data.saved_at === "string" ? data.saved_at.slice(11, 16) : "";
            say(text("saved") + " " + time);
            send();
        }).catch(function () {
            sending = false;
            keys.forEach(function (key) {
                if (!(key in pending)) {
                    pending[key] = answers[key];
                }
            });
            say(text("failed"));
        });
    }

    function queue(fieldset, delay) {
        var key = fieldset.getAttribute("data-key");
        clearTimeout(timers[key]);
        timers[key] = setTimeout(function () {
            pending[key] = answerOf(fieldset);
            updateCount();
            send();
        }, delay);
    }

    form.addEventListener("change", function (event) {
        var fieldset = event.target.closest("fieldset.question[data-key]");
        if (fieldset) {
            queue(fieldset, 150);
        }
    });
    form.addEventListener("input", function (event) {
        var fieldset = event.target.closest("fieldset.question[data-key]");
        if (fieldset && event.target.type === "text") {
            queue(fieldset, 900);
        }
    });
    form.addEventListener("submit", function (event) {
        if (submitting) {
            event.preventDefault();  // a second click: the first submit is on its way
            return;
        }
        submitting = true;
    });

    /* The countdown: the server said how many seconds were left when it sent the page. */
    var clock = (function () {
        var box = document.getElementById("quiz-timer");
        var face = document.getElementById("quiz-clock");
        var alertLine = document.getElementById("quiz-timer-alert");
        var endsAt = null;
        var warned = {};
        if (box && face) {
            endsAt = Date.now() + parseInt(box.getAttribute("data-remaining"), 10) * 1000;
        }

        function render() {
            if (endsAt === null) {
                return;
            }
            var left = Math.max(0, Math.round((endsAt - Date.now()) / 1000));
            var minutes = Math.floor(left / 60);
            var seconds = left % 60;
            face.textContent = minutes + " " + text("minutes") + " " + (seconds < 10 ? "0" : "") + seconds + " " + text("seconds");
            if (left <= 300 && !warned.five && left > 60) {
                warned.five = true;
                alertLine.textContent = text("five-minutes");
            }
            if (left <= 60 && !warned.one && left > 0) {
                warned.one = true;
                alertLine.textContent = text("one-minute");
                box.classList.add("quiz-timer--low");
            }
            if (left === 0 && !warned.up) {
                warned.up = true;
                alertLine.textContent = text("time-up");
                var submit = document.getElementById("quiz-submit");
                if (!submitting && submit) {
                    if (form.requestSubmit) {
                        form.requestSubmit(submit);
                    } else {
                        submit.click();
                    }
                }
                return;
            }
            setTimeout(render, 1000 - ((endsAt - Date.now()) % 1000 + 1000) % 1000 || 1000);
        }

        render();
        return {
            sync: function (remaining) {
                if (endsAt !== null) {
                    endsAt = Date.now() + remaining * 1000;
                }
            }
        };
    })();

    updateCount();

    // After a refused submit, take keyboard and screen reader users to the list of problems.
    var summary = document.getElementById("quiz-errors");
    if (summary) {
        summary.focus();
    }
})();
