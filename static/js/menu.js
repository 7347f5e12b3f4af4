/*
 * The header menu (templates/includes/header_menu.html), enhanced.
 *
 * Without this script every link is in the page: submenus open on hover and
 * when a link in them has keyboard focus, and phones show the whole list.
 * With it, the buttons appear: "Menu" folds the navigation away on narrow
 * screens, and each submenu opens and closes with its own button (the
 * disclosure pattern). Escape closes the open submenu and puts focus back
 * on its button; a click elsewhere closes it; one submenu is open at a time.
 */
(function () {
  "use strict";

  var nav = document.querySelector("[data-menu]");
  if (!nav) {
    return;
  }
  var toggle = nav.querySelector(".menu-toggle");
  var buttons = Array.prototype.slice.call(nav.querySelectorAll(".submenu-toggle"));

  function isOpen(button) {
    return button.getAttribute("aria-expanded") === "true";
  }

  function setOpen(button, open) {
    button.setAttribute("aria-expanded", open ? "true" : "false");
  }

  function closeSubmenus(except) {
    buttons.forEach(function (button) {
      if (button !== except) {
        setOpen(button, false);
      }
    });
  }

  function openButton() {
    return buttons.filter(isOpen)[0] || null;
  }

  nav.classList.add("menu-js");
  if (toggle) {
    toggle.hidden = false;
    toggle.addEventListener("click", function () {
      setOpen(toggle, !isOpen(toggle));
    });
  }

  buttons.forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      var open = !isOpen(button);
      closeSubmenus(button);
      setOpen(button, open);
    });
    // Tabbing out of an open submenu closes it.
    button.parentElement.addEventListener("focusout", function (event) {
      var next = event.relatedTarget;
      if (next && !button.parentElement.contains(next)) {
        setOpen(button, false);
      }
    });
  });

  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape" && event.key !== "Esc") {
      return;
    }
    var button = openButton();
    if (button) {
      var hadFocus = button.parentElement.contains(document.activeElement);
      setOpen(button, false);
      if (hadFocus) {
        button.focus();
      }
      return;
    }
    // On a phone, Escape folds the open navigation away again.
    if (toggle && isOpen(toggle) && nav.contains(document.activeElement)) {
      setOpen(toggle, false);
      toggle.focus();
    }
  });

  document.addEventListener("click", function (event) {
    var button = openButton();
    if (button && !button.parentElement.contains(event.target)) {
      setOpen(button, false);
    }
  });
})();
