/*
 * Replies in place, as WordPress's comment-reply.js does: "Reply" under a
 * comment moves the comment form (#respond) right below that comment, sets
 * the form's hidden parent, names the person answered in the form's heading
 * and offers "Cancel reply", which puts the form back where it was.
 *
 * Without this script each Reply link reloads the article with
 * ?replytocom=N#respond, and the server fills in the parent: the same form,
 * at the bottom of the page. A form shown again with a parent (a refused
 * reply, or that reload) is moved under its comment too.
 */
(function () {
  "use strict";

  var respond = document.getElementById("respond");
  if (!respond) {
    return;
  }
  var form = respond.querySelector("form.comment-form");
  var parentField = form && form.querySelector('input[name="parent"]');
  var title = respond.querySelector(".comment-reply-title");
  if (!parentField || !title) {
    return;
  }
  var home = document.createElement("div");
  home.hidden = true;
  home.id = "respond-home";
  respond.parentNode.insertBefore(home, respond);
  // The no-script "Replying to ... cancel reply" line says what the heading now says.
  var staticNote = document.querySelector(".reply-to");

  var cancel = document.createElement("button");
  cancel.type = "button";
  cancel.className = "cancel-reply-button";
  cancel.textContent = "Cancel reply";
  cancel.hidden = true;

  var titleText = document.createElement("span");
  titleText.textContent = title.getAttribute("data-default-title") || title.textContent;
  title.textContent = "";
  title.appendChild(titleText);
  title.appendChild(document.createTextNode(" "));
  title.appendChild(cancel);

  function firstField() {
    var fields = form.querySelectorAll(
      'input:not([type="hidden"]):not([tabindex="-1"]), textarea'
    );
    for (var i = 0; i < fields.length; i++) {
      if (!fields[i].value && fields[i].type !== "checkbox") {
        return fields[i];
      }
    }
    return form.querySelector("textarea");
  }

  function moveUnder(id, name, focus) {
    var comment = document.getElementById("comment-" + id);
    var article = comment && comment.querySelector(":scope > article");
    if (!article) {
      return false;
    }
    article.insertAdjacentElement("afterend", respond);
    parentField.value = id;
    titleText.textContent = "Reply to " + name;
    cancel.hidden = false;
    respond.classList.add("is-reply");
    if (staticNote) {
      staticNote.hidden = true;
    }
    if (focus) {
      var field = firstField();
      if (field) {
        field.focus();
      }
    }
    return true;
  }

  function moveHome() {
    home.insertAdjacentElement("afterend", respond);
    parentField.value = "";
    titleText.textContent = title.getAttribute("data-default-title") || "Leave a Reply";
    cancel.hidden = true;
    respond.classList.remove("is-reply");
    if (staticNote) {
      staticNote.hidden = true;
    }
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[data-reply-to]");
    if (!link) {
      return;
    }
    if (moveUnder(link.getAttribute("data-reply-to"), link.getAttribute("data-reply-name"), true)) {
      event.preventDefault();
    }
  });

  cancel.addEventListener("click", function () {
    var id = parentField.value;
    moveHome();
    // Back to the Reply link the reader came from, if it is still there.
    var link = id && document.querySelector('a[data-reply-to="' + id + '"]');
    if (link) {
      link.focus();
    }
  });

  // Shown again with a parent (a refused reply, or ?replytocom=N): under its comment.
  if (parentField.value) {
    var link = document.querySelector('a[data-reply-to="' + parentField.value + '"]');
    var name = link ? link.getAttribute("data-reply-name") : "";
    if (name && moveUnder(parentField.value, name, false) && location.hash === "#respond") {
      respond.scrollIntoView();
    }
  }
})();
