/*
 * The Markdown editor of the post admin: plain JavaScript, no library, no build.
 *
 * It enhances two ordinary inputs the server renders (blog/posts/widgets.py):
 *
 * - textarea.js-markdown-editor, the post body: a formatting toolbar with
 *   keyboard shortcuts, a live preview rendered on the server by the same
 *   blog/markup.py pipeline the article uses, a word count and reading time,
 *   autosave (a new post's first change makes its hidden auto-draft, which
 *   the form then edits: see setupAutosave), and an image dialog (media library, upload,
 *   or a URL). The body is Markdown or WordPress HTML, as the #id_body_format
 *   select says (or the textarea's data-body-format when the form has no
 *   select): the preview renders in that format, the toolbar inserts its
 *   syntax, and switching warns that the body is not converted;
 * - input.js-tag-autocomplete, taggit's comma-separated tags: suggestions for
 *   the term being typed, in a keyboard-navigable listbox.
 *
 * Endpoints come from data-* attributes; an empty one switches its feature
 * off. The markup around the textarea comes from <template> elements in
 * templates/admin/posts/post/change_form.html. With JavaScript off, or without
 * those templates, the textarea and the input work as plain form fields.
 *
 * The admin runs under a strict Content-Security-Policy: no inline scripts,
 * no inline styles. Visibility is switched with classes, attributes and the
 * `hidden` property, never with style attributes.
 */
