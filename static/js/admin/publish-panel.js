/*
 * The publish panel of the post and page form
 * (templates/admin/posts/post/_publish_panel.html), and the form's guard
 * against lost work. Plain JavaScript, no library; with it off, the panel is
 * ordinary form fields and buttons, and the server decides the same way
 * (blog/posts/forms.py, PostAdminForm.intent).
 *
 * - The main button says what it will do: Submit for review (those who may
 *   not publish), Update (a post already published, scheduled or private),
 *   Schedule (a publish time still to come), else Publish. Save draft says
 *   "Save as pending" when Pending review is chosen; the status menu calls a
 *   published post with a time to come "Scheduled", as the list does.
 * - Visibility: the password field shows for "Password protected" only;
 *   "Private" and the status Private follow each other.
 * - Publish time: the date fields show for "At a date and time" only.
 * - The share-link buttons post on their own (fetch) and put the answer in
 *   place, so the form's unsaved edits stay as they are.
 * - Leaving the page with changes not saved asks first (beforeunload); a
 *   save, or a page with nothing changed, leaves without a question.
 *
 * The admin runs under a strict Content-Security-Policy: no inline scripts or
 * styles; visibility is switched with the `hidden` property.
 */
(() => {
  "use strict";

  function csrfToken(form) {
    const input = form.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function checked(form, name) {
    const input = form.querySelector(`input[name=${name}]:checked`);
    return input ? input.value : "";
  }

  function rowOf(form, name) {
    return form.querySelector(`.form-row.field-${name}`);
  }

  // "YYYY-MM-DDTHH:MM" of the site's clock now: the server's time at render
  // plus what has passed since.
  function siteNow(panel, loadedAt) {
    const start = Date.parse(`${panel.dataset.now}:00Z`);
    if (Number.isNaN(start)) return "";
    return new Date(start + (Date.now() - loadedAt)).toISOString().slice(0, 16);
  }

  // The publish time typed in the split date and time inputs, in the same form.
  function typedTime(form) {
    const date = form.querySelector("#id_published_at_0");
    const time = form.querySelector("#id_published_at_1");
    if (!date || !/^\d{4}-\d{2}-\d{2}$/.test(date.value.trim())) return "";
    const clock = time && /^\d{1,2}:\d{2}/.test(time.value.trim()) ? time.value.trim() : "00:00";
    const [hours, minutes] = clock.split(":");
    return `${date.value.trim()}T${hours.padStart(2, "0")}:${minutes.slice(0, 2)}`;
  }

  function setupPanel(form, panel) {
    const loadedAt = Date.now();
    const canPublish = panel.dataset.canPublish === "true";
    const live = panel.dataset.live === "true";
    const main = panel.querySelector("[data-publish-button]");
    const draft = panel.querySelector("[data-save-draft]");
    const status = form.querySelector("#id_status");
    const publishedOption = status && status.querySelector("option[value=published]");

    function future() {
      const when = checked(form, "publish_time");
      if (when && when !== "date") return false;
      const typed = typedTime(form);
      return typed !== "" && typed > siteNow(panel, loadedAt);
    }

    function update() {
      const visibility = checked(form, "visibility");
      const password = rowOf(form, "password");
      if (password && visibility) password.hidden = visibility !== "password";
      const when = checked(form, "publish_time");
      const date = rowOf(form, "published_at");
      if (date && when) date.hidden = when !== "date";
      const scheduled = future();
      if (publishedOption) publishedOption.textContent = scheduled ? "Scheduled" : "Published";
      let label = "Publish";
      if (!canPublish) label = "Submit for review";
      else if (live) label = "Update";
      else if (visibility !== "private" && scheduled) label = "Schedule";
      if (main.textContent !== label) main.textContent = label;
      if (draft) {
        draft.textContent =
          status && status.value === "pending" ? "Save as pending" : "Save draft";
      }
    }

    // Private is a visibility and a status: each follows the other.
    form.addEventListener("change", (event) => {
      const target = event.target;
      if (target.name === "visibility" && status) {
        if (target.value === "private") status.value = "private";
        else if (status.value === "private") status.value = publishedOption ? "published" : "draft";
      } else if (target === status) {
        const wanted = status.value === "private" ? "private" : null;
        const radios = form.querySelectorAll("input[name=visibility]");
        if (wanted) radios.forEach((r) => (r.checked = r.value === wanted));
        else if (checked(form, "visibility") === "private") {
          radios.forEach((r) => (r.checked = r.value === "public"));
        }
      }
      update();
    });
    form.addEventListener("input", update);
    // The admin's calendar and clock fill the inputs without an event.
    setInterval(update, 1000);
    update();

    form.addEventListener("post:auto-draft", (event) => {
      const preview = panel.querySelector("[data-preview-button]");
      if (preview && event.detail.theme_preview_url) {
        preview.setAttribute("formaction", event.detail.theme_preview_url);
      }
    });
  }

  // The share-link buttons: their own request, the answer in place.
  function setupShare(form) {
    const said = document.createElement("p");
    said.className = "share-status";
    said.setAttribute("role", "status");
    form.addEventListener("click", async (event) => {
      const button = event.target.closest("[data-share-action]");
      if (!button) return;
      event.preventDefault();
      const data = new FormData();
      data.append("csrfmiddlewaretoken", csrfToken(form));
      button.disabled = true;
      try {
        const response = await fetch(button.formAction, {
          method: "POST",
          credentials: "same-origin",
          headers: { Accept: "application/json", "X-CSRFToken": csrfToken(form) },
          body: data,
        });
        const answer = await response.json();
        const holder = button.closest("[data-share-panel]");
        const template = document.createElement("template");
        template.innerHTML = answer.html;
        const fresh = template.content.firstElementChild;
        holder.replaceWith(fresh);
        revealCopyButtons(fresh);
        fresh.after(said);
        said.textContent = answer.message || "";
        const next = fresh.querySelector("button, a");
        if (next) next.focus();
      } catch {
        button.disabled = false;
        button.after(said);
        said.textContent = "That did not work: no answer from the server. Your edits are kept.";
      }
    });
  }

  // "Copy link" beside a share link's full address (shown only where it can work).
  function revealCopyButtons(root) {
    root.querySelectorAll("[data-copy-share]").forEach((button) => (button.hidden = false));
  }

  function setupCopy(form) {
    revealCopyButtons(form);
    form.addEventListener("click", async (event) => {
      const button = event.target.closest("[data-copy-share]");
      if (!button) return;
      const field = button.parentElement.querySelector("[data-share-url]");
      try {
        await navigator.clipboard.writeText(field.value);
      } catch {
        // No clipboard API (plain http): the address is selected for Ctrl+C.
        field.select();
        document.execCommand("copy");
      }
      button.textContent = "Copied";
    });
  }

  // Ask before leaving with changes not saved.
  function setupLeaveGuard(form) {
    const state = () => {
      const data = new FormData(form);
      data.delete("csrfmiddlewaretoken");
      return new URLSearchParams(
        [...data.entries()].map(([k, v]) => [k, typeof v === "string" ? v : v.name]),
      ).toString();
    };
    // Taken once the other scripts have set their fields up.
    let saved = null;
    if (document.readyState === "complete") saved = state();
    else window.addEventListener("load", () => (saved = state()));
    let leaving = false;
    form.addEventListener("submit", (event) => {
      const target = event.submitter && event.submitter.formTarget;
      if (!target || target === "_self") leaving = true;
    });
    window.addEventListener("beforeunload", (event) => {
      if (leaving || saved === null || state() === saved) return;
      event.preventDefault();
      event.returnValue = "";
    });
  }

  // Names for two of Django's own widgets on this form, which axe finds
  // nameless: the autocomplete box (select2) of the featured image, and the
  // search icons of the categories' two-list filter (a span with a label).
  function nameAdminWidgets(form) {
    for (const box of form.querySelectorAll(".select2-selection[role=combobox]")) {
      const select = box.closest(".related-widget-wrapper, .form-row")?.querySelector("select");
      const label = select && form.querySelector(`label[for="${select.id}"]`);
      if (!label) continue;
      const name = label.textContent.replace(/:\s*$/, "").trim();
      box.setAttribute("aria-label", name);
      const shown = box.querySelector(".select2-selection__rendered");
      if (shown) shown.setAttribute("aria-label", name);
    }
    for (const icon of form.querySelectorAll(".selector .help-tooltip[aria-label]")) {
      icon.setAttribute("role", "img");
    }
  }

  function init() {
    const panel = document.querySelector("[data-publish-panel]");
    const form = panel && panel.closest("form");
    if (!form) return;
    setupPanel(form, panel);
    setupShare(form);
    setupCopy(form);
    setupLeaveGuard(form);
    // After the admin's own scripts have built those widgets (on load).
    const name = () => setTimeout(() => nameAdminWidgets(form), 0);
    if (document.readyState === "complete") name();
    else window.addEventListener("load", name);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
