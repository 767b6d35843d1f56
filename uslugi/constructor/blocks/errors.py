"""What the block registry reports: problems in a definition, and kinds that do not exist."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from uslugi.core.errors import UserFacingError


@dataclass(frozen=True)
class BlockError:
    """One problem in a definition, shown to the administrator who edits it.

    `path` points into the definition's JSON by position, so it stays well defined even when a
    key is missing or duplicated: `blocks[3].config.options[1].value`, and for a block inside a
    group `blocks[2].config.blocks[0].label`. `block_key` is the key of the innermost block the
    problem belongs to ("" when that block has no usable key), for the editor to highlight it.
    `message` is already translated into the active language.
    """

    path: str
    block_key: str
    message: str


class UnknownBlockKind(UserFacingError):
    default_message = _("There is no block kind %(kind)s.")

    def __init__(self, kind: object) -> None:
        self.kind = kind
        super().__init__(str(self.default_message) % {"kind": kind})
