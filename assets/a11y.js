/* Accessible names for Dash 4 dropdowns.

   dcc.Dropdown renders <button id=ID aria-labelledby="ID-value-count ID-value">: its name is the
   selection only ("All"), because aria-labelledby overrides our <label for=ID>, so a screen
   reader never hears the visible label ("Status"); and with two or more values selected the name
   reads "2 selected RED, AMBER" while the button shows "RED AMBER 2 selected". Dash 4.4 has no
   prop for either, so each dropdown button is named by its label and then its own content, as
   shown: "Status RED, AMBER 2 selected" (WCAG 1.3.1, 2.5.3 Label in Name, 4.1.2). The mouse-only
   "Clear selection" cross inside the button (keyboard users press Delete) is left out of the name,
   and the open list is named by the label too (WCAG 4.1.2).
   React leaves these attributes as we set them, because its own values for them never change;
   the observer names dropdowns that pages render later.
   Ids read here (components/ids.py): none; every id comes from the page, and a label made here
   is given the id components/ids.py's label_for gives (the control's id and "-label"). */
(function () {
    function nameDropdowns() {
        document.querySelectorAll("button.dash-dropdown[id]").forEach(function (button) {
            var label = document.querySelector('label[for="' + CSS.escape(button.id) + '"]');
            if (!label) {
                return;
            }
            if (!label.id) {
                label.id = button.id + "-label";
            }
            var wanted = label.id + " " + button.id;
            if (button.getAttribute("aria-labelledby") !== wanted) {
                button.setAttribute("aria-labelledby", wanted);
            }
            button.querySelectorAll(".dash-dropdown-clear:not([aria-hidden])").forEach(
                function (cross) { cross.setAttribute("aria-hidden", "true"); });
            // The open list (and the pop-up around it) has no name either: give it the label's.
            var wrapper = button.closest(".dash-dropdown-wrapper");
            if (wrapper) {
                wrapper.querySelectorAll('[role="listbox"], [role="dialog"]').forEach(
                    function (popup) {
                        if (popup.getAttribute("aria-labelledby") !== label.id) {
                            popup.setAttribute("aria-labelledby", label.id);
                        }
                    });
            }
        });
    }

    new MutationObserver(nameDropdowns).observe(document.documentElement,
                                                {childList: true, subtree: true});
})();
