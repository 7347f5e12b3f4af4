/*
 * "Save my name, email, and website in this browser", as WordPress offers,
 * kept in this browser's localStorage rather than in a cookie: the article
 * is one cached page, the same bytes for every reader, so nothing personal
 * may come from the server. Ticked when the form is sent, the details are
 * kept; unticked, they are forgotten. Kept details fill the empty fields when
 * the form appears (never over what the reader typed or the server showed
 * again). Without scripts, or storage, the box stays hidden.
 */
(function () {
  "use strict";

  var KEY = "blog.commenter";
  var FIELDS = ["name", "email", "url"];
  var form = document.querySelector("form.comment-form");
  var row = form && form.querySelector("[data-remember]");
  var box = row && row.querySelector('input[type="checkbox"]');
  if (!box) {
    return;
  }
  var storage;
  try {
    storage = window.localStorage;
    storage.getItem(KEY);
  } catch (error) {
    return; // storage is off (private mode, blocked): the box stays hidden
  }
  row.hidden = false;

  var kept = null;
  try {
    kept = JSON.parse(storage.getItem(KEY) || "null");
  } catch (error) {
    kept = null;
  }
  if (kept && typeof kept === "object") {
    FIELDS.forEach(function (name) {
      var field = form.elements[name];
      if (field && !field.value && typeof kept[name] === "string") {
        field.value = kept[name];
      }
    });
    box.checked = true;
  }

  form.addEventListener("submit", function () {
    try {
      if (box.checked) {
        var details = {};
        FIELDS.forEach(function (name) {
          var field = form.elements[name];
          details[name] = field ? field.value.trim() : "";
        });
        storage.setItem(KEY, JSON.stringify(details));
      } else {
        storage.removeItem(KEY);
      }
    } catch (error) {
      // Storage full or refused: the comment is sent all the same.
    }
  });
})();
