from django import template

from .. import backends

register = template.Library()

register.filter("highlight", backends.highlight)
