from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect
from django.utils.html import format_html

from .forms import QuickDraftForm


def quick_draft(request, site):
    """
    POST ``title`` and ``body``: a new draft, then back to the dashboard
    with a link to it. Bad input re-renders the dashboard with the errors and
    what was typed. The admin's view wrapper has checked the login and CSRF.
    """
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if not request.user.has_perm("posts.add_post"):
        raise PermissionDenied
    form = QuickDraftForm(request.POST)
    if not form.is_valid():
        response = site.index(request, extra_context={"quick_draft_form": form})
        response.status_code = 400
        return response
    post = form.save_as_draft(request.user)
    messages.success(
        request,
        format_html('Draft “{}” saved. <a href="{}">Edit it</a>', post.title, post.get_admin_url()),
    )
    return redirect("admin:index")
