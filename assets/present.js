/* The meeting-room display (/present): keyboard control and the clock.
   Left and right arrows move between slides, space pauses and resumes: each key clicks the
   matching button, so the keyboard and the buttons share one server callback.
   Ids read here (components/ids.py): present-page, present-prev, present-next, present-pause. */
window.dash_clientside = Object.assign({}, window.dash_clientside, {
    present: {
        clock: function () {
            var now = new Date();
            return now.toLocaleTimeString("en-GB", {hour: "2-digit", minute: "2-digit"});
        }
    }
});

document.addEventListener("keydown", function (event) {
    if (!document.getElementById("present-page") || event.altKey || event.ctrlKey ||
            event.metaKey) {
        return;
    }
    var buttons = {ArrowRight: "present-next", ArrowLeft: "present-prev", " ": "present-pause"};
    var target = buttons[event.key];
    if (!target) {
        return;
    }
    event.preventDefault();
    var button = document.getElementById(target);
    if (button) {
        button.click();
    }
});

// Space on a focused button would also click that button when the key comes up: stop that, so
// space always means pause, whichever control has focus.
document.addEventListener("keyup", function (event) {
    if (document.getElementById("present-page") && event.key === " ") {
        event.preventDefault();
    }
});
