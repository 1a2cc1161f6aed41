"""Supervision pages: the live console, alarms, devices and sensors, trends, setpoints and dead letters."""

from asgiref.sync import sync_to_async
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.handlers.asgi import ASGIRequest
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from semipark.core.scoping import NOTHING, may, may_create
from semipark.core.statemachine import TransitionRefused
from semipark.park.api import current_park
from semipark.park.site_plan import site_plan_data
from semipark.web.imports import excel_import_page

from . import actions, console, events, excel, registry
from .api import alarms_for, devices_for, sensors_for
from .forms import DeviceForm, SensorForm
from .models import Alarm, AlarmRule, AlarmState, DeadLetter, Device, Sensor, SensorKind

ACTIONS = {"acknowledge", "shelve", "unshelve", "close"}


# --- the live console ---------------------------------------------------------------------------------


@login_required
def console_page(request):
    plan = site_plan_data(request.user, current_park(request.user))
    plan["points"] = console.points(request.user)
    return render(
        request,
        "supervision/console.html",
        {
            "plan": plan,
            **_alarm_rows(request),
            "cursor": str(events.now_cursor(request.user)),
            "states": console.STATES,
            "ranges": console.RANGES.values(),
            "dead_letters": DeadLetter.objects.visible_to(request.user)[:5],
        },
    )


@login_required
async def event_stream(request):
    """Server-sent events: alarms and notifications after the client's cursor (Last-Event-ID)."""
    user = await request.auser()
    cursor = events.Cursor.parse(request.headers.get("Last-Event-ID") or request.GET.get("cursor"))
    if cursor is None:
        cursor = await sync_to_async(events.now_cursor)(user)
    if "text/event-stream" not in request.headers.get("Accept", ""):
        body = await sync_to_async(events.snapshot)(user, cursor)
        return HttpResponse(body, content_type="text/event-stream")
    stream = events.stream_async(user, cursor) if isinstance(request, ASGIRequest) else events.stream_sync(user, cursor)
    response = StreamingHttpResponse(stream, content_type="text/event-stream")
    response["Cache-Control"] = "no-cache"
    response["X-Accel-Buffering"] = "no"  # nginx must pass events through at once
    return response


@login_required
def points(request):
    """Monitoring points with their current state, for recolouring the site plan."""
    return JsonResponse({"points": console.points(request.user)})


@login_required
def active_alarms(request):
    """The console's alarm list (an htmx fragment)."""
    return render(request, "supervision/_alarm_rows.html", _alarm_rows(request))


# --- alarms -------------------------------------------------------------------------------------------


@login_required
def alarm_list(request):
    status = request.GET.get("status", "active")
    filters = {"state": request.GET.get("state", ""), "level": request.GET.get("level", "")}
    rows = console.filter_alarms(
        alarms_for(request.user).select_related("sensor__device__enterprise", "acknowledged_by"),
        status,
        filters["state"],
        int(filters["level"]) if filters["level"].isdigit() else None,
    )
    return render(
        request,
        "supervision/alarm_list.html",
        {
            "page": Paginator(rows, 50).get_page(request.GET.get("page")),
            "status": status,
            "filters": filters,
            "states": AlarmState.choices,
            "levels": AlarmRule.Level.choices,
        },
    )


@login_required
def alarm_detail(request, pk: int):
    alarm = get_object_or_404(alarms_for(request.user).select_related("sensor__device__enterprise"), pk=pk)
    return render(
        request,
        "supervision/alarm_detail.html",
        {
            "alarm": alarm,
            "history": _history(alarm),
            "actions": actions.available(request.user, alarm),
        },
    )


