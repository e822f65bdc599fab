/* Accessibility repairs of third-party widgets (no network, no library).
 * Dash 4's dropdown takes keyboard focus on a hidden read-only <input aria-hidden="true"> next to
 * its button; a screen reader then lands on an element it was told to ignore (axe:
 * aria-hidden-focus). Give that input the dropdown's name and role instead of hiding it. */
(function () {
    "use strict";
    function repair(root) {
        var inputs = (root || document).querySelectorAll(".dash-dropdown-focus-target[aria-hidden='true']");
        inputs.forEach(function (input) {
            var button = input.parentElement && input.parentElement.querySelector("button.dash-dropdown");
            input.removeAttribute("aria-hidden");
            input.setAttribute("role", "combobox");
            input.setAttribute("aria-haspopup", "listbox");
            if (button && button.id) {
                var label = document.querySelector("label[for='" + button.id + "']");
                if (label) {
                    if (!label.id) { label.id = button.id + "-label"; }
                    input.setAttribute("aria-labelledby", label.id + " " + button.id + "-value");
                }
                input.setAttribute("aria-controls", button.id);
                input.setAttribute("aria-expanded", button.getAttribute("aria-expanded") || "false");
            }
        });
    }
    var scheduled = false;
    new MutationObserver(function () {
        if (scheduled) { return; }
        scheduled = true;
        window.requestAnimationFrame(function () { scheduled = false; repair(document); });
    }).observe(document.documentElement, {childList: true, subtree: true});
    document.addEventListener("DOMContentLoaded", function () { repair(document); });
})();