(() => {
  "use strict";

  const WORDS_PER_MINUTE = 200;
  const PREVIEW_DELAY_MS = 400;
  const SUGGEST_DELAY_MS = 150;
  const WIDE = window.matchMedia("(min-width: 1100px)");
  const IS_MAC = /Mac|iPhone|iPad/.test(navigator.platform || navigator.userAgent);
  // The same pattern blog/posts/admin/editor.py counts with: letters and digits,
  // joined by an apostrophe or a hyphen ("what's", "e-mail").
  const WORD = /[\p{L}\p{N}]+(?:['\u2019-][\p{L}\p{N}]+)*/gu;

  /* ------------------------------------------------------------------ */
  /* Small helpers                                                       */
  /* ------------------------------------------------------------------ */

  const { csrfToken, thumbnail } = window.blogAdmin;

  function debounce(fn, ms) {
    let timer = null;
    const debounced = (...args) => {
      clearTimeout(timer);
      timer = setTimeout(() => fn(...args), ms);
    };
    debounced.cancel = () => clearTimeout(timer);
    return debounced;
  }

  async function readJson(response) {
    try {
      return await response.json();
    } catch {
      return {};
    }
  }

  function formatTime(date) {
    return date.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
  }

  /* ------------------------------------------------------------------ */
  /* Word count                                                          */
  /* ------------------------------------------------------------------ */

  // What a reader will read, approximately, from the Markdown source: the
  // server's count (of the rendered text) replaces this whenever a preview
  // comes back.
  function countWords(markdown) {
    const text = markdown
      .replace(/^ {0,3}(`{3,}|~{3,}).*$/gm, "") // code fences and their language
      .replace(/^ {0,3}\[(?!\^)[^\]]+\]:\s+\S+.*$/gm, "") // link reference definitions
      .replace(/!\[[^\]]*\]\([^)]*\)/g, "") // images: their alt text is not read
      .replace(/\[([^\]]*)\]\([^)]*\)/g, "$1") // links: only their text is read
      .replace(/<[^>]*>/g, "") // raw HTML tags
      .replace(/^\s*(?:[-*+]|\d+[.)])\s+/gm, ""); // list markers
    const words = text.match(WORD);
    return words ? words.length : 0;
  }

  function readingMinutes(words) {
    return Math.max(1, Math.ceil(words / WORDS_PER_MINUTE));
  }

  function countLine(words, minutes) {
    const noun = words === 1 ? "word" : "words";
    return `${words.toLocaleString()} ${noun} \u00b7 ${minutes} min read`;
  }

  /* ------------------------------------------------------------------ */
  /* Editing the textarea                                                */
  /* ------------------------------------------------------------------ */

  // Replace value[start:end] with text, keeping the browser's undo history
  // where it can (execCommand is the only way to do that in a textarea), then
  // select [selectStart, selectEnd].
  function replaceRange(textarea, start, end, text, selectStart, selectEnd) {
    textarea.focus();
    textarea.setSelectionRange(start, end);
    let done = false;
    try {
      done = text !== "" && document.execCommand("insertText", false, text);
    } catch {
      done = false;
    }
    if (!done) {
      textarea.setRangeText(text, start, end, "end");
      textarea.dispatchEvent(new Event("input", { bubbles: true }));
    }
    textarea.setSelectionRange(selectStart, selectEnd);
  }

  // The start of the first and the end of the last line the selection touches.
  function lineRange(value, start, end) {
    const from = value.lastIndexOf("\n", start - 1) + 1;
    // A selection ending just after a newline does not take in the next line.
    const last = end > start && value[end - 1] === "\n" ? end - 1 : end;
    let to = value.indexOf("\n", last);
    if (to === -1) to = value.length;
    return [Math.min(from, to), to];
  }

  // Newlines needed before `at` / after `at` so a block stands in its own
  // paragraph (Python-Markdown needs a blank line before a list, for one).
  function blankLinesBefore(value, at) {
    if (at === 0) return "";
    if (value.slice(Math.max(0, at - 2), at) === "\n\n") return "";
    return value[at - 1] === "\n" ? "\n" : "\n\n";
  }

  function blankLinesAfter(value, at) {
    if (at >= value.length) return "";
    if (value.slice(at, at + 2) === "\n\n") return "";
    return value[at] === "\n" ? "\n" : "\n\n";
  }

  const BULLET = /^(\s*)[-*+]\s+/;
  const NUMBER = /^(\s*)\d+[.)]\s+/;
  const QUOTE = /^\s{0,3}>\s?/;
  const HEADING = /^\s{0,3}(#{1,6})\s+/;

  const commands = {
    h2: (t) => heading(t, 2),
    h3: (t) => heading(t, 3),
    bold: (t) => wrapInline(t, "**", "bold text"),
    italic: (t) => wrapInline(t, "_", "italic text"),
    link: (t) => link(t),
    bullets: (t) => list(t, false),
    numbers: (t) => list(t, true),
    quote: (t) => quote(t),
    code: (t) => code(t),
  };

  // The same buttons for a body in WordPress's HTML format: tags, not Markdown.
  const htmlCommands = {
    h2: (t) => wrapLines(t, "<h2>", "</h2>", "Heading"),
    h3: (t) => wrapLines(t, "<h3>", "</h3>", "Subheading"),
    bold: (t) => wrapInline(t, "<strong>", "bold text", "</strong>"),
    italic: (t) => wrapInline(t, "<em>", "italic text", "</em>"),
    link: (t) => htmlLink(t),
    bullets: (t) => htmlList(t, "ul"),
    numbers: (t) => htmlList(t, "ol"),
    quote: (t) => wrapLines(t, "<blockquote>", "</blockquote>", "Quoted words"),
    code: (t) => htmlCode(t),
  };

  function heading(textarea, level) {
    const { value, selectionStart: s, selectionEnd: e } = textarea;
    const [from, to] = lineRange(value, s, e);
    const lines = value.slice(from, to).split("\n");
    const marker = "#".repeat(level);
    if (lines.every((line) => !line.trim())) {
      // An empty line: a heading to type over, as the HTML buttons give.
      const placeholder = level === 2 ? "Heading" : "Subheading";
      const start = from + marker.length + 1;
      replaceRange(textarea, from, to, `${marker} ${placeholder}`, start, start + placeholder.length);
      return;
    }
    // Pressing H2 on an H2 line turns it back into a paragraph.
    const undo = lines.every((line) => !line.trim() || (HEADING.exec(line) || [])[1] === marker);
    const out = lines
      .map((line) => {
        if (!line.trim()) return line;
        const text = line.replace(HEADING, "");
        return undo ? text : `${marker} ${text}`;
      })
      .join("\n");
    replaceLines(textarea, from, to, out, s === e);
  }

  function replaceLines(textarea, from, to, out, collapsed) {
    if (collapsed) {
      const caret = from + out.length;
      replaceRange(textarea, from, to, out, caret, caret);
    } else {
      replaceRange(textarea, from, to, out, from, from + out.length);
    }
  }

  // Wrap the selection in marker ... closer (the same marker both sides in
  // Markdown, a tag pair in HTML); pressing again unwraps.
  function wrapInline(textarea, marker, placeholder, closer = marker) {
    const { value, selectionStart: s, selectionEnd: e } = textarea;
    const m = marker.length;
    const c = closer.length;
    const selected = value.slice(s, e);
    // Already wrapped, markers outside the selection: unwrap.
    if (value.slice(s - m, s) === marker && value.slice(e, e + c) === closer && s >= m) {
      replaceRange(textarea, s - m, e + c, selected, s - m, e - m);
      return;
    }
    // Already wrapped, markers inside the selection: unwrap.
    if (selected.length > m + c && selected.startsWith(marker) && selected.endsWith(closer)) {
      const inner = selected.slice(m, -c);
      replaceRange(textarea, s, e, inner, s, s + inner.length);
      return;
    }
    // Spaces stay outside the markers: "**word** ", never "**word **".
    const lead = selected.match(/^\s*/)[0];
    const core = selected.trim() || placeholder;
    const trail = selected.trim() ? selected.match(/\s*$/)[0] : "";
    const text = `${lead}${marker}${core}${closer}${trail}`;
    const start = s + lead.length + m;
    replaceRange(textarea, s, e, text, start, start + core.length);
  }

  /* HTML (WordPress) versions of the commands. */

  function escapeAttribute(text) {
    return text.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;");
  }

  // The whole lines the selection touches, or a placeholder on an empty line,
  // between opening and closing tags; pressing again on a wrapped line unwraps.
  function wrapLines(textarea, open, close, placeholder) {
    const { value, selectionStart: s, selectionEnd: e } = textarea;
    const [from, to] = lineRange(value, s, e);
    const inner = value.slice(from, to);
    const trimmed = inner.trim();
    if (trimmed.startsWith(open) && trimmed.endsWith(close)) {
      const out = trimmed.slice(open.length, -close.length);
      replaceLines(textarea, from, to, out, s === e);
      return;
    }
    const core = trimmed || placeholder;
    const text = `${open}${core}${close}`;
    const start = from + open.length;
    replaceRange(textarea, from, to, text, start, start + core.length);
  }

  function htmlLink(textarea) {
    const { value, selectionStart: s, selectionEnd: e } = textarea;
    const selected = value.slice(s, e).trim();
    if (/^(https?:\/\/|mailto:|\/)\S*$/.test(selected)) {
      const open = `<a href="${escapeAttribute(selected)}">`;
      const text = `${open}link text</a>`;
      replaceRange(textarea, s, e, text, s + open.length, s + open.length + 9);
    } else {
      // The URL is to be written: it is selected (or the caret sits in href="").
      const words = selected || "link text";
      const text = `<a href="https://">${words}</a>`;
      replaceRange(textarea, s, e, text, s + 9, s + 17);
    }
  }

  function htmlList(textarea, tag) {
    const { value, selectionStart: s, selectionEnd: e } = textarea;
    const [from, to] = lineRange(value, s, e);
    const lines = value
      .slice(from, to)
      .split("\n")
      .filter((line) => line.trim());
    const items = lines.length ? lines : ["List item"];
    const body = items.map((line) => `<li>${line.trim()}</li>`).join("\n");
    const text = `<${tag}>\n${body}\n</${tag}>`;
    if (lines.length) {
      replaceRange(textarea, from, to, text, from, from + text.length);
    } else {
      const start = from + tag.length + 7;
      replaceRange(textarea, from, to, text, start, start + items[0].length);
    }
  }

  function htmlCode(textarea) {
    const { value, selectionStart: s, selectionEnd: e } = textarea;
    const selected = value.slice(s, e);
    const [from, to] = lineRange(value, s, e);
    const emptyLine = s === e && !value.slice(from, to).trim();
    if (!selected.includes("\n") && !emptyLine) {
      wrapInline(textarea, "<code>", "code", "</code>");
      return;
    }
    // Several lines, or an empty one: a <pre> block (wpautop leaves it alone).
    const inner = emptyLine ? "" : value.slice(from, to);
    const text = `<pre><code>${inner}</code></pre>`;
    replaceRange(textarea, from, to, text, from + 11, from + 11 + inner.length);
  }

  function imageTag(url, alt) {
    return `<img src="${escapeAttribute(url.trim())}" alt="${escapeAttribute(alt.trim())}">`;
  }

  function link(textarea) {
    const { value, selectionStart: s, selectionEnd: e } = textarea;
    const selected = value.slice(s, e).trim();
    if (/^(https?:\/\/|mailto:|\/)\S*$/.test(selected)) {
      // A URL was selected: it becomes the target, the text is to be written.
      const text = `[link text](${selected})`;
      replaceRange(textarea, s, e, text, s + 1, s + 10);
    } else if (selected) {
      // Words were selected: they become the text, the URL is to be written.
      const text = `[${selected}](https://)`;
      const at = s + selected.length + 3;
      replaceRange(textarea, s, e, text, at, at + 8);
    } else {
      replaceRange(textarea, s, e, "[link text](https://)", s + 1, s + 10);
    }
  }

  function list(textarea, numbered) {
    const { value, selectionStart: s, selectionEnd: e } = textarea;
    const [from, to] = lineRange(value, s, e);
    const lines = value.slice(from, to).split("\n");
    const own = numbered ? NUMBER : BULLET;
    const other = numbered ? BULLET : NUMBER;
    const filled = lines.filter((line) => line.trim());
    const undo = filled.length > 0 && filled.every((line) => own.test(line));
    let n = 0;
    let out = lines
      .map((line) => {
        if (!line.trim()) return line;
        const text = line.replace(own, "$1").replace(other, "$1");
        if (undo) return text;
        n += 1;
        const indent = text.match(/^\s*/)[0];
        return `${indent}${numbered ? `${n}.` : "-"} ${text.slice(indent.length)}`;
      })
      .join("\n");
    let shift = 0;
    if (!undo) {
      // A list needs a blank line between it and the paragraph before and after.
      const before = value.slice(0, from).replace(/\n$/, "");
      const previous = before.slice(before.lastIndexOf("\n") + 1);
      if (previous.trim() && !BULLET.test(previous) && !NUMBER.test(previous)) {
        const pad = blankLinesBefore(value, from);
        out = pad + out;
        shift = pad.length;
      }
      const next = value.slice(to + 1).split("\n", 1)[0];
      if (to < value.length && next.trim() && !BULLET.test(next) && !NUMBER.test(next)) {
        out += blankLinesAfter(value, to);
      }
    }
    if (s === e) {
      const caret = from + shift + out.slice(shift).split("\n")[0].length;
      replaceRange(textarea, from, to, out, caret, caret);
    } else {
      replaceRange(textarea, from, to, out, from + shift, from + out.length);
    }
  }

  function quote(textarea) {
    const { value, selectionStart: s, selectionEnd: e } = textarea;
    const [from, to] = lineRange(value, s, e);
    const lines = value.slice(from, to).split("\n");
    const filled = lines.filter((line) => line.trim());
    const undo = filled.length > 0 && filled.every((line) => QUOTE.test(line));
    const out = lines
      .map((line) => {
        if (undo) return line.replace(QUOTE, "");
        return line.trim() ? `> ${line}` : ">";
      })
      .join("\n");
    replaceLines(textarea, from, to, out, s === e);
  }

  function code(textarea) {
    const { value, selectionStart: s, selectionEnd: e } = textarea;
    const selected = value.slice(s, e);
    const [from, to] = lineRange(value, s, e);
    const emptyLine = s === e && !value.slice(from, to).trim();
    if (!selected.includes("\n") && !emptyLine) {
      if (selected.includes("`")) {
        const text = `\`\` ${selected} \`\``;
        replaceRange(textarea, s, e, text, s + 3, s + 3 + selected.length);
      } else {
        wrapInline(textarea, "`", "code");
      }
      return;
    }
    // Several lines, or an empty one: a fenced block around whole lines.
    const inner = emptyLine ? "" : value.slice(from, to);
    const before = blankLinesBefore(value, from);
    const after = blankLinesAfter(value, to);
    const text = `${before}\`\`\`\n${inner}\n\`\`\`${after}`;
    const start = from + before.length + 4;
    replaceRange(textarea, from, to, text, start, start + inner.length);
  }

  // Insert a block (an image) at the caret, in a paragraph of its own.
  function insertBlock(textarea, block, range) {
    const { value } = textarea;
    const [s, e] = range || [textarea.selectionStart, textarea.selectionEnd];
    const before = blankLinesBefore(value, s);
    const after = blankLinesAfter(value, e);
    const text = before + block + after;
    const caret = s + before.length + block.length;
    replaceRange(textarea, s, e, text, caret, caret);
  }

  // Enter on a list item or a quote line continues it; on an empty one, ends it.
  function continueBlock(textarea, event) {
    const { value, selectionStart: s, selectionEnd: e } = textarea;
    if (s !== e) return;
    const from = value.lastIndexOf("\n", s - 1) + 1;
    const line = value.slice(from, s);
    const match = /^(\s*)([-*+]|\d+[.)]|>)(\s+)(.*)$/.exec(line);
    if (!match || value.slice(s).split("\n", 1)[0].trim()) return;
    const [, indent, marker, space, rest] = match;
    event.preventDefault();
    if (!rest.trim()) {
      // An empty item: leave the list.
      replaceRange(textarea, from, s, "", from, from);
      return;
    }
    const number = /^(\d+)([.)])$/.exec(marker);
    const next = number ? `${Number(number[1]) + 1}${number[2]}` : marker;
    const text = `\n${indent}${next}${space}`;
    replaceRange(textarea, s, s, text, s + text.length, s + text.length);
  }

  /* ------------------------------------------------------------------ */
  /* The editor                                                          */
  /* ------------------------------------------------------------------ */

  function setupEditor(textarea) {
    const template = document.getElementById("markdown-editor-template");
    if (!template || textarea.closest(".md-editor")) return;
    const editor = template.content.firstElementChild.cloneNode(true);
    textarea.before(editor);
    editor.querySelector("[data-pane=write]").append(textarea);
    textarea.classList.add("md-editor__source");

    const form = textarea.form;
    const token = () => csrfToken(form);
    const select = document.getElementById("id_body_format");
    const format = () => (select && select.value) || textarea.dataset.bodyFormat || "markdown";
    const preview = setupPreview(editor, textarea, token, format);
    setupToolbar(editor, textarea, preview, format);
    setupTabs(editor, preview);
    setupAutosave(editor, textarea, token);
    if (select) setupFormatSelect(select, textarea, preview);
  }

  // Switching the format re-renders the preview, and warns (next to the
  // select) when there is a body already: it is not converted.
  function setupFormatSelect(select, textarea, preview) {
    const initial = select.value;
    const warning = document.createElement("span");
    warning.className = "md-editor__format-warning";
    warning.setAttribute("role", "status");
    select.after(warning);
    select.addEventListener("change", () => {
      const changed = select.value !== initial && textarea.value.trim() !== "";
      warning.textContent = changed ? "The body is not converted: check the preview." : "";
      preview.refresh();
    });
  }

  function setupToolbar(editor, textarea, preview, format) {
    const toolbar = editor.querySelector("[role=toolbar]");
    const buttons = [...toolbar.querySelectorAll("button")];
    const openImageDialog = setupImageDialog(textarea, format);
    const imageButton = toolbar.querySelector("[data-command=image]");
    if (!openImageDialog) imageButton.hidden = true;

    const run = (name) => {
      if (editor.dataset.view === "preview") preview.show("write");
      if (name === "image") {
        if (openImageDialog) openImageDialog();
      } else {
        const command = (format() === "html" ? htmlCommands : commands)[name];
        if (command) command(textarea);
      }
    };

    for (const button of buttons) {
      const key = button.dataset.shortcut;
      if (key) {
        const shortcut = `${IS_MAC ? "\u2318" : "Ctrl+"}${key}`;
        button.title = `${button.title} (${shortcut})`;
        button.setAttribute("aria-keyshortcuts", `${IS_MAC ? "Meta" : "Control"}+${key}`);
      }
      button.addEventListener("click", () => run(button.dataset.command));
    }

    // One tab stop for the whole toolbar; arrows move between its buttons.
    const visible = () => buttons.filter((b) => !b.hidden);
    visible().forEach((b, i) => (b.tabIndex = i === 0 ? 0 : -1));
    toolbar.addEventListener("keydown", (event) => {
      const list = visible();
      const index = list.indexOf(document.activeElement);
      if (index === -1) return;
      const moves = {
        ArrowRight: index + 1,
        ArrowLeft: index - 1,
        Home: 0,
        End: list.length - 1,
      };
      if (!(event.key in moves)) return;
      event.preventDefault();
      const target = list[(moves[event.key] + list.length) % list.length];
      list.forEach((b) => (b.tabIndex = b === target ? 0 : -1));
      target.focus();
    });

    const shortcuts = { b: "bold", i: "italic", k: "link" };
    textarea.addEventListener("keydown", (event) => {
      if (event.isComposing) return;
      const primary = IS_MAC ? event.metaKey : event.ctrlKey;
      if (primary && !event.altKey && !event.shiftKey) {
        const name = shortcuts[event.key.toLowerCase()];
        if (name) {
          event.preventDefault();
          run(name);
        }
      } else if (event.key === "Enter" && !event.shiftKey && !event.altKey && !primary) {
        // Markdown lists and quotes continue; HTML has no such lines.
        if (format() !== "html") continueBlock(textarea, event);
      }
    });
  }

  function setupTabs(editor, preview) {
    const tabs = [...editor.querySelectorAll("[role=tab]")];
    for (const tab of tabs) {
      tab.addEventListener("click", () => preview.show(tab.dataset.tab));
      tab.addEventListener("keydown", (event) => {
        if (event.key !== "ArrowLeft" && event.key !== "ArrowRight") return;
        event.preventDefault();
        const other = tabs.find((t) => t !== tab);
        preview.show(other.dataset.tab);
        other.focus();
      });
    }
  }

  function setupPreview(editor, textarea, token, format) {
    const url = textarea.dataset.previewUrl;
    const body = editor.querySelector("[data-preview-body]");
    const state = editor.querySelector("[data-preview-state]");
    const count = editor.querySelector("[data-word-count]");
    const placeholder = body.firstElementChild;
    const tabs = [...editor.querySelectorAll("[role=tab]")];
    let controller = null;
    let rendered = null; // the format and body text the preview shows

    const visible = () => WIDE.matches || editor.dataset.view === "preview";
    const setState = (text, isError = false) => {
      state.textContent = text;
      state.classList.toggle("is-error", isError);
    };
    const showLocalCount = () => {
      const words = countWords(textarea.value);
      count.textContent = countLine(words, readingMinutes(words));
    };

    async function refresh() {
      const text = textarea.value;
      const bodyFormat = format();
      const key = `${bodyFormat}\n${text}`;
      if (!url || !visible() || key === rendered) return;
      if (!text.trim()) {
        if (controller) controller.abort();
        body.replaceChildren(placeholder);
        rendered = key;
        setState("");
        return;
      }
      if (controller) controller.abort();
      controller = new AbortController();
      setState("Updating\u2026");
      try {
        const response = await fetch(url, {
          method: "POST",
          credentials: "same-origin",
          headers: { "X-CSRFToken": token(), "X-Requested-With": "XMLHttpRequest" },
          body: new URLSearchParams({ body: text, body_format: bodyFormat }),
          signal: controller.signal,
        });
        if (!response.ok) {
          // A body over the limits (400) or too many previews (429): the server says why.
          const problem = await response.json().catch(() => ({}));
          throw new Error(problem.error || `HTTP ${response.status}`);
        }
        const data = await response.json();
        // data.html comes from blog/markup.py on the server: Markdown rendered,
        // then sanitised by bleach on an explicit allowlist of tags, attributes
        // and URL schemes. It is exactly the HTML the article will show, which
        // is why it may go in as HTML here. The textarea's own text never does.
        body.innerHTML = data.html;
        // Headings carry ids ("## Content" gets id="content"); in the admin
        // page those would collide with the admin's own ids and styles, so
        // the preview's ids, and the in-page links to them, get a prefix.
        for (const node of body.querySelectorAll("[id]")) node.id = `preview-${node.id}`;
        for (const a of body.querySelectorAll('a[href^="#"]')) {
          a.setAttribute("href", `#preview-${a.getAttribute("href").slice(1)}`);
        }
        rendered = key;
        if (textarea.value === text) {
          count.textContent = countLine(data.words, data.reading_minutes);
        }
        setState("");
      } catch (error) {
        if (error.name === "AbortError") return;
        setState(`Preview unavailable (${error.message})`, true);
      }
    }

    const refreshSoon = debounce(refresh, PREVIEW_DELAY_MS);
    textarea.addEventListener("input", () => {
      showLocalCount();
      refreshSoon();
    });
    // Links in the preview would leave the editor and its unsaved text.
    body.addEventListener("click", (event) => {
      const anchor = event.target.closest("a[href]");
      if (!anchor) return;
      const href = anchor.getAttribute("href");
      if (!href.startsWith("#")) event.preventDefault();
    });
    WIDE.addEventListener("change", () => refresh());

    function show(view) {
      editor.dataset.view = view;
      for (const tab of tabs) {
        const selected = tab.dataset.tab === view;
        tab.setAttribute("aria-selected", String(selected));
        tab.tabIndex = selected ? 0 : -1;
      }
      if (view === "preview") refresh();
    }

    showLocalCount();
    refresh();
    return { show, refresh };
  }

  /* ------------------------------------------------------------------ */
  /* Autosave                                                            */
  /* ------------------------------------------------------------------ */

  // Every `seconds`, the title, excerpt and body go to the autosave address
  // when they changed. A new post has none yet: its first change goes, a
  // moment later, to data-autosave-new-url, which makes the post's hidden
  // auto-draft and answers its addresses. From then on the form is that
  // post's change form (its action and the address bar say so), so saving
  // it never makes a second post; the form hears a "post:auto-draft" event.
  const FIRST_AUTOSAVE_MS = 1500;

  function setupAutosave(editor, textarea, token) {
    let url = textarea.dataset.autosaveUrl;
    const newUrl = textarea.dataset.autosaveNewUrl;
    const status = editor.querySelector("[data-autosave-status]");
    const form = textarea.form;
    if ((!url && !newUrl) || !form) return;
    const seconds = Math.max(1, Number(textarea.dataset.autosaveSeconds) || 30);
    const fields = ["title", "excerpt", "body"];
    const snapshot = () => {
      const data = new URLSearchParams();
      for (const name of fields) {
        const field = form.elements.namedItem(name);
        if (field && "value" in field) data.append(name, field.value);
      }
      return data;
    };
    let saved = snapshot().toString();
    let busy = null; // the request in flight, if any
    let submitted = false;

    const say = (text, isError = false) => {
      status.textContent = text;
      status.classList.toggle("is-error", isError);
    };

    async function send(target, data) {
      const response = await fetch(target, {
        method: "POST",
        credentials: "same-origin",
        headers: { "X-CSRFToken": token(), "X-Requested-With": "XMLHttpRequest" },
        body: data,
      });
      return [response, await readJson(response)];
    }

    async function autosave(force = false) {
      const data = snapshot();
      const current = data.toString();
      if (busy || submitted || (current === saved && !force)) return busy;
      const format = document.getElementById("id_body_format");
      if (!url && format) data.append("body_format", format.value);
      busy = (async () => {
        try {
          const [response, answer] = await send(url || newUrl, data);
          if (response.ok) {
            saved = current;
            if (!url && answer.autosave_url) adopt(answer);
            say(answer.message || `Autosaved at ${formatTime(new Date())}`);
            if (answer.saved_at) status.title = answer.saved_at;
          } else {
            say(answer.message || `Autosave failed (HTTP ${response.status})`, true);
          }
        } catch {
          say("Autosave failed: no connection to the server", true);
        } finally {
          busy = null;
        }
      })();
      return busy;
    }

    // The auto-draft exists: the form edits it from now on.
    function adopt(answer) {
      url = answer.autosave_url;
      textarea.dataset.autosaveUrl = url;
      textarea.dataset.autosaveNewUrl = "";
      form.action = answer.change_url;
      if (window.history && history.replaceState) history.replaceState(null, "", answer.change_url);
      form.dispatchEvent(new CustomEvent("post:auto-draft", { detail: answer }));
    }

    if (!url) {
      const first = debounce(() => autosave(), FIRST_AUTOSAVE_MS);
      const onChange = (event) => {
        if (!fields.includes(event.target.name)) return;
        if (url) form.removeEventListener("input", onChange);
        else first();
      };
      form.addEventListener("input", onChange);
    }

    // Preview before the auto-draft exists: make it first, so the preview and
    // the form share one post. The tab is opened at the click (a script may
    // open one only then) and the form is posted into it once the post exists.
    form.addEventListener("click", (event) => {
      const button = event.target.closest("[data-preview-button]");
      if (!button || url || !newUrl) return;
      event.preventDefault();
      const tab = "post-preview";
      window.open("about:blank", tab);
      Promise.resolve(busy || autosave(true)).then(() => {
        const target = button.formTarget;
        button.formTarget = tab;
        form.requestSubmit(button);
        button.formTarget = target;
      });
    });

    const timer = setInterval(() => autosave(), seconds * 1000);
    // A save while the auto-draft is being made waits for it, so that it
    // saves that post rather than adding a second one.
    form.addEventListener("submit", (event) => {
      const target = event.submitter && event.submitter.formTarget;
      if (target && target !== "_self") return; // Preview opens a tab; the form stays
      if (busy && !url) {
        event.preventDefault();
        const submitter = event.submitter;
        busy.then(() => form.requestSubmit(submitter || undefined));
        return;
      }
      submitted = true;
      clearInterval(timer);
    });
  }

  /* ------------------------------------------------------------------ */
  /* Image dialog                                                        */
  /* ------------------------------------------------------------------ */

  function escapeAlt(text) {
    return text.replace(/[[\]\\]/g, "\\$&").replace(/\s+/g, " ").trim();
  }

  function escapeUrl(url) {
    return url.trim().replace(/ /g, "%20").replace(/\(/g, "%28").replace(/\)/g, "%29");
  }

  // Returns the function that opens the dialog, or null without its template.
  function setupImageDialog(textarea, format) {
    const template = document.getElementById("markdown-image-dialog-template");
    if (!template || typeof HTMLDialogElement === "undefined") return null;
    const dialog = template.content.firstElementChild.cloneNode(true);
    // Outside the post form: its inputs are never submitted with the post.
    document.body.append(dialog);

    const libraryUrl = textarea.dataset.imageLibraryUrl;
    const uploadUrl = textarea.dataset.imageUploadUrl;
    const librarySection = dialog.querySelector("[data-section=library]");
    const uploadSection = dialog.querySelector("[data-section=upload]");
    const libraryList = dialog.querySelector("[data-library-list]");
    const libraryState = dialog.querySelector("[data-library-state]");
    const uploadForm = dialog.querySelector("[data-upload-form]");
    const uploadButton = dialog.querySelector("[data-upload-submit]");
    const urlForm = dialog.querySelector("[data-url-form]");
    librarySection.hidden = !libraryUrl;
    uploadSection.hidden = !uploadUrl;
    let range = [0, 0];

    // An image as the body's format writes it: Markdown, or an <img> tag.
    function insert(url, alt, markdown) {
      dialog.close();
      textarea.focus();
      const html = format() === "html";
      const block = html ? imageTag(url, alt) : markdown || `![${escapeAlt(alt)}](${escapeUrl(url)})`;
      insertBlock(textarea, block, range);
    }

    function showErrors(errors) {
      for (const list of dialog.querySelectorAll("[data-errors]")) {
        list.replaceChildren();
        list.hidden = true;
      }
      for (const [field, messages] of Object.entries(errors || {})) {
        const list =
          uploadForm.querySelector(`[data-errors="${CSS.escape(field)}"]`) ||
          uploadForm.querySelector('[data-errors="__all__"]');
        for (const message of [].concat(messages)) {
          const item = document.createElement("li");
          item.textContent = typeof message === "string" ? message : message.message;
          list.append(item);
        }
        list.hidden = false;
      }
    }

    async function loadLibrary() {
      libraryState.hidden = false;
      libraryState.textContent = "Loading\u2026";
      libraryList.replaceChildren();
      try {
        const response = await fetch(libraryUrl, {
          credentials: "same-origin",
          headers: { Accept: "application/json" },
        });
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
        const { images = [] } = await response.json();
        libraryState.textContent = images.length ? "" : "No images yet: upload one below.";
        libraryState.hidden = images.length > 0;
        for (const image of images) libraryList.append(libraryItem(image));
      } catch (error) {
        libraryState.textContent = `The media library could not be loaded (${error.message}).`;
      }
    }

    function libraryItem(image) {
      const item = document.createElement("li");
      const button = document.createElement("button");
      button.type = "button";
      button.className = "md-image-dialog__pick";
      const label = image.alt || `Image ${image.id}`;
      button.setAttribute("aria-label", `Insert \u201c${label}\u201d`);
      button.title = label;
      const caption = document.createElement("span");
      caption.textContent = label;
      button.append(thumbnail(image), caption);
      button.addEventListener("click", () => insert(image.url, image.alt || "", image.markdown));
      item.append(button);
      return item;
    }

    uploadForm.addEventListener("submit", async (event) => {
      event.preventDefault();
      showErrors({});
      uploadButton.disabled = true;
      try {
        const response = await fetch(uploadUrl, {
          method: "POST",
          credentials: "same-origin",
          headers: { "X-CSRFToken": csrfToken(textarea.form), Accept: "application/json" },
          body: new FormData(uploadForm),
        });
        const answer = await readJson(response);
        if (response.ok && answer.markdown) {
          uploadForm.reset();
          insert(answer.url || "", answer.alt || "", answer.markdown);
        } else if (answer.errors) {
          showErrors(answer.errors);
        } else {
          showErrors({ __all__: [`The upload failed (HTTP ${response.status}).`] });
        }
      } catch {
        showErrors({ __all__: ["The upload failed: no connection to the server."] });
      } finally {
        uploadButton.disabled = false;
      }
    });

    urlForm.addEventListener("submit", (event) => {
      event.preventDefault();
      const url = urlForm.elements.namedItem("url").value;
      const alt = urlForm.elements.namedItem("alt").value;
      urlForm.reset();
      insert(url, alt, "");
    });

    dialog.querySelector("[data-close]").addEventListener("click", () => dialog.close());
    // A click on the backdrop (the dialog box itself, outside its content) closes it.
    dialog.addEventListener("click", (event) => {
      if (event.target === dialog) dialog.close();
    });
    dialog.addEventListener("close", () => textarea.focus());

    return function open() {
      range = [textarea.selectionStart, textarea.selectionEnd];
      showErrors({});
      dialog.showModal();
      if (libraryUrl) loadLibrary();
    };
  }

  /* ------------------------------------------------------------------ */
  /* Tags                                                                */
  /* ------------------------------------------------------------------ */

  // taggit's format: names separated by commas, quoted when they hold one.
  function splitTags(value) {
    const names = [];
    let current = "";
    let quoted = false;
    for (const char of value) {
      if (char === '"') quoted = !quoted;
      else if (char === "," && !quoted) {
        names.push(current);
        current = "";
      } else current += char;
    }
    names.push(current);
    return names.map((name) => name.trim());
  }

  function setupTagAutocomplete(input) {
    const url = input.dataset.suggestUrl;
    if (!url || input.closest(".tag-autocomplete")) return;
    const wrapper = document.createElement("div");
    wrapper.className = "tag-autocomplete";
    input.before(wrapper);
    wrapper.append(input);
    const listbox = document.createElement("ul");
    listbox.className = "tag-autocomplete__list";
    listbox.id = `${input.id || "tags"}-suggestions`;
    listbox.setAttribute("role", "listbox");
    listbox.setAttribute("aria-label", "Existing tags");
    listbox.hidden = true;
    wrapper.append(listbox);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listbox.id);

    let options = [];
    let active = -1;
    let controller = null;

    const close = () => {
      listbox.hidden = true;
      listbox.replaceChildren();
      options = [];
      active = -1;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    };

    const highlight = (index) => {
      active = index;
      options.forEach((option, i) => option.setAttribute("aria-selected", String(i === index)));
      if (index >= 0) {
        input.setAttribute("aria-activedescendant", options[index].id);
        options[index].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    };

    const accept = (name) => {
      const names = splitTags(input.value).slice(0, -1).filter(Boolean);
      names.push(name);
      const quoted = names.map((n) => (/[,"]/.test(n) ? `"${n.replace(/"/g, "")}"` : n));
      input.value = `${quoted.join(", ")}, `;
      close();
      input.focus();
      input.setSelectionRange(input.value.length, input.value.length);
      input.dispatchEvent(new Event("change", { bubbles: true }));
    };

    const render = (names, term) => {
      listbox.replaceChildren();
      options = names.map((name, i) => {
        const option = document.createElement("li");
        option.id = `${listbox.id}-${i}`;
        option.className = "tag-autocomplete__option";
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        option.dataset.name = name;
        // The typed part is marked, built from text nodes, never from HTML.
        const at = name.toLowerCase().indexOf(term.toLowerCase());
        if (at >= 0 && term) {
          const mark = document.createElement("mark");
          mark.textContent = name.slice(at, at + term.length);
          option.append(name.slice(0, at), mark, name.slice(at + term.length));
        } else {
          option.textContent = name;
        }
        listbox.append(option);
        return option;
      });
      active = -1;
      listbox.hidden = options.length === 0;
      input.setAttribute("aria-expanded", String(options.length > 0));
    };

    const suggest = debounce(async () => {
      const names = splitTags(input.value);
      const term = names.pop();
      if (!term || document.activeElement !== input) {
        close();
        return;
      }
      const taken = new Set(names.map((n) => n.toLowerCase()));
      if (controller) controller.abort();
      controller = new AbortController();
      try {
        const response = await fetch(`${url}?${new URLSearchParams({ q: term })}`, {
          credentials: "same-origin",
          headers: { Accept: "application/json" },
          signal: controller.signal,
        });
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
        const { tags = [] } = await response.json();
        // Nothing to suggest when the term is already typed out in full.
        const fresh = tags.filter((t) => !taken.has(t.toLowerCase()) && t !== term);
        render(fresh, term);
      } catch (error) {
        if (error.name !== "AbortError") close();
      }
    }, SUGGEST_DELAY_MS);

    input.addEventListener("input", suggest);
    input.addEventListener("keydown", (event) => {
      if (listbox.hidden) {
        if (event.key === "ArrowDown" && splitTags(input.value).pop()) suggest();
        return;
      }
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        const step = event.key === "ArrowDown" ? 1 : -1;
        const n = options.length;
        highlight(active === -1 ? (step > 0 ? 0 : n - 1) : (active + step + n) % n);
      } else if (event.key === "Enter" && active >= 0) {
        // Picks the suggestion instead of submitting the post form.
        event.preventDefault();
        accept(options[active].dataset.name);
      } else if (event.key === "Tab" && active >= 0) {
        accept(options[active].dataset.name);
      } else if (event.key === "Escape") {
        event.preventDefault();
        close();
      }
    });
    // mousedown, not click: the input must not lose focus (and close the list) first.
    listbox.addEventListener("mousedown", (event) => {
      const option = event.target.closest("[role=option]");
      if (!option) return;
      event.preventDefault();
      accept(option.dataset.name);
    });
    input.addEventListener("blur", () => {
      suggest.cancel();
      close();
    });
  }

  /* ------------------------------------------------------------------ */

  function init() {
    document.querySelectorAll("textarea.js-markdown-editor").forEach(setupEditor);
    document.querySelectorAll("input.js-tag-autocomplete").forEach(setupTagAutocomplete);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