@login_required
@require_POST
def alarm_action(request, pk: int, action: str):
    """Acknowledge, shelve, unshelve or close; from the console list (htmx) or the alarm's page."""
    alarm = get_object_or_404(alarms_for(request.user), pk=pk)
    note = request.POST.get("note", "").strip()
    try:
        if action == "acknowledge":
            actions.acknowledge(request.user, alarm, note)
        elif action == "shelve":
            actions.shelve(request.user, alarm, _shelve_until(request), note)
        elif action == "unshelve":
            actions.unshelve(request.user, alarm)
        else:
            actions.close(request.user, alarm, note)
    except (TransitionRefused, ValidationError) as exc:
        error = " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
    else:
        error = ""
    if request.headers.get("HX-Request"):
        return render(request, "supervision/_alarm_rows.html", _alarm_rows(request, error))
    if error:
        messages.error(request, error)
    return redirect("supervision:alarm-detail", pk=pk)


# --- devices ------------------------------------------------------------------------------------------


@login_required
def device_list(request):
    rows = devices_for(request.user).select_related("enterprise")
    page = Paginator(rows.order_by("enterprise_id", "code"), 50).get_page(request.GET.get("page"))
    return render(request, "supervision/device_list.html", {"page": page, "may_add": may_create(request.user, Device)})


@login_required
def device_detail(request, pk: int):
    device = get_object_or_404(devices_for(request.user), pk=pk)
    return render(
        request,
        "supervision/device_detail.html",
        {
            "device": device,
            "sensors": device.sensors.all(),
            "may_change": may(request.user, device, "change"),
            "new_token": request.session.pop(f"device-token-{device.pk}", None),
        },
    )


@login_required
@require_POST
def device_token(request, pk: int):
    """Issue the device a new token and show it once on the device's page."""
    device = get_object_or_404(Device.objects.visible_to(request.user, "change"), pk=pk)
    request.session[f"device-token-{device.pk}"] = registry.issue_token(request.user, device)
    messages.success(request, _("Token issued. Copy it now: it will not be shown again."))
    return redirect("supervision:device-detail", pk=device.pk)


@login_required
def device_edit(request, pk: int | None = None):
    """Register a device, or change one; the code is fixed once devices publish under it."""
    return _edit(request, DeviceForm, registry.save_device, pk, {"enterprise_id": request.user.enterprise_id})


# --- sensors ------------------------------------------------------------------------------------------


@login_required
def sensor_list(request):
    rows = sensors_for(request.user)
    q = request.GET.get("q", "").strip()
    kind = request.GET.get("kind", "")
    if q:
        rows = rows.filter(Q(name__icontains=q) | Q(key__icontains=q))
    if kind:
        rows = rows.filter(kind=kind)
    page = Paginator(rows.order_by("device__enterprise_id", "device__code", "key"), 50).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "supervision/sensor_list.html",
        {
            "page": page,
            "q": q,
            "kind": kind,
            "kinds": SensorKind.choices,
            "may_add": may_create(request.user, Sensor),
        },
    )


@login_required
def sensor_detail(request, pk: int):
    sensor = get_object_or_404(sensors_for(request.user).select_related("plot"), pk=pk)
    return render(
        request,
        "supervision/sensor_detail.html",
        {
            "sensor": sensor,
            "setpoints": console.setpoints(sensor),
            "alarms": alarms_for(request.user).filter(sensor=sensor)[:20],
            "ranges": console.RANGES.values(),
            "may_change": may(request.user, sensor, "change"),
            "may_override": AlarmRule.objects.visible_to(request.user, "change").filter(sensor=sensor).exists(),
        },
    )


@login_required
def sensor_edit(request, pk: int | None = None):
    """Add a sensor (from a device's page: that device preselected), or change one."""
    initial = {"device": request.GET["device"]} if pk is None and "device" in request.GET else None
    return _edit(request, SensorForm, registry.save_sensor, pk, {}, initial)


