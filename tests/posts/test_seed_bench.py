import copy
import io

import pytest
from django.core.management import CommandError, call_command
from taggit.models import Tag

from blog import markup
from blog.comments.models import Comment
from blog.pages.models import Page
from blog.posts import derived
from blog.posts.management.commands.seed_bench import RARE_WORD
from blog.posts.models import Post
from blog.search import backends as search
from tests.shared_rows import keep_rows

pytestmark = pytest.mark.django_db


def seed(posts=40, comments=3, **options):
    out = io.StringIO()
    call_command("seed_bench", posts=posts, comments_per_post=comments, stdout=out, **options)
    return out.getvalue()


@pytest.fixture(scope="class")
def seeded(request, django_db_setup, django_db_blocker, tmp_path_factory):
    """One seeded site for the class (seeding is the slow part): the command's output."""
    yield from keep_rows(
        django_db_blocker, tmp_path_factory, lambda: seed(posts=60, comments=4, pages=4)
    )


class TestASeededSite:
    def test_makes_the_posts_published_with_unique_slugs_and_rendered_bodies(self, seeded):
        assert "60 posts seeded" in seeded
        posts = list(Post.objects.published())
        assert len(posts) == 60
        assert len({post.slug for post in posts}) == 60
        for post in posts:
            assert post.title and len(post.body) > 1500
            # The same HTML and derived fields as saving the post would store.
            assert post.body_html == markup.render_post(post.body, post.body_format)
            saved = copy.copy(post)
            saved.derive()
            for name in derived.FIELDS:
                assert getattr(post, name) == getattr(saved, name), name
            assert len(post.toc) == 3 and post.summary and post.word_count > 300
            assert 'id="section-' in post.content_html
        # About 3 KB on average.
        assert 2500 < sum(len(post.body) for post in posts) / len(posts) < 3500

    def test_files_posts_in_leaf_categories_of_a_tree_and_tags_them(self, seeded):
        for post in Post.objects.prefetch_related("categories", "tags"):
            categories = list(post.categories.all())
            assert 1 <= len(categories) <= 2
            assert all(category.parent_id for category in categories)
            assert 3 <= len(post.tags.all()) <= 5
        assert Tag.objects.count() == 200

    def test_comments_are_approved_threads_on_their_own_post(self, seeded):
        comments = list(Comment.objects.select_related("parent"))
        assert len(comments) == 60 * 4
        assert {comment.status for comment in comments} == {Comment.Status.APPROVED}
        replies = [comment for comment in comments if comment.parent_id]
        assert replies
        assert all(reply.parent.post_id == reply.post_id for reply in replies)
        # Replies to replies too: threads, not just one level.
        assert any(reply.parent.parent_id for reply in replies)
        assert all(comment.body_html == markup.render_comment(comment.body) for comment in comments)

    def test_pages_answer_at_their_path(self, seeded, client):
        pages = list(Page.objects.published())
        assert len(pages) == 4
        subpage = next(page for page in pages if page.parent_id)
        assert client.get(subpage.get_absolute_url()).status_code == 200

    def test_posts_are_searchable_and_the_rare_word_finds_few(self, seeded):
        published = Post.objects.published()
        # Every third post of 60 has the rare word: 20 of them.
        assert search.search(published, RARE_WORD).count() == 20
        post = Post.objects.first()
        word = post.title.split()[-1]
        assert post in search.search(published, word)

    def test_seeded_article_and_archives_answer(self, seeded, client):
        post = Post.objects.first()
        assert client.get(post.get_absolute_url()).status_code == 200
        category = post.categories.first()
        response = client.get(category.parent.get_absolute_url())
        assert response.status_code == 200
        assert post.title in response.content.decode()


def test_refuses_a_database_already_seeded():
    seed(posts=2, comments=0)

    with pytest.raises(CommandError, match="empty"):
        seed(posts=2, comments=0)
    assert Post.objects.count() == 2
