"""Django admin for the park office: scoped like every other page, and every change written to the audit log.

Other apps register their models with ``AuditedAdmin`` (or mix it into their own ``ModelAdmin``).
"""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.utils.translation import gettext_lazy as _

from . import audit
from .models import ApiToken, AuditEntry, User
from .roles import Role
from .scoping import NOTHING, ScopedModel


def office_admin_only(request) -> bool:
    """Only active park office admins (flagged ``is_staff``) and superusers may open the admin site."""
    user = request.user
    return user.is_active and user.is_staff and (user.is_superuser or user.role == Role.OFFICE_ADMIN)


admin.site.has_permission = office_admin_only
admin.site.site_header = _("semipark administration")
admin.site.site_title = _("semipark administration")


class AuditedAdmin(admin.ModelAdmin):
    """Scoped queryset and permissions from ``visible_to``; saves and deletes recorded through ``core.audit``."""

    # Fields never copied into the audit log (secrets, bookkeeping).
    audit_exclude: tuple[str, ...] = ("created", "updated")

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if issubclass(self.model, ScopedModel):
            return queryset.filter(self.model.scope_q(request.user, "view"))
        return queryset

    def _allowed(self, request, action: str) -> bool:
        if not office_admin_only(request):
            return False
        if issubclass(self.model, ScopedModel):
            return self.model.scope_q(request.user, action) != NOTHING
        return True

    def has_module_permission(self, request):
        return office_admin_only(request)

    def has_view_permission(self, request, obj=None):
        return self._allowed(request, "view")

    def has_add_permission(self, request):
        return self._allowed(request, "add")

    def has_change_permission(self, request, obj=None):
        return self._allowed(request, "change")

    def has_delete_permission(self, request, obj=None):
        return self._allowed(request, "delete")

    def save_model(self, request, obj, form, change):
        stored = type(obj)._base_manager.filter(pk=obj.pk).first() if change else None
        before = audit.snapshot(stored, self.audit_exclude) if stored else None
        super().save_model(request, obj, form, change)
        kind = AuditEntry.Kind.UPDATE if before is not None else AuditEntry.Kind.CREATE
        after = audit.snapshot(obj, self.audit_exclude)
        audit.record(request.user, kind, obj, before=before, after=after, message=str(_("Django admin")))

    def delete_model(self, request, obj):
        self._record_deletion(request, obj)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self._record_deletion(request, obj)
        super().delete_queryset(request, queryset)

    def _record_deletion(self, request, obj):
        audit.record(
            request.user,
            AuditEntry.Kind.DELETE,
            obj,
            before=audit.snapshot(obj, self.audit_exclude),
            message=str(_("Django admin")),
        )


class PersonCreationForm(AdminUserCreationForm):
    class Meta(AdminUserCreationForm.Meta):
        model = User
        fields = ("username",)


class PersonChangeForm(UserChangeForm):
    class Meta(UserChangeForm.Meta):
        model = User


@admin.register(User)
class PersonAdmin(AuditedAdmin, UserAdmin):
    form = PersonChangeForm
    add_form = PersonCreationForm
    audit_exclude = ("password", "last_login", "date_joined")
    list_display = ("username", "first_name", "last_name", "role", "enterprise", "department", "is_active")
    list_filter = ("role", "department", "is_active", "enterprise")
    fieldsets = (
        *UserAdmin.fieldsets,
        (_("Role in the park"), {"fields": ("role", "enterprise", "department", "phone")}),
    )
    add_fieldsets = (
        *UserAdmin.add_fieldsets,
        (_("Role in the park"), {"fields": ("role", "enterprise", "department")}),
    )


@admin.register(ApiToken)
class ApiTokenAdmin(AuditedAdmin):
    """Tokens can be reviewed and revoked (deleted); they are issued only to their owner."""

    audit_exclude = ("digest",)
    list_display = ("name", "user", "prefix", "created", "expires", "last_used")
    list_filter = ("expires",)
    search_fields = ("name", "user__username", "prefix")
    readonly_fields = ("user", "name", "prefix", "created", "expires", "last_used")
    exclude = ("digest",)

    def has_add_permission(self, request):
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """The audit log is append-only: readable here, never edited or deleted."""

    list_display = ("at", "username", "kind", "model", "object_id", "object_repr", "message")
    list_filter = ("kind", "model")
    search_fields = ("username", "object_repr", "object_id", "request_id", "message")
    date_hierarchy = "at"

    def get_queryset(self, request):
        return AuditEntry.objects.visible_to(request.user)

    def has_module_permission(self, request):
        return office_admin_only(request)

    def has_view_permission(self, request, obj=None):
        return office_admin_only(request)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
