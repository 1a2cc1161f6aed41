from django.contrib import admin

from semipark.core.admin import AuditedAdmin

from .models import (
    ChainItem,
    ChainSegment,
    ChemicalParkGrade,
    Contact,
    Enterprise,
    EnterpriseProduct,
    Facility,
    Park,
    ParkPlan,
    Plot,
)


@admin.register(Park)
class ParkAdmin(AuditedAdmin):
    list_display = ("name", "code", "county", "area_km2", "chemical_park_recognised")


@admin.register(ChemicalParkGrade)
class ChemicalParkGradeAdmin(AuditedAdmin):
    list_display = ("park", "date", "event", "grade", "document")
    list_filter = ("grade",)


@admin.register(ParkPlan)
class ParkPlanAdmin(AuditedAdmin):
    list_display = ("title", "year", "park")


@admin.register(ChainSegment)
class ChainSegmentAdmin(AuditedAdmin):
    list_display = ("name", "code", "order", "park")


@admin.register(ChainItem)
class ChainItemAdmin(AuditedAdmin):
    list_display = ("name", "code", "segment")
    list_filter = ("segment",)
    filter_horizontal = ("inputs",)


@admin.register(Enterprise)
class EnterpriseAdmin(AuditedAdmin):
    list_display = ("short_name", "name", "code", "uscc", "status", "registered_capital", "above_size")
    list_filter = ("status", "above_size")
    search_fields = ("name", "short_name", "code", "uscc")
    filter_horizontal = ("chain_items",)


@admin.register(EnterpriseProduct)
class EnterpriseProductAdmin(AuditedAdmin):
    list_display = ("name", "enterprise", "capacity", "unit", "is_demo")
    list_filter = ("enterprise",)


@admin.register(Contact)
class ContactAdmin(AuditedAdmin):
    list_display = ("name", "enterprise", "title", "phone", "emergency")
    list_filter = ("enterprise", "emergency")
    search_fields = ("name", "phone")


@admin.register(Plot)
class PlotAdmin(AuditedAdmin):
    list_display = ("code", "enterprise", "status", "area_m2")
    list_filter = ("status",)


@admin.register(Facility)
class FacilityAdmin(AuditedAdmin):
    list_display = ("name", "kind", "quantity", "unit", "capacity", "capacity_unit", "status")
    list_filter = ("kind", "status")
