from django.contrib import admin

from monitoring.models import Check, CheckSchedule, SourceState


@admin.register(CheckSchedule)
class CheckScheduleAdmin(admin.ModelAdmin):
    list_display = ["document", "next_check_at", "lease_until", "consecutive_failures",
                    "last_checked_at"]
    list_select_related = ["document__platform"]
    list_filter = ["consecutive_failures"]


@admin.register(Check)
class CheckAdmin(admin.ModelAdmin):
    list_display = ["document", "started_at", "outcome", "http_status", "duration_ms", "reason"]
    list_filter = ["outcome", "transient"]
    list_select_related = ["document__platform"]

    def has_change_permission(self, request, obj=None) -> bool:
        return False


admin.site.register(SourceState)
