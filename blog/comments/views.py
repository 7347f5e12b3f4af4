from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.template.response import TemplateResponse
from django.views.decorators.http import require_POST

from blog.posts import protection
from blog.posts.models import Post

from .forms import CommentForm


@require_POST
def post_comment(request, post_id):
    """
    Store a reader's comment as pending. A bad form re-renders the article
    with the reader's text kept; a closed post refuses and stores nothing.
    """
    post = get_object_or_404(Post.objects.published(), pk=post_id)
    if protection.is_locked(request, post):
        # Only readers who gave the post's password may comment on it.
        raise PermissionDenied("This post is password protected.")
    if not post.comments_open:
        return render(request, "comments/closed.html", {"post": post}, status=403)
    form = CommentForm(request.POST, post=post)
    if not form.is_valid():
        return TemplateResponse(
            request, "posts/post_detail.html", {"post": post, "comment_form": form}, status=400
        )
    comment = form.save(commit=False)
    comment.ip = request.META.get("REMOTE_ADDR")
    comment.user_agent = request.META.get("HTTP_USER_AGENT", "")[:500]
    if request.user.is_authenticated:
        comment.user = request.user
    comment.save()
    messages.success(request, "Your comment is awaiting moderation.")
    return redirect(f"{post.get_absolute_url()}#comments")
