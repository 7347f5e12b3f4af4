"""
The post admin's change page and changelist do a fixed number of queries
however many revisions, library images or posts there are.

The same exact number is asserted for a large and a small data set, so a
query per revision, per image, per post, per category or per author fails the
test. Each page is requested once before it is counted: the first request in
a process also looks up Post's content type (the change form's
``content_type_id``), which Django then caches for the life of the process.
Both pages are seen by a superuser (``boss_client``, tests/posts/conftest.py).
The autouse ``_no_cache`` fixture makes the site settings a query on every
request, as they are on a cache miss in production.
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from blog.posts.models import Post
from tests.factories import PostFactory, UserFactory
from tests.media.factories import ImageFactory

pytestmark = pytest.mark.django_db

# The change page of one post, as a superuser:
#   1. the site settings (SiteSettingsMiddleware)
#   2. the session
#   3. the logged-in user
#   4. the post (ModelAdmin.get_object)
#   5. its categories (PostAdmin.get_queryset's prefetch; the form's initial value)
#   6. its tags (taggit, the form's initial value)
#   7. COUNT of its revisions (the revisions panel)
#   8. the user's pending autosave of it (the revisions panel)
#   9. every user, for the Author select
#  10. the featured image and the newest library images (the thumbnail picker)
#  11. their renditions
#  12. every category, for the Categories filter_horizontal
#  13. COUNT of pending comments (the admin menu's badge, for those who moderate)
CHANGE_PAGE_QUERIES = 13

# The changelist, as a superuser (all posts on one page, list_per_page is 100):
#   1. the site settings
#   2. the session
#   3. the logged-in user
#   4. every category, for the Categories list filter
#   5. every user, for the Author list filter
#   6. COUNT of the posts the filters leave (the trash left out)
#   7. COUNT of all posts (the "N total" link)
#   8. the page of posts, with their authors (list_select_related)
#   9. their categories (PostAdmin.get_queryset's prefetch; the categories column)
#  10. MIN and MAX published_at (date_hierarchy)
#  11. the distinct days posts were published (date_hierarchy's links)
#  12. COUNT of pending comments (the admin menu's badge, for those who moderate)
CHANGELIST_QUERIES = 12


def make_revisions(post, count, users):
    """Save ``post`` until it has ``count`` revisions, each save by one of ``users``."""
    body = post.body
    while post.revisions.count() < count:
        n = post.revisions.count()
        post.body = f"{body}\n\nEdit number {n}."
        post._changed_by = users[n % len(users)]
        post.save()
    assert post.revisions.count() == count


@pytest.mark.parametrize(("revisions", "images"), [(50, 20), (5, 2)])
def test_change_page_queries_do_not_grow_with_revisions_or_images(
    boss_client, boss, categories, django_assert_num_queries, revisions, images
):
    library = [ImageFactory(size=(600, 450)) for _ in range(images)]
    post = PostFactory(
        title="Many edits",
        # The body shows every image of the library.
        body="\n\n".join(["## Pictures", *(image.markdown for image in library)]),
        featured_image=library[0],
        categories=categories[1:],
        tags=["apps", "seo", "local"],
    )
    make_revisions(post, revisions, [boss, post.author, UserFactory()])
    url = reverse("admin:posts_post_change", args=[post.pk])
    boss_client.get(url)  # warm up: Post's content type

    with django_assert_num_queries(CHANGE_PAGE_QUERIES):
        response = boss_client.get(url)

    assert response.status_code == 200
    assert f"Revisions ({revisions})" in response.text
    assert f'name="featured_image" value="{library[0].pk}"' in response.text


@pytest.mark.parametrize("posts", [50, 5])
def test_changelist_queries_do_not_grow_with_posts(
    boss_client, boss, categories, django_assert_num_queries, posts
):
    authors = [boss, *(UserFactory() for _ in range(3))]
    image = ImageFactory(size=(600, 450))
    start = timezone.now() - datetime.timedelta(days=1)
    statuses = [Post.Status.PUBLISHED, Post.Status.DRAFT, Post.Status.PENDING]
    for n in range(posts):
        PostFactory(
            title=f"Listed post {n}",
            author=authors[n % len(authors)],
            status=statuses[n % len(statuses)],
            # Days apart, some of them to come (scheduled).
            published_at=start + datetime.timedelta(days=n % 7 - 3, minutes=n),
            featured_image=image if n % 2 else None,
            categories=categories[: 1 + n % 3],
            tags=["apps", f"tag-{n}"],
        )
    PostFactory(title="In the trash", status=Post.Status.TRASH)
    url = reverse("admin:posts_post_changelist")
    boss_client.get(url)  # warm up, as for the change page

    with django_assert_num_queries(CHANGELIST_QUERIES):
        response = boss_client.get(url)

    assert response.status_code == 200
    assert response.context["cl"].result_count == posts
    assert all(f"Listed post {n}<" in response.text for n in range(posts))
