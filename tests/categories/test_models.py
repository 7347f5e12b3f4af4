"""Hierarchical categories: paths, ancestors and their archive URLs."""

import pytest
from django.db.models import ProtectedError

from blog.categories.models import Category
from tests.factories import CategoryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree():
    marketing = CategoryFactory(name="Marketing", slug="marketing")
    seo = CategoryFactory(name="SEO", slug="seo", parent=marketing)
    local = CategoryFactory(name="Local", slug="local", parent=seo)
    maps = CategoryFactory(name="Maps", slug="maps", parent=local)
    return marketing, seo, local, maps


def test_top_level_category_has_no_ancestors_and_its_slug_as_path(tree):
    marketing = tree[0]

    assert marketing.ancestors == []
    assert marketing.path == "marketing"
    assert marketing.get_absolute_url() == "/category/marketing/"


def test_child_category_path_starts_with_its_parent(tree):
    _, seo, _, _ = tree

    assert [c.slug for c in seo.ancestors] == ["marketing"]
    assert seo.path == "marketing/seo"
    assert seo.get_absolute_url() == "/category/marketing/seo/"


def test_ancestors_run_from_the_root_down_to_the_parent(tree):
    maps = Category.objects.get(slug="maps")

    assert [c.name for c in maps.ancestors] == ["Marketing", "SEO", "Local"]
    assert maps.path == "marketing/seo/local/maps"
    assert maps.get_absolute_url() == "/category/marketing/seo/local/maps/"


def test_deep_category_archive_answers_at_its_url(client, tree):
    assert client.get(tree[3].get_absolute_url()).status_code == 200


def test_with_parents_builds_paths_without_more_queries(django_assert_num_queries, tree):
    with django_assert_num_queries(1):
        local = Category.objects.with_parents().get(slug="local")
        assert local.path == "marketing/seo/local"


def test_moving_a_category_changes_its_url(tree):
    marketing, seo, _, _ = tree
    seo.parent = None
    seo.save()

    seo = Category.objects.get(pk=seo.pk)
    assert seo.get_absolute_url() == "/category/seo/"
    assert Category.objects.get(slug="local").path == "seo/local"


def test_categories_are_listed_by_name():
    CategoryFactory(name="Zebra", slug="zebra")
    CategoryFactory(name="Apple", slug="apple")

    assert [c.name for c in Category.objects.all()] == ["Apple", "Zebra"]


def test_str_is_the_name():
    assert str(CategoryFactory(name="Apps")) == "Apps"


def test_a_category_with_children_cannot_be_deleted(tree):
    with pytest.raises(ProtectedError):
        tree[0].delete()
