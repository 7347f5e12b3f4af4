"""
Revisions and autosaves of posts: recording, comparing, restoring.

Every save of a post whose title, excerpt, body or author differ from its
latest revision records a new :class:`~blog.posts.models.Revision` (the
``post_save`` receiver in ``signals.py`` calls :func:`record`). Whoever saved
is read from ``post._changed_by``, which the admin sets; saves without it
(imports, the shell, commands) record ``created_by=None``. ``QuerySet.update()``
sends no signal, so bulk updates record nothing; they never touch the content
fields anyway (comment switches, trash).

Autosaves are one row per person per post, replaced each time, and never
change the post until the person restores one.
"""

import difflib
import re

from django.db import transaction
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from .models import Autosave, Post, Revision
from .models.revision import comparable

CONTENT_FIELDS = ("title", "excerpt", "body", "author")
# What an autosave keeps: the text fields of the form.
AUTOSAVED_FIELDS = ("title", "excerpt", "body")
DIFF_FIELDS = (("title", "Title"), ("excerpt", "Excerpt"), ("body", "Body"))
DIFF_CONTEXT_LINES = 3
# Words (and runs of spaces, and single signs) are the unit of the in-line diff,
# shown only when at least this much of a changed line stayed the same.
_WORDS = re.compile(r"\s+|\w+|[^\w\s]")
INLINE_DIFF_MIN_RATIO = 0.5


def record(post, user=None):
    """
    Record the post's content as a revision unless its latest revision already
    holds it, or the post is an auto-draft (its first real save records one).
    """
    if post.status == Post.AUTO_DRAFT:
        return None
    latest = Revision.objects.filter(post=post).order_by("-created_at", "-pk").first()
    if latest is not None and latest.matches(post):
        return None
    return Revision.objects.create(
        post=post,
        title=post.title,
        excerpt=post.excerpt,
        body=post.body,
        author_id=post.author_id,
        created_by=user if user is not None and user.is_authenticated else None,
    )


def restore(revision, user, *, with_author=True):
    """
    Put the revision's title, excerpt, body and author back on its post and save it,
    which records a new revision (by ``user``). Other fields (status, dates,
    categories...) are left as they are now. The post keeps its current author
    when ``with_author`` is false (the admin passes whether ``user`` may change
    authors) or when the revision's author account has gone. Returns the post.
    """
    with transaction.atomic():
        post = Post.any_kind.select_for_update().get(pk=revision.post_id)
        post.title = revision.title
        post.excerpt = revision.excerpt
        post.body = revision.body
        if with_author and revision.author_id is not None:
            post.author_id = revision.author_id
        _save_content(post, user)
    return post


def autosave(post, user, title, excerpt, body):
    """Keep ``user``'s unsaved text of ``post``; one autosave per person per post, replaced."""
    saved, _ = Autosave.objects.update_or_create(
        post=post,
        user=user,
        defaults={"title": title, "excerpt": excerpt, "body": body, "saved_at": timezone.now()},
    )
    return saved


def comparable_differs(old, new):
    """Whether two texts differ as a person sees them (line ends and edge spaces aside)."""
    return comparable(old) != comparable(new)


def pending_autosave(post, user):
    """
    ``user``'s autosave of ``post`` worth offering: newer than the post's last
    save and different from what the post holds now. Otherwise None.
    """
    saved = Autosave.objects.filter(post=post, user=user).first()
    if saved is None or saved.saved_at <= post.updated_at or saved.matches(post):
        return None
    return saved


def restore_autosave(saved, user):
    """
    Apply an autosave to its post with a normal save (so a new revision is
    recorded) and delete it. A blank autosaved title keeps the post's title,
    since a post needs one. Returns the post.
    """
    with transaction.atomic():
        post = Post.any_kind.select_for_update().get(pk=saved.post_id)
        post.title = saved.title.strip() or post.title
        post.excerpt = saved.excerpt
        post.body = saved.body
        _save_content(post, user)
        saved.delete()
    return post


def discard_autosave(post, user):
    """Forget ``user``'s autosave of ``post``; returns how many were deleted (0 or 1)."""
    deleted, _ = Autosave.objects.filter(post=post, user=user).delete()
    return deleted


