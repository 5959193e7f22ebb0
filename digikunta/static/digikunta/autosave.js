// The application form saves itself (issue 10, item 9): after a pause in typing (1.5 s), soon
// after a change of a choice or a file, one save at a time and each with the version the last
// one returned. What is typed is also kept in this tab's sessionStorage until a save succeeds,
// so a reload, a lost connection or a crash of the tab never loses it: on the next load a
// newer unsaved copy comes back into the form (or is offered, if the application has been
// saved since). sessionStorage, not localStorage: it ends with the tab, so nothing stays on a
// shared computer. Without this script the "Save the draft" button does the same by hand.
(function () {
  "use strict";
  var form = document.querySelector("form[data-autosave]");
  if (!form || !window.fetch || !window.FormData) {
    return;
  }
  var TYPING_PAUSE = 1500;
  var AFTER_CHANGE = 800;
  var texts = form.dataset;
  var key = "digikunta:draft:" + texts.autosaveKey;
  var status = form.querySelector("#autosave [role=status]");
  var notice = form.querySelector(".autosave-restore");
  var timer = null;
  var inFlight = null;
  var again = false;
  var retryDelay = 2000;
  var submitting = false;

  function version() {
    var input = form.querySelector("#id_version_current");
    return input ? input.value : "";
  }

  // What the person typed or chose: every named field but hidden ones and files.
  function collect() {
    var values = {};
    Array.prototype.forEach.call(form.elements, function (element) {
      var type = element.type;
      if (!element.name || type === "hidden" || type === "file" || type === "submit" || type === "button") {
        return;
      }
      if (type === "checkbox" || type === "radio") {
        values[element.name] = values[element.name] || [];
        if (element.checked) {
          values[element.name].push(element.value);
        }
      } else {
        values[element.name] = element.value;
      }
    });
    return values;
  }

  function fill(values) {
    Array.prototype.forEach.call(form.elements, function (element) {
      if (!element.name || !(element.name in values)) {
        return;
      }
      var value = values[element.name];
      if (element.type === "checkbox" || element.type === "radio") {
        element.checked = value.indexOf(element.value) !== -1;
      } else if (element.type !== "file" && element.type !== "hidden") {
        element.value = value;
      }
    });
  }

  function read(name) {
    try {
      return JSON.parse(window.sessionStorage.getItem(name) || "null");
    } catch (error) {
      return null;
    }
  }

  function write(name, copy) {
    try {
      window.sessionStorage.setItem(name, JSON.stringify(copy));
    } catch (error) {
      // Storage full or refused (private mode): the saves still run.
    }
  }

  function keep() {
    write(key, { at: Date.now(), version: version(), values: collect() });
  }

  function forget(name) {
    try {
      window.sessionStorage.removeItem(name);
    } catch (error) {
      // Nothing kept, nothing to forget.
    }
  }

  function say(text) {
    if (status && status.textContent !== text) {
      status.textContent = text;
    }
  }

  function clock(at) {
    var options = { hour: "2-digit", minute: "2-digit" };
    return new Date(at).toLocaleTimeString(document.documentElement.lang || undefined, options);
  }

  function later(delay) {
    window.clearTimeout(timer);
    timer = window.setTimeout(save, delay);
  }

  // The server's answer is the #autosave part of the page: its status, the new version and
  // any errors. The status element stays (a live region that is replaced is not announced).
  function apply(html) {
    var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("autosave");
    var here = form.querySelector("#autosave");
    if (!fresh || !here) {
      return false;
    }
    var freshStatus = fresh.querySelector("[role=status]");
    if (freshStatus) {
      say(freshStatus.textContent.trim());
    }
    var freshVersion = fresh.querySelector("#id_version_current");
    if (freshVersion) {
      here.querySelector("#id_version_current").value = freshVersion.value;
    }
    var oldSummary = here.querySelector(".error-summary");
    var newSummary = fresh.querySelector(".error-summary");
    if (!newSummary && oldSummary) {
      oldSummary.remove();
    } else if (newSummary && (!oldSummary || oldSummary.textContent !== newSummary.textContent)) {
      // Only a new error is announced again, not the same one on every save.
      if (oldSummary) {
        oldSummary.remove();
      }
      here.appendChild(document.importNode(newSummary, true));
    }
    return true;
  }

  function save() {
    window.clearTimeout(timer);
    if (submitting) {
      return;
    }
    if (inFlight) {
      again = true;
      return;
    }
    again = false;
    var sent = JSON.stringify(collect());
    say(texts.textSaving);
    inFlight = window
      .fetch(texts.autosave, {
        method: "POST",
        body: new FormData(form),
        headers: { "HX-Request": "true" },
        credentials: "same-origin",
      })
      .then(function (response) {
        return response.text().then(function (html) {
          if (response.redirected || !(response.status === 200 || response.status === 422)) {
            throw response;
          }
          if (!apply(html)) {
            throw response;
          }
          retryDelay = 2000;
          if (response.status === 200 && JSON.stringify(collect()) === sent) {
            forget(key);
          } else {
            keep(); // typed meanwhile, or refused: the copy stays until a save takes it
          }
        });
      })
      .catch(function (failure) {
        keep();
        if (failure && failure.redirected) {
          say(texts.textSignedOut); // the login page answered: retrying would not help
          return;
        }
        say(texts.textRetry);
        later(retryDelay);
        retryDelay = Math.min(retryDelay * 2, 60000);
      })
      .then(function () {
        inFlight = null;
        if (again) {
          later(TYPING_PAUSE);
        }
      });
  }

  form.addEventListener("input", function (event) {
    if (event.target.type === "file") {
      return; // a file is sent on its change event
    }
    keep();
    later(TYPING_PAUSE);
  });
  form.addEventListener("change", function () {
    keep();
    later(AFTER_CHANGE);
  });
  // A button press waits for a save on its way, so it carries the version that save returns.
  form.addEventListener("submit", function (event) {
    window.clearTimeout(timer);
    if (inFlight && !submitting) {
      event.preventDefault();
      var submitter = event.submitter;
      inFlight.then(function () {
        submitting = true;
        if (form.requestSubmit) {
          form.requestSubmit(submitter);
        } else {
          form.submit();
        }
      });
      return;
    }
    submitting = true;
  });

  // On load: an unsaved copy comes back. If nobody saved since it was typed it is simply the
  // newest text; otherwise it is set aside under its own key and offered, so typing goes on.
  var saved = collect();
  var same = function (copy) {
    return JSON.stringify(copy.values) === JSON.stringify(saved);
  };
  var kept = read(key);
  var earlier = read(key + ":earlier");
  var message = notice.querySelector("p");
  var restore = notice.querySelector("[data-restore]");
  var discard = notice.querySelector("[data-discard]");
  if (kept && same(kept)) {
    forget(key);
  } else if (kept && kept.version === version()) {
    fill(kept.values);
    restore.hidden = true;
    message.textContent = texts.textRestored.replace("%(time)s", clock(kept.at));
    discard.addEventListener("click", function () {
      fill(saved);
      notice.hidden = true;
      save();
    });
    notice.hidden = false;
    save();
    return;
  } else if (kept) {
    earlier = kept;
    write(key + ":earlier", kept);
    forget(key);
  }
  if (!earlier || same(earlier)) {
    forget(key + ":earlier");
    return;
  }
  message.textContent = texts.textOffer.replace("%(time)s", clock(earlier.at));
  restore.addEventListener("click", function () {
    fill(earlier.values);
    forget(key + ":earlier");
    notice.hidden = true;
    keep();
    save();
  });
  discard.addEventListener("click", function () {
    forget(key + ":earlier");
    notice.hidden = true;
  });
  notice.hidden = false;
})();
