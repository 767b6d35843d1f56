"""Administrators keep the production calendar here: regions, days set by acts, complete years.

Every save and delete goes through `services.py`: the affected calendars rebuild in every process
and an audit event records who changed what.
"""

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from uslugi.workdays import services
from uslugi.workdays.models import CalendarDay, CalendarYear, RegionCalendar


class CalendarRowAdmin(admin.ModelAdmin):
    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        services.save_calendar_row(row=obj, actor=request.user, changed_fields=form.changed_data)

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        services.delete_calendar_row(row=obj, actor=request.user)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        for row in queryset:
            services.delete_calendar_row(row=row, actor=request.user)


@admin.register(CalendarDay)
class CalendarDayAdmin(CalendarRowAdmin):
    list_display = ["date", "region", "kind", "note", "act"]
    list_filter = ["region", "kind"]
    search_fields = ["note", "act", "region"]
    date_hierarchy = "date"


@admin.register(CalendarYear)
class CalendarYearAdmin(CalendarRowAdmin):
    list_display = ["year", "region", "complete", "act"]
    list_filter = ["region", "complete"]


@admin.register(RegionCalendar)
class RegionCalendarAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "time_zone", "moves_weekend_holidays", "office_closes"]
    search_fields = ["code", "name", "name_en"]
    readonly_fields = ["version"]

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        services.save_region_calendar(
            region=obj, actor=request.user, changed_fields=form.changed_data
        )

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        services.delete_region_calendar(region=obj, actor=request.user)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        for region in queryset:
            services.delete_region_calendar(region=region, actor=request.user)
