/*
 * The featured image picker (blog/media/widgets.py): search the whole media
 * library and upload an image (chosen, or dropped on the grid) without
 * leaving the post form. The picker's radio buttons are the form's value, so
 * an image found or uploaded here becomes one more radio button, checked
 * when uploaded. The JSON comes from the media admin (admin:media_image_library,
 * admin:media_image_upload); the alt text of a new upload is made from its
 * file name and can be changed in the library.
 */
"use strict";
(function () {
  const { csrfToken, thumbnail, uploadImage } = window.blogAdmin;

  function option(picker, image) {
    const id = `${picker.id || "image-picker"}_lib${image.id}`;
    const item = document.createElement("li");
    item.className = "image-picker-option";
    const input = document.createElement("input");
    input.type = "radio";
    input.name = picker.dataset.name;
    input.value = String(image.id);
    input.id = id;
    const label = document.createElement("label");
    label.htmlFor = id;
    const caption = document.createElement("span");
    caption.className = "image-picker-caption";
    caption.textContent = image.alt || `Image ${image.id}`;
    label.append(thumbnail(image), caption);
    item.append(input, label);
    return item;
  }

  function setUp(picker) {
    const tools = picker.querySelector(".image-picker-tools");
    const grid = picker.querySelector("[data-picker-grid]");
    const status = picker.querySelector("[data-picker-status]");
    const search = picker.querySelector("[data-picker-search]");
    const file = picker.querySelector("[data-picker-upload]");
    if (!tools || !grid) return;
    tools.hidden = false;

    const say = (text, isError) => {
      status.textContent = text;
      status.classList.toggle("is-error", Boolean(isError));
    };

    // Keep "No featured image" and the checked one; show the rest from `images`.
    function show(images) {
      const keep = new Set();
      grid.querySelectorAll("input").forEach((input) => {
        if (input.value === "" || input.checked) keep.add(input.value);
      });
      grid.querySelectorAll("li").forEach((item) => {
        const input = item.querySelector("input");
        if (!keep.has(input.value)) item.remove();
      });
      for (const image of images) {
        if (!keep.has(String(image.id))) grid.append(option(picker, image));
      }
    }

    let pending = null;
    search.addEventListener("input", () => {
      window.clearTimeout(pending);
      pending = window.setTimeout(async () => {
        const query = search.value.trim();
        const url = new URL(picker.dataset.libraryUrl, window.location.href);
        if (query) url.searchParams.set("q", query);
        try {
          const response = await fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } });
          const answer = await response.json();
          if (!response.ok) throw new Error(answer.error || response.status);
          show(answer.images);
          const count = answer.images.length;
          say(query ? `${count} image${count === 1 ? "" : "s"} match \u201c${query}\u201d.` : `The ${count} newest images are shown.`);
        } catch (error) {
          say(`The library could not be searched (${error.message}).`, true);
        }
      }, 250);
    });
    // Enter in the search box searches; it must not submit the post form.
    search.addEventListener("keydown", (event) => {
      if (event.key === "Enter") event.preventDefault();
    });

    async function upload(chosen) {
      if (!picker.dataset.uploadUrl || !chosen) return;
      say(`Uploading \u201c${chosen.name}\u201d\u2026`);
      try {
        const answer = await uploadImage(picker.dataset.uploadUrl, chosen, csrfToken(picker));
        const item = option(picker, answer);
        const none = grid.querySelector("li");
        none.after(item);
        const input = item.querySelector("input");
        input.checked = true;
        input.dispatchEvent(new Event("change", { bubbles: true }));
        say(`Uploaded \u201c${chosen.name}\u201d and chose it as the featured image.`);
      } catch (error) {
        say(`\u201c${chosen.name}\u201d was not uploaded: ${error.message}`, true);
      }
    }

    if (file) {
      file.addEventListener("change", () => {
        upload(file.files[0]);
        file.value = "";
      });
      window.blogAdmin.dropZone(grid, (files) => {
        const image = files.find((f) => /^image\//.test(f.type));
        if (image) upload(image);
        return Boolean(image);
      });
    }
  }

  function ready() {
    document.querySelectorAll(".image-picker[data-library-url]:not([data-library-url=''])").forEach(setUp);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
})();