def _save_content(post, user):
    post._changed_by = user
    # Only the content: a stale copy must not overwrite status, dates or comments.
    post.save(update_fields=[*CONTENT_FIELDS, "updated_at"])


def diff(old, new):
    """
    What changed from ``old`` to ``new`` (revisions, posts or autosaves), field by
    field and line by line, as HTML: a ``div.revision-diff`` holding, per field, a
    heading and either a ``table.diff`` of hunks or a "No changes." note. Removed
    lines are ``tr.diff-del`` with a ``<del>``, added lines ``tr.diff-ins`` with an
    ``<ins>``, context lines ``tr.diff-same``. All text is escaped.
    """
    sections = format_html_join(
        "\n",
        '<section class="diff-field diff-field-{}"><h3>{}</h3>{}</section>',
        (
            (name, label, _diff_text(getattr(old, name), getattr(new, name)))
            for name, label in DIFF_FIELDS
        ),
    )
    return format_html('<div class="revision-diff">{}</div>', sections)


def _diff_text(old, new):
    old_lines = comparable(old).split("\n") if comparable(old) else []
    new_lines = comparable(new).split("\n") if comparable(new) else []
    if old_lines == new_lines:
        return format_html('<p class="diff-unchanged">{}</p>', "No changes.")
    matcher = difflib.SequenceMatcher(a=old_lines, b=new_lines, autojunk=False)
    rows = []
    for number, group in enumerate(matcher.get_grouped_opcodes(DIFF_CONTEXT_LINES)):
        if number:
            rows.append(format_html('<tr class="diff-skip"><td colspan="3">{}</td></tr>', "\u22ef"))
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                rows.extend(
                    _row("diff-same", i + 1, j + 1, "", "{}", old_lines[i])
                    for i, j in zip(range(i1, i2), range(j1, j2), strict=True)
                )
                continue
            removed = {i: old_lines[i] for i in range(i1, i2)}
            added = {j: new_lines[j] for j in range(j1, j2)}
            if tag == "replace":
                # A Markdown paragraph is one line: show which words changed in it.
                for i, j in zip(range(i1, i2), range(j1, j2), strict=False):
                    removed[i], added[j] = _changed_words(old_lines[i], new_lines[j])
            rows.extend(
                _row("diff-del", i + 1, "", "\u2212", "<del>{}</del>", line)
                for i, line in removed.items()
            )
            rows.extend(
                _row("diff-ins", "", j + 1, "+", "<ins>{}</ins>", line) for j, line in added.items()
            )
    body = format_html_join("\n", "{}", ((row,) for row in rows))
    return format_html(
        '<table class="diff"><thead><tr><th scope="col" class="diff-num">{}</th>'
        '<th scope="col" class="diff-num">{}</th><th scope="col">{}</th></tr></thead>'
        "<tbody>{}</tbody></table>",
        "Old",
        "New",
        "Line",
        body,
    )


def _changed_words(old_line, new_line):
    """Both lines as HTML with the words that differ in ``<mark>``; plain if mostly rewritten."""
    old_words, new_words = _WORDS.findall(old_line), _WORDS.findall(new_line)
    matcher = difflib.SequenceMatcher(a=old_words, b=new_words, autojunk=False)
    if matcher.ratio() < INLINE_DIFF_MIN_RATIO:
        return old_line, new_line
    old_parts, new_parts = [], []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        template = "{}" if tag == "equal" else "<mark>{}</mark>"
        if i2 > i1:
            old_parts.append(format_html(template, "".join(old_words[i1:i2])))
        if j2 > j1:
            new_parts.append(format_html(template, "".join(new_words[j1:j2])))
    return _joined(old_parts), _joined(new_parts)


def _joined(parts):
    return format_html_join("", "{}", ((part,) for part in parts))


def _row(css_class, old_number, new_number, sign, wrapper, text):
    return format_html(
        '<tr class="{}"><td class="diff-num">{}</td><td class="diff-num">{}</td>'
        '<td class="diff-line"><span class="diff-sign" aria-hidden="true">{}</span>{}</td></tr>',
        css_class,
        old_number,
        new_number,
        sign,
        format_html(wrapper, text),
    )
