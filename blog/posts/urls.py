from django.urls import path, register_converter

from . import views


class TwoDigitConverter:
    regex = "[0-9]{2}"

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return f"{int(value):02}"


class FourDigitConverter(TwoDigitConverter):
    regex = "[0-9]{4}"

    def to_url(self, value):
        return f"{int(value):04}"


register_converter(TwoDigitConverter, "dd")
register_converter(FourDigitConverter, "yyyy")

app_name = "posts"


def paged(route, view, name):
    """The list at ``route`` and its pages at ``route/page/N/``, as WordPress does."""
    return [
        path(route, view, name=name),
        path(f"{route}page/<int:page>/", view, name=f"{name}_page"),
    ]


urlpatterns = [
    *paged("", views.HomeView.as_view(), "home"),
    path(
        "<yyyy:year>/<dd:month>/<dd:day>/<str:slug>/",
        views.PostDetailView.as_view(),
        name="detail",
    ),
    path("unlock/<int:pk>/", views.PostUnlockView.as_view(), name="unlock"),
    path("preview/<str:token>/", views.PostPreviewView.as_view(), name="preview"),
    path("category/<path:path>/page/<int:page>/", views.CategoryArchiveView.as_view(),
         name="category_page"),
    path("category/<path:path>/", views.CategoryArchiveView.as_view(), name="category"),
    *paged("tag/<str:slug>/", views.TagArchiveView.as_view(), "tag"),
    *paged("author/<str:username>/", views.AuthorArchiveView.as_view(), "author"),
]  # fmt: skip
