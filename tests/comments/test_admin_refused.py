"""
A moderator's text meets the same render limits as a reader's: the admin's
edit and reply forms refuse it on the field, the text kept, never a 500.
"""

import pytest
from django.urls import reverse

from blog.comments.models import Comment
from tests.factories import CommentFactory
from tests.helpers import form_data

pytestmark = pytest.mark.django_db

TOO_DEEP = "<em>" * 60 + "deep"


def test_the_edit_form_refuses_a_body_the_renderer_would_refuse(admin_client):
    comment = CommentFactory(body="Fine words.", status=Comment.Status.APPROVED)
    url = reverse("admin:comments_comment_change", args=[comment.pk])
    data = form_data(admin_client.get(url), "#comment_form")

    response = admin_client.post(url, {**data, "body": TOO_DEEP})

    assert response.status_code == 200
    form = response.context["adminform"].form
    assert "body" in form.errors
    assert form["body"].value() == TOO_DEEP
    comment.refresh_from_db()
    assert comment.body == "Fine words."


def test_the_reply_form_refuses_a_body_the_renderer_would_refuse(admin_client):
    comment = CommentFactory(status=Comment.Status.APPROVED)
    url = reverse("admin:comments_comment_reply", args=[comment.pk])

    response = admin_client.post(url, {"body": TOO_DEEP})

    assert response.status_code == 200
    assert response.context["form"].errors["body"]
    assert not Comment.objects.filter(parent=comment).exists()