@login_required
@require_POST
def rule_override(request, pk: int):
    """Override one setpoint with a site-specific threshold; the reason is required and audited."""
    rule = get_object_or_404(AlarmRule.objects.visible_to(request.user, "change"), pk=pk)
    try:
        threshold = float(request.POST.get("threshold", ""))
        actions.override(request.user, rule, threshold, request.POST.get("reason", ""))
    except ValueError:
        messages.error(request, _("The threshold must be a number."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Setpoint overridden."))
    return redirect("supervision:sensor-detail", pk=rule.sensor_id)


@login_required
def sensor_export(request):
    return excel.export(
        sensors_for(request.user).select_related("plot").order_by("device__enterprise_id", "device__code", "key")
    )


@login_required
def sensor_import(request):
    """Upload sensors; nothing is written unless every row is valid."""
    if not may_create(request.user, Sensor):
        raise Http404
    return excel_import_page(
        request,
        run=lambda upload: excel.import_sensors(request.user, upload),
        columns=excel.COLUMNS,
        template="supervision/sensor_import.html",
        done="supervision:sensor-list",
    )


# --- dead letters -------------------------------------------------------------------------------------


@login_required
def dead_letters(request):
    rows = DeadLetter.objects.visible_to(request.user).select_related("enterprise")
    reason = request.GET.get("reason", "")
    if reason:
        rows = rows.filter(reason=reason)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "supervision/dead_letters.html",
        {"page": page, "reason": reason, "reasons": DeadLetter.Reason.choices},
    )


# --- helpers ------------------------------------------------------------------------------------------


def _alarm_rows(request, error: str = "") -> dict:
    """Context of the console's alarm list: the active alarms and whether the user may act on them."""
    alarms = (
        alarms_for(request.user).filter(active=True).select_related("sensor__device__enterprise", "acknowledged_by")
    )
    return {
        "alarms": alarms[:200],
        "may_act": Alarm.scope_q(request.user, "change") != NOTHING,
        "acknowledgeable": actions.acknowledgeable_states(),
        "error": error,
    }


def _history(alarm) -> list:
    """The alarm's audit entries, each with its change in words ("Raised → Acknowledged")."""
    labels = dict(AlarmState.choices)
    entries = list(console.history(alarm))
    for entry in entries:
        before, after = (entry.before or {}).get("state"), (entry.after or {}).get("state")
        entry.change = f"{labels.get(before, '—')} → {labels[after]}" if after in labels else entry.get_kind_display()
    return entries


def _shelve_until(request):
    """The end of shelving from a datetime-local field, read in the park's time zone when it has none."""
    try:
        until = parse_datetime(request.POST.get("until", "").strip())
    except ValueError:
        until = None
    if until is None:
        raise ValidationError(_("Give the time the shelving ends."))
    return until if timezone.is_aware(until) else timezone.make_aware(until)


def _edit(request, form_class, save, pk, defaults: dict, initial=None):
    """Create or change a device or sensor through its form and the registry (which validates and audits).

    The form works on its own copy of the row, so the registry still sees the values before the change.
    """
    model = form_class._meta.model
    if pk is None:
        if not may_create(request.user, model):
            raise Http404
        obj, copy = model(**defaults), model(**defaults)
    else:
        obj = get_object_or_404(model.objects.visible_to(request.user, "change"), pk=pk)
        copy = model.objects.get(pk=pk)
    form = form_class(request.POST or None, instance=copy, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid() and _saved(form, lambda: save(request.user, obj, form.changes())):
        messages.success(request, _("%(object)s saved.") % {"object": obj})
        return redirect(_back(obj))
    title = model._meta.verbose_name if pk is None else str(obj)
    return render(request, "supervision/form.html", {"form": form, "title": title, "cancel": _back(obj)})


def _saved(form, save) -> bool:
    """Run ``save``; model and place errors go back onto the form instead of becoming a server error."""
    try:
        save()
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            form.add_error(None, exc.messages)
        return False
    return True


def _back(obj) -> str:
    if obj.pk:
        name = "supervision:device-detail" if isinstance(obj, Device) else "supervision:sensor-detail"
        return reverse(name, args=[obj.pk])
    return reverse("supervision:device-list" if isinstance(obj, Device) else "supervision:sensor-list")
