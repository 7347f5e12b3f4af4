from django.http import Http404
from django.shortcuts import redirect

from blog.posts.forms import PostPasswordForm
from blog.posts.models import PostRedirect
from blog.posts.views import PostDetailView

from .models import Page


class PageDetailView(PostDetailView):
    """
    A page at its full path, ``/<parent>/<child>/``. An address the page (or
    a post) had before answers 301 to where it is now; anything else is a 404.
    Password protection, previews and comments work as on posts.
    """

    model = Page

    def get_queryset(self):
        return (
            Page.objects.visible_to(self.request.user)
            .select_related("author", "featured_image")
            .prefetch_related("featured_image__renditions")
        )

    def get(self, request, *args, **kwargs):
        self.object = self.get_queryset().filter(path=kwargs["path"]).first()
        if self.object is None:
            moved = PostRedirect.objects.select_related("post").filter(old_path=request.path)
            moved = moved.first()
            if moved and moved.post.is_published:
                return redirect(moved.post, permanent=True)
            raise Http404("No page found at this address.")
        if not self.object.is_published and not self.has_change_permission():
            raise Http404("No page found at this address.")
        return self.render_post(PostPasswordForm(post=self.object))

    def has_change_permission(self):
        # Every Editor may edit every page: the page permission is the whole rule.
        return self.request.user.has_perm("pages.change_page")
