/*
 * The media library's drop zone (templates/admin/media/image/change_list.html):
 * images dropped on it, or chosen with its button, are uploaded one by one
 * through admin:media_image_upload, each reported in the zone's list with a
 * link to its page, and added at the top of the grid. Nothing else on the
 * page changes; the next visit lists them as usual.
 */
"use strict";
(function () {
  const { uploadImage } = window.blogAdmin;

  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  // A card like the server's rows: the same cells, without a checkbox
  // (Django's bulk-action script counts the rows it found on load).
  function card(image, changeUrl) {
    const row = element("tr", "media-new");
    row.append(element("td", "action-checkbox"));
    const thumb = element("th", "field-thumbnail_column");
    const link = element("a");
    link.href = changeUrl;
    const img = element("img", "media-thumbnail");
    img.src = image.thumbnail || image.url;
    img.alt = image.alt || "";
    link.append(img);
    thumb.append(link);
    const alt = element("td", "field-alt_text");
    const altLink = element("a", "", image.alt || `Image ${image.id}`);
    altLink.href = changeUrl;
    alt.append(altLink);
    row.append(thumb, alt, element("td", "field-size_column", `${image.width} \u00d7 ${image.height}`));
    row.append(element("td", "field-uploaded_by", "you"), element("td", "field-uploaded_at", "just now"));
    return row;
  }

  function setUp(zone) {
    const input = zone.querySelector("[data-dropzone-input]");
    const results = zone.querySelector("[data-dropzone-results]");
    const token = zone.querySelector("input[name=csrfmiddlewaretoken]").value;
    zone.hidden = false;

    function report(text, href, isError) {
      const item = element("li", isError ? "is-error" : "");
      item.append(document.createTextNode(text));
      if (href) {
        const link = element("a", "", "Edit details");
        link.href = href;
        item.append(" ", link);
      }
      results.append(item);
    }

    async function upload(file) {
      try {
        const answer = await uploadImage(zone.dataset.uploadUrl, file, token);
        const changeUrl = zone.dataset.changeUrl.replace("/0/", `/${answer.id}/`);
        report(`Uploaded \u201c${file.name}\u201d.`, changeUrl);
        return { image: answer, changeUrl };
      } catch (error) {
        report(`\u201c${file.name}\u201d was not uploaded: ${error.message}`, "", true);
        return null;
      }
    }

    async function uploadAll(files) {
      results.replaceChildren();
      zone.setAttribute("aria-busy", "true");
      const done = [];
      for (const file of files) {
        const result = await upload(file);
        if (result) done.push(result);
      }
      zone.removeAttribute("aria-busy");
      const body = document.querySelector("#result_list tbody");
      if (!body) {
        // The list was empty (no table yet): show it as the server lists it.
        if (done.length) window.location.reload();
        return;
      }
      for (const { image, changeUrl } of done.reverse()) body.prepend(card(image, changeUrl));
    }

    input.addEventListener("change", () => {
      uploadAll(Array.from(input.files));
      input.value = "";
    });
    // A drop anywhere on the zone is the zone's: the browser never opens the file instead.
    window.blogAdmin.dropZone(zone, (files) => {
      if (files.length) uploadAll(files);
      return true;
    });
  }

  function ready() {
    document.querySelectorAll(".media-dropzone[data-upload-url]").forEach(setUp);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
})();
