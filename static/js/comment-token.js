// The comment form's anti-spam token: the article is one cached page shared by
// every reader, so it carries none. When the reader first focuses the form, a
// fresh signed token is fetched (never cached) and put in the hidden field; a
// form sent while the token is on its way waits for it. Without scripts the
// form still works: the site shows it again with a token, to confirm.
(function () {
  "use strict";
  document.querySelectorAll("form.comment-form[data-token-url]").forEach(function (form) {
    var field = form.querySelector('input[name="token"]');
    if (!field || field.value) {
      return;
    }
    var pending = null;
    function fetchToken() {
      if (!pending) {
        pending = fetch(form.getAttribute("data-token-url"), {
          credentials: "same-origin",
          headers: { Accept: "application/json" },
        })
          .then(function (response) {
            return response.ok ? response.json() : null;
          })
          .then(function (data) {
            if (data && data.token && !field.value) {
              field.value = data.token;
            }
          })
          .catch(function () {
            pending = null; // try again on the next focus
          });
      }
      return pending;
    }
    form.addEventListener("focusin", fetchToken);
    form.addEventListener("submit", function (event) {
      if (field.value) {
        return;
      }
      event.preventDefault();
      var done = function () {
        form.submit();
      };
      fetchToken().then(done, done);
    });
  });
})();
