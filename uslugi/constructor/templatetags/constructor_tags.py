from typing import Any

from django import template

register = template.Library()


@register.filter
def block_title(block: dict[str, Any]) -> str:
    """What to call a block on a staff page: its label, else its title or text, else its key."""
    config = block.get("config") or {}
    return str(
        block.get("label") or config.get("title") or config.get("text") or block.get("key", "")
    )


@register.filter
def item_label(block: dict[str, Any]) -> str:
    """The legend of one item of a repeating group, before its number."""
    return str((block.get("config") or {}).get("item_label") or block_title(block))
