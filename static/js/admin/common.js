/*
 * What the admin's media scripts share (post-editor.js, editor-image-drop.js,
 * image-picker.js, media-grid.js): the CSRF token for a fetch, an image's alt
 * text made from its file name, a library image's thumbnail, an upload to the
 * library, and a drop zone for files. Loaded before them by the widgets' and the media admin's Media.
 */
"use strict";
window.blogAdmin = (() => {
  // The token of the element's form, else of any form on the page.
  function csrfToken(element) {
    const form = element && (element.tagName === "FORM" ? element : element.closest("form"));
    const input =
      (form && form.querySelector("input[name=csrfmiddlewaretoken]")) ||
      document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  // "sunset-over_the.bay.JPG" -> "sunset over the bay"; `fallback` when nothing is left.
  function altFromName(name, fallback = "Uploaded image") {
    const stem = (name || "").replace(/\.[a-z0-9]+$/i, "").replace(/[-_.]+/g, " ").trim();
    return stem || fallback;
  }

  // The <img> a library image (admin:media_image_library's JSON) shows in a list.
  function thumbnail(image) {
    const img = document.createElement("img");
    img.src = image.thumbnail || image.url;
    img.alt = "";
    img.loading = "lazy";
    if (image.width && image.height) {
      img.width = image.width;
      img.height = image.height;
    }
    return img;
  }

  // One image to admin:media_image_upload: its JSON answer, or an Error saying why
  // not (every field's errors, else the server's word, else its status).
  async function uploadImage(url, file, token) {
    const body = new FormData();
    body.append("file", file, file.name);
    body.append("alt_text", altFromName(file.name));
    const response = await fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": token, Accept: "application/json" },
      body,
    });
    const answer = await response.json().catch(() => ({}));
    if (!response.ok) {
      const errors = Object.values(answer.errors || {}).flat();
      throw new Error(errors.join(" ") || answer.error || `the server answered ${response.status}`);
    }
    return answer;
  }

  // Files dragged over `element` mark it (.is-drop-target); dropped, they go to
  // `onFiles(files)`, which returns true when it took them (the browser's own
  // drop is then cancelled). Anything but files is left to the browser.
  function dropZone(element, onFiles) {
    const hasFiles = (event) =>
      event.dataTransfer && Array.from(event.dataTransfer.types || []).includes("Files");
    element.addEventListener("dragover", (event) => {
      if (!hasFiles(event)) return;
      event.preventDefault();
      event.dataTransfer.dropEffect = "copy";
      element.classList.add("is-drop-target");
    });
    element.addEventListener("dragleave", () => element.classList.remove("is-drop-target"));
    element.addEventListener("drop", (event) => {
      element.classList.remove("is-drop-target");
      if (onFiles(Array.from((event.dataTransfer && event.dataTransfer.files) || []))) {
        event.preventDefault();
      }
    });
  }

  return { csrfToken, altFromName, thumbnail, uploadImage, dropZone };
})();
