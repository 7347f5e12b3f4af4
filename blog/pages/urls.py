from django.urls import path

from . import views

app_name = "pages"

# Mounted last in blog/urls.py: a page answers at its full path only when no
# other address of the site does (blog/site_paths.py keeps slugs apart).
urlpatterns = [
    path("<path:path>/", views.PageDetailView.as_view(), name="detail"),
]
