"""Pagination that never counts millions of rows to draw a page."""

from functools import cached_property
from typing import Any

from django.core.paginator import Paginator


class CappedPaginator(Paginator):
    """Counts at most `cap` rows (a LIMIT subquery), so a first page over a huge table stays fast.

    `count` is exact below the cap; at the cap, `is_capped` is true and templates say "more than".
    """

    cap = 10_000

    @cached_property
    def count(self) -> int:
        limited: Any = self.object_list[: self.cap + 1]
        return int(limited.count())

    @property
    def is_capped(self) -> bool:
        return self.count > self.cap
