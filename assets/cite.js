/* Copy buttons for the citation texts on a thesis page.
   Each button names the <pre> it copies in data-copy. The buttons are hidden in the HTML and shown
   here, so without this script the page shows the texts and the download links, and no dead buttons.
   A plain script (no modules, no fetch), so it also runs from a bundle opened from disk. */
(function () {
  "use strict";

  function announce(status, message) {
    if (status) {
      status.textContent = message;
    }
  }

  // Select the text so that a person can copy it by hand if copying fails.
  function selectText(element) {
    var details = element.closest("details");
    if (details) {
      details.open = true;
    }
    var range = document.createRange();
    range.selectNodeContents(element);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }

  function copyBySelection(element) {
    selectText(element);
    try {
      return document.execCommand("copy");
    } catch (error) {
      return false;
    }
  }

  function copy(button, status) {
    var source = document.getElementById(button.getAttribute("data-copy"));
    if (!source) {
      return;
    }
    var label = button.textContent.replace(/^Copy\s+/, "");
    var done = function () { announce(status, label + " copied to the clipboard."); };
    var failed = function () {
      if (copyBySelection(source)) {
        done();
      } else {
        announce(status, "Could not copy. The " + label + " text is selected: press Ctrl+C (Command+C on a Mac) to copy it.");
      }
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(source.textContent).then(done, failed);
    } else {
      failed();
    }
  }

  var buttons = document.querySelectorAll("button[data-copy]");
  for (var i = 0; i < buttons.length; i++) {
    var button = buttons[i];
    var status = button.parentNode.querySelector("[role=status]");
    button.hidden = false;
    button.addEventListener("click", copy.bind(null, button, status));
  }
})();
