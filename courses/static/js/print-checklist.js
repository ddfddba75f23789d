/* "Print this checklist": prints one checklist block on its own page, without the rest of the
   lesson. The checklist template includes this file once per checklist, so it guards itself.
   Without JavaScript the button stays hidden and the whole lesson prints, checklists included. */
(function () {
    "use strict";
    if (window.saylauPrintChecklist) {
        return;
    }
    window.saylauPrintChecklist = true;

    var PRINTING = "printing-checklist";
    var TARGET = "print-target";
    var PATH = "print-path";

    function clear() {
        document.body.classList.remove(PRINTING);
        document.querySelectorAll("." + TARGET + ", ." + PATH).forEach(function (element) {
            element.classList.remove(TARGET, PATH);
        });
    }

    function printChecklist(checklist) {
        clear();
        checklist.classList.add(TARGET);
        // Mark the ancestors, so that print-lessons.css hides everything beside them.
        for (var node = checklist.parentElement; node && node !== document.body; node = node.parentElement) {
            node.classList.add(PATH);
        }
        document.body.classList.add(PRINTING);
        window.print();
    }

    function start() {
        document.querySelectorAll("[data-print-checklist]").forEach(function (button) {
            button.hidden = false;
            button.addEventListener("click", function () {
                printChecklist(button.closest("[data-checklist]"));
            });
        });
    }

    window.addEventListener("afterprint", clear);
    if (document.readyState === "loading") {
        document.addEventListener("DOMContentLoaded", start);
    } else {
        start();
    }
})();
