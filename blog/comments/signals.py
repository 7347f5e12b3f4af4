"""
The comments app's custom signals. Side effects (notification emails, cache
purges) connect to them in their ``AppConfig.ready()``; the view that sends
them stays unaware of who listens.
"""

from django.dispatch import Signal

# Sent once a reader's comment is stored and its transaction has committed,
# whatever status the moderator gave it (approved, pending, spam or trash), so
# receivers must check ``comment.status`` themselves.
#
#   sender:  the Comment class
#   comment: the stored Comment (status and moderation_reason filled in)
#   request: the HttpRequest that posted it (for absolute URLs)
#
# It is sent with send_robust(): a failing receiver is logged by Django and
# cannot turn a stored comment into an error page for the reader.
comment_posted = Signal()
