from django import template

from pandu.core import menu

register = template.Library()


@register.simple_tag(takes_context=True)
def main_menu(context):
    """``{% main_menu as entries %}``: the menu bar of the signed-in user (``core.menu``)."""
    return menu.for_user(context.get("user"))
