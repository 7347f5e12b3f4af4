import datetime

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from blog.accounts.models import User
from blog.accounts.roles import assign_role
from blog.categories.models import Category
from blog.comments.models import Comment
from blog.pages.models import Page
from blog.posts.models import Post

BODY = """## What's up with WhatsApp?

Not sure if you've noticed any service interruptions today.

This has left millions of users without access to the app.

![A phone with no signal](/static/img/demo/whatsapp.jpg)

Back to your regular scheduled programming.
"""


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"author{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    password = factory.django.Password("correct horse battery staple")


class StaffFactory(UserFactory):
    is_staff = True
    is_superuser = True


class RoleUserFactory(UserFactory):
    """A user given one of WordPress's roles, as ``assign_role`` gives it: ``role="Editor"``."""

    class Meta:
        skip_postgeneration_save = True

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if create and extracted:
            assign_role(self, extracted)


class CategoryFactory(DjangoModelFactory):
    class Meta:
        model = Category

    name = factory.Sequence(lambda n: f"Category {n}")
    slug = factory.Sequence(lambda n: f"category-{n}")


def category_tree():
    """Marketing > SEO > Local: a three-level tree, for archives and feeds of child categories."""
    marketing = CategoryFactory(name="Marketing", slug="marketing")
    seo = CategoryFactory(name="SEO", slug="seo", parent=marketing)
    local = CategoryFactory(name="Local", slug="local", parent=seo)
    return marketing, seo, local


class PostFactory(DjangoModelFactory):
    """A published post, live since yesterday unless told otherwise."""

    class Meta:
        model = Post
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Post number {n}")
    author = factory.SubFactory(UserFactory)
    body = BODY
    status = Post.Status.PUBLISHED
    published_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=1))

    @factory.post_generation
    def categories(self, create, extracted, **kwargs):
        if create and extracted:
            self.categories.set(extracted)

    @factory.post_generation
    def tags(self, create, extracted, **kwargs):
        if create and extracted:
            self.tags.set(extracted)


class PageFactory(DjangoModelFactory):
    """A published top-level page, live since yesterday; ``parent=`` makes a subpage."""

    class Meta:
        model = Page

    title = factory.Sequence(lambda n: f"Page number {n}")
    author = factory.SubFactory(UserFactory)
    body = "We write about marketing.\n\nWrite to us any time."
    status = Page.Status.PUBLISHED
    published_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=1))
    comment_mode = Page.CommentMode.CLOSED


class CommentFactory(DjangoModelFactory):
    class Meta:
        model = Comment

    post = factory.SubFactory(PostFactory)
    name = factory.Sequence(lambda n: f"Reader {n}")
    email = factory.LazyAttribute(lambda c: f"{c.name.replace(' ', '').lower()}@example.com")
    body = "Thanks, this was useful."
    status = Comment.Status.APPROVED
