from django.views.generic import TemplateView


class SearchView(TemplateView):
    # Placeholder: the search helper replaces this with the real view.
    template_name = "search/results.html"
