from functools import partial

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.response import TemplateResponse
from django.utils.cache import add_never_cache_headers
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from blog.posts import protection
from blog.posts.models import Post
from blog.posts.views import PostDetailView

from . import spam, threads
from .forms import CommentForm
from .models import Comment
from .moderation import Moderator
from .signals import comment_posted

AWAITING_MODERATION = "Your comment is awaiting moderation."
# The ids of the pending comments this browser posted, newest last: the thread
# shows them to their author alone, marked as awaiting moderation.
OWN_PENDING_SESSION_KEY = "own_pending_comments"
OWN_PENDING_KEPT = 20


# No CSRF cookie or token: the article carrying the form is one shared cached
# page, the same bytes for every reader. Cross-site posting is refused by
# spam.cross_site_problem (Origin / Sec-Fetch-Site / Referer) instead, which is
# enough here because the view changes nothing but adding one comment, judged
# by the moderator like any other.
@csrf_exempt
@require_POST
def post_comment(request, post_id):
    """
    Store a reader's comment with the status the moderator gives it. Every
    refusal stores nothing; a refused form re-renders the article with the
    reader's text kept (400, or 429 when this IP posts too often). A form
    posted without a token (no scripts ran) is shown again with one, to confirm.
    """
    problem = spam.cross_site_problem(request)
    if problem:
        raise PermissionDenied(problem)
    post = get_object_or_404(Post.any_kind.published(), pk=post_id)
    if protection.is_locked(request, post):
        # Only readers who gave the post's password may comment on it.
        raise PermissionDenied("This post is password protected.")
    if not post.comments_open:
        return render(request, "comments/closed.html", {"post": post}, status=403)

    ip = spam.client_ip(request)
    form = CommentForm(request.POST, post=post, user=request.user, fresh_token=True)
    wait = spam.seconds_until_allowed(ip)
    if wait:
        form.add_error(None, spam.RATE_LIMITED)
        response = _rerender(request, post, form, status=429)
        response["Retry-After"] = str(wait)
        return response
    if not form.is_valid():
        if form.needs_confirmation:
            response = TemplateResponse(
                request, "comments/confirm.html", {"post": post, "form": form}
            )
            add_never_cache_headers(response)
            return response
        return _rerender(request, post, form, status=400)

    comment = form.save(commit=False)
    comment.ip = ip
    comment.user_agent = request.META.get("HTTP_USER_AGENT", "")[:500]
    comment.status, comment.moderation_reason = Moderator().moderate(comment)
    if not comment.save_unless_duplicate():
        # Its twin was stored after the form's check: two clicks, or a retry,
        # at the same moment. One is kept; this one is told why it is not.
        form.add_duplicate_error()
        return _rerender(request, post, form, status=400)
    transaction.on_commit(
        partial(comment_posted.send_robust, sender=Comment, comment=comment, request=request)
    )

    if comment.status == Comment.Status.APPROVED:
        return redirect(threads.comment_url(comment))
    if comment.status == Comment.Status.PENDING:
        _remember_own_pending(request, comment)
    # Spam and trash get the same answer as pending: a spammer learns nothing
    # to tune against, and an editor can still rescue a person's comment.
    messages.success(request, AWAITING_MODERATION)
    return redirect(f"{post.get_absolute_url()}#comments")


@require_GET
def form_token(request, post_id):
    """
    A fresh signed token for the comment form of ``post_id``, fetched by
    static/js/comment-token.js when the reader first focuses the form. Never
    cached: the token dates the moment the reader started writing.
    """
    post = get_object_or_404(Post.any_kind.published().only("pk"), pk=post_id)
    response = JsonResponse({"token": spam.issue_token(post)})
    add_never_cache_headers(response)
    return response


def comment_link(request, pk):
    """
    Where a comment's links lead: the article, on the page of threads that
    shows the comment. A comment no longer shown leads to the article's
    comments; a post readers cannot see, nowhere.
    """
    comment = get_object_or_404(Comment.objects.select_related("post"), pk=pk)
    post = comment.post
    if not post.is_published:
        raise Http404("No comment found at this address.")
    if comment.status != Comment.Status.APPROVED:
        return redirect(f"{post.get_absolute_url()}#comments")
    return redirect(threads.comment_url(comment))


def _rerender(request, post, form, status):
    """
    The whole article as its own view shows it (related posts, the previous
    and next posts, the thread), with the refused form, its errors and the
    reader's text in place of the empty form. Never cached: it is one reader's.
    """
    view = PostDetailView()
    view.setup(request)
    view.object = post
    context = view.get_context_data(object=post, locked=False, comment_form=form)
    response = TemplateResponse(request, post.detail_template_name, context, status=status)
    add_never_cache_headers(response)
    return response


def _remember_own_pending(request, comment):
    kept = [pk for pk in request.session.get(OWN_PENDING_SESSION_KEY, []) if pk != comment.pk]
    request.session[OWN_PENDING_SESSION_KEY] = [*kept, comment.pk][-OWN_PENDING_KEPT:]
