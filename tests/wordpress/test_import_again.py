"""
Running an import again: what changed in the file is updated, what was
edited here is kept and listed, nothing is duplicated; another site's file
never touches this one's objects; a dry run writes nothing.
"""

import pytest
from django.contrib.auth import get_user_model

from blog.categories.models import Category
from blog.comments.models import Comment
from blog.posts.models import Post, Revision
from blog.wordpress.importer import import_wxr
from blog.wordpress.models import Origin, Site

from .wxr_builder import category, comment, item, write, wxr

pytestmark = pytest.mark.django_db


def export(first_title="First", second_title="Second", comment_body="Nice", site=None):
    kwargs = {"site": site} if site else {}
    return wxr(
        [
            item(1, first_title, slug="first", comments=[comment(5, comment_body)]),
            item(2, second_title, slug="second", terms=[("category", "news", "News")]),
        ],
        categories=[category("news", "News", term_id=3)],
        **kwargs,
    )


def test_edited_here_is_kept_and_changed_in_the_file_is_updated(tmp_path):
    import_wxr(write(tmp_path, export()))
    first = Post.objects.get(slug="first")
    first.title = "First, edited here"
    first.save()
    # The import gave back the receivers it held: the edit is in the history.
    assert first.revisions.count() == 2

    changed = export(first_title="First, changed there", second_title="Second, changed there")
    report = import_wxr(write(tmp_path, changed, "changed.xml"))

    assert Post.objects.get(slug="first").title == "First, edited here"
    second = Post.objects.get(slug="second")
    assert second.title == "Second, changed there"
    # History: the imported text, then the text the second import brought.
    assert [r.title for r in second.revisions.order_by("pk")] == ["Second", "Second, changed there"]
    assert report.count("posts", "kept") == 1
    assert report.count("posts", "updated") == 1
    assert (
        "posts",
        "First, changed there (1)",
        "edited here since the last import: left as edited",
    ) in report.warnings
    assert Post.objects.count() == 2
    assert "kept" in report.as_table()


def test_a_comment_changed_in_the_file_is_updated_and_one_edited_here_kept(tmp_path):
    import_wxr(write(tmp_path, export()))
    report = import_wxr(write(tmp_path, export(comment_body="Nicer"), "2.xml"))
    assert Comment.objects.get().body == "Nicer"
    assert report.count("comments", "updated") == 1

    Comment.objects.update(body="Moderated here")
    report = import_wxr(write(tmp_path, export(comment_body="Nicest"), "3.xml"))
    assert Comment.objects.get().body == "Moderated here"
    assert report.count("comments", "kept") == 1
    assert Comment.objects.count() == 1


def test_each_imported_post_starts_its_history_with_the_imported_text(tmp_path):
    import_wxr(write(tmp_path, export()))
    assert sorted(Revision.objects.values_list("title", "post__title", "created_by")) == [
        ("First", "First", None),
        ("Second", "Second", None),
    ]


def test_a_deleted_post_comes_back(tmp_path):
    path = write(tmp_path, export())
    import_wxr(path)
    Post.objects.get(slug="second").delete()
    report = import_wxr(path)
    assert Post.objects.filter(slug="second").exists()
    assert report.count("posts", "imported") == 1


def test_another_sites_file_never_touches_this_ones_objects(tmp_path):
    import_wxr(write(tmp_path, export()))
    ours = set(Post.objects.values_list("pk", "title"))

    other = export(first_title="Theirs", second_title="Theirs too", site="https://other.example")
    report = import_wxr(write(tmp_path, other, "other.xml"))

    assert ours <= set(Post.objects.values_list("pk", "title"))
    assert Post.objects.count() == 4
    assert report.count("posts", "imported") == 2
    assert Site.objects.count() == 2
    # Same WordPress ids, one origin per site.
    assert Origin.objects.filter(kind="post", wp_id=1).count() == 2
    assert (
        "posts",
        "2 WordPress id(s)",
        "also used by another imported site: ?p=ID now answers with this import's "
        "(the most recent): 1, 2",
    ) in report.warnings
    # The category of the same slug is used, not changed or duplicated.
    assert Category.objects.count() == 1


def test_a_dry_run_writes_nothing_and_reports_the_same(tmp_path, settings):
    path = write(tmp_path, export())

    dry = import_wxr(path, dry_run=True)

    assert not Post.objects.exists()
    assert not Comment.objects.exists()
    assert not Category.objects.exists()
    assert not get_user_model().objects.exists()
    assert not Origin.objects.exists()
    assert not Site.objects.exists()
    assert dry.dry_run
    assert dry.as_table().startswith("Dry run: nothing was written.")

    real = import_wxr(path)
    assert dry.counts == real.counts
    assert dry.warnings == real.warnings


def test_a_new_comment_in_the_file_leaves_its_post_alone(tmp_path):
    import_wxr(write(tmp_path, export()))
    more = export().replace(comment(5, "Nice"), comment(5, "Nice") + comment(6, "Me too"))
    report = import_wxr(write(tmp_path, more, "more.xml"))
    assert report.count("comments", "imported") == 1
    assert report.count("posts", "updated") == 0
    assert report.count("posts", "skipped") == 2
