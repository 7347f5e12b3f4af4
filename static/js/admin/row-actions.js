/*
 * Row actions of the admin's lists (posts, pages, comments), answered in
 * place.
 *
 * Each row action is a button of #row-action-form (templates/admin/includes/
 * row_action_form.html) with its own formaction. Without this script the
 * click posts the form, the server acts and redirects back to the list,
 * which reloads with a message. With it, the same POST (the same CSRF token,
 * the same redirect, followed by fetch) is sent in the background, and the
 * list it comes back with updates the page: the row's cells (or a notice
 * where the row left the view shown), the views' counts, the pending badge,
 * the message and the paginator's total. The row's checkbox is kept, so
 * Django's bulk-action script keeps counting the selection.
 */
"use strict";
(function () {
    const form = () => document.getElementById("row-action-form");

    function announce(text) {
        const status = document.getElementById("row-action-status");
        if (status) {
            status.textContent = "";
            // A new text node, so screen readers announce a repeat too.
            window.setTimeout(() => { status.textContent = text; }, 50);
        }
    }

    function replaceMessages(doc) {
        const fresh = doc.querySelector(".messagelist");
        const old = document.querySelector(".messagelist");
        if (old) {
            old.remove();
        }
        if (fresh) {
            const content = document.getElementById("content");
            content.parentNode.insertBefore(document.adoptNode(fresh), content);
        }
        return fresh ? fresh.textContent.trim().replace(/\s+/g, " ") : "";
    }

    function syncCounts(doc) {
        // The views' labels ("Pending (3)"), link by link: the filters are
        // the same ones, in the same order (addresses alone may repeat).
        const fresh = doc.querySelectorAll("#changelist-filter a");
        const shown = document.querySelectorAll("#changelist-filter a");
        if (fresh.length === shown.length) {
            shown.forEach((a, i) => { a.textContent = fresh[i].textContent; });
        }
        // The admin menu's pending badge.
        const badges = doc.querySelectorAll(".pending-count");
        document.querySelectorAll(".pending-count").forEach((badge, i) => {
            if (badges[i]) {
                badge.replaceWith(document.adoptNode(badges[i].cloneNode(true)));
            } else {
                badge.remove();
            }
        });
        const paginator = doc.querySelector("#changelist .paginator");
        const oldPaginator = document.querySelector("#changelist .paginator");
        if (paginator && oldPaginator) {
            oldPaginator.innerHTML = paginator.innerHTML;
        }
    }

    function rowFor(doc, pk) {
        const box = Array.from(doc.querySelectorAll("#result_list input.action-select"))
            .find((input) => input.value === pk);
        return box ? box.closest("tr") : null;
    }

    function updateRow(row, fresh, message) {
        const cells = Array.from(row.cells).slice(1);
        if (fresh) {
            Array.from(fresh.cells).slice(1).forEach((cell, i) => {
                if (cells[i]) {
                    row.replaceChild(document.adoptNode(cell), cells[i]);
                }
            });
            const next = row.querySelector(".row-actions button, .row-actions a, .comment-toggle");
            if (next) {
                next.focus();
            }
            return;
        }
        // The row left this view (approved from Pending, trashed...): a
        // notice keeps its place, and its checkbox can no longer be chosen.
        const box = row.querySelector("input.action-select");
        if (box) {
            box.checked = false;
            box.disabled = true;
            box.dispatchEvent(new Event("change", {bubbles: true}));
        }
        const notice = document.createElement("td");
        notice.colSpan = cells.length;
        notice.className = "row-notice";
        notice.tabIndex = -1;
        notice.textContent = message || "Done.";
        cells.forEach((cell) => cell.remove());
        row.appendChild(notice);
        row.classList.add("row-done");
        notice.focus();
    }

    function fallBack(target, button) {
        // Post the form the ordinary way: the server's answer reloads the list.
        target.action = button.formAction;
        target.submit();
    }

    document.addEventListener("submit", async (event) => {
        const target = event.target;
        const button = event.submitter;
        if (target !== form() || !button || !window.fetch || !window.DOMParser) {
            return;
        }
        event.preventDefault();
        const row = button.closest("tr");
        const box = row && row.querySelector("input.action-select");
        if (!box) {
            fallBack(target, button);
            return;
        }
        button.disabled = true;
        button.setAttribute("aria-busy", "true");
        let response;
        try {
            response = await fetch(button.formAction, {
                method: "POST",
                body: new FormData(target),
                credentials: "same-origin",
                headers: {"X-Requested-With": "XMLHttpRequest"},
            });
        } catch (error) {
            fallBack(target, button);
            return;
        }
        if (!response.ok) {
            fallBack(target, button);
            return;
        }
        const doc = new DOMParser().parseFromString(await response.text(), "text/html");
        const message = replaceMessages(doc);
        syncCounts(doc);
        updateRow(row, rowFor(doc, box.value), message);
        announce(message);
    });
})();
