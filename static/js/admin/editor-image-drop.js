/*
 * Dropping or pasting images into the post editor's body uploads them to the
 * media library and inserts them where the caret is, as WordPress does.
 *
 * The body textarea (blog/posts/widgets.py) names the upload endpoint in
 * data-image-upload-url (admin:media_image_upload, blog/media/admin.py). For
 * each image a placeholder line, "![Uploading photo.jpg…]()", goes in at
 * once; the answer replaces it with the image's Markdown (or an <img> tag
 * when the body is HTML), or removes it and says why in the status line
 * under the body. The alt text is made from the file's name ("sunset over
 * the bay" from sunset-over-the-bay.jpg): edit it in the body, or in the
 * library. Files that are not images are left to the browser, which drops
 * them as text as before. Without this script nothing changes.
 */
"use strict";
(function () {
  const IMAGE = /^image\//;

  const { csrfToken } = window.blogAdmin;

  // A pasted screenshot ("image.png") says where it came from.
  function altFromName(name) {
    const stem = window.blogAdmin.altFromName(name, "");
    return !stem || /^image$/i.test(stem) ? "Pasted image" : stem;
  }

  function escapeAttribute(text) {
    return text.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;");
  }

  function statusLine(textarea) {
    let line = textarea.parentElement.querySelector(".md-drop-status");
    if (!line) {
      line = document.createElement("p");
      line.className = "md-drop-status";
      line.setAttribute("role", "status");
      line.setAttribute("aria-live", "polite");
      textarea.after(line);
    }
    return line;
  }

  function say(textarea, text, isError) {
    const line = statusLine(textarea);
    line.textContent = text;
    line.classList.toggle("is-error", Boolean(isError));
  }

  // Replace the first occurrence of `from` with `to`, telling the editor
  // (preview, word count, autosave, the leave-page question) it changed.
  function swap(textarea, from, to) {
    const at = textarea.value.indexOf(from);
    if (at < 0) return false;
    const caret = textarea.selectionStart;
    textarea.setRangeText(to, at, at + from.length, "preserve");
    if (document.activeElement === textarea && caret > at) {
      const moved = Math.max(at, caret + to.length - from.length);
      textarea.setSelectionRange(moved, moved);
    }
    textarea.dispatchEvent(new Event("input", { bubbles: true }));
    return true;
  }

  function insertAtCaret(textarea, text) {
    const start = textarea.selectionStart;
    const end = textarea.selectionEnd;
    const before = textarea.value.slice(0, start);
    // An image is a block: on a line of its own.
    const lead = before && !before.endsWith("\n") ? "\n\n" : "";
    const tail = textarea.value.slice(end).startsWith("\n") ? "" : "\n";
    const block = `${lead}${text}${tail}`;
    textarea.setRangeText(block, start, end, "end");
    textarea.dispatchEvent(new Event("input", { bubbles: true }));
    return block;
  }

  function firstError(answer, status) {
    const errors = (answer && answer.errors) || {};
    for (const messages of Object.values(errors)) {
      if (messages && messages.length) return messages.join(" ");
    }
    return (answer && answer.error) || `the server answered ${status}`;
  }

  async function upload(textarea, file, counter) {
    const url = textarea.dataset.imageUploadUrl;
    const placeholder = `![Uploading ${file.name || "image"} (${counter})\u2026]()`;
    const inserted = insertAtCaret(textarea, placeholder);
    const body = new FormData();
    body.append("file", file, file.name || "pasted-image.png");
    body.append("alt_text", altFromName(file.name));
    let answer = null;
    let status = 0;
    try {
      const response = await fetch(url, {
        method: "POST",
        credentials: "same-origin",
        headers: { "X-CSRFToken": csrfToken(textarea.form), Accept: "application/json" },
        body,
      });
      status = response.status;
      answer = await response.json().catch(() => null);
      if (response.ok && answer && answer.url) {
        const html = (document.getElementById("id_body_format") || {}).value === "html";
        const block = html
          ? `<img src="${escapeAttribute(answer.url)}" alt="${escapeAttribute(answer.alt || "")}">`
          : answer.markdown;
        swap(textarea, placeholder, block);
        say(textarea, `Uploaded \u201c${file.name || "the image"}\u201d to the media library and inserted it.`);
        return;
      }
    } catch {
      status = "no connection";
    }
    // Gone again, with the line breaks that came with it.
    swap(textarea, inserted, "") || swap(textarea, placeholder, "");
    say(textarea, `\u201c${file.name || "The image"}\u201d was not uploaded: ${firstError(answer, status)}`, true);
  }

  let uploads = 0;

  function images(list) {
    return Array.from(list || []).filter((file) => IMAGE.test(file.type));
  }

  function setUp(textarea) {
    if (!textarea.dataset.imageUploadUrl || textarea.dataset.dropReady) return;
    textarea.dataset.dropReady = "1";
    window.blogAdmin.dropZone(textarea, (dropped) => {
      const files = images(dropped);
      if (!files.length) return false;
      textarea.focus();
      for (const file of files) upload(textarea, file, ++uploads);
      return true;
    });
    textarea.addEventListener("paste", (event) => {
      const files = images(event.clipboardData && event.clipboardData.files);
      if (!files.length) return;
      event.preventDefault();
      for (const file of files) upload(textarea, file, ++uploads);
    });
  }

  function ready() {
    document.querySelectorAll("textarea.js-markdown-editor").forEach(setUp);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
})();
