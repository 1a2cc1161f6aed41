from django.urls import path

from . import views

app_name = "supervision"
urlpatterns = [
    path("", views.console_page, name="console"),
    path("events/", views.event_stream, name="events"),
    path("points/", views.points, name="points"),
    path("alarms/", views.alarm_list, name="alarm-list"),
    path("alarms/active/", views.active_alarms, name="active-alarms"),
    path("alarms/<int:pk>/", views.alarm_detail, name="alarm-detail"),
    *(
        path(f"alarms/<int:pk>/{action}/", views.alarm_action, {"action": action}, name=f"alarm-{action}")
        for action in sorted(views.ACTIONS)
    ),
    path("devices/", views.device_list, name="device-list"),
    path("devices/new/", views.device_edit, name="device-create"),
    path("devices/<int:pk>/", views.device_detail, name="device-detail"),
    path("devices/<int:pk>/edit/", views.device_edit, name="device-edit"),
    path("devices/<int:pk>/token/", views.device_token, name="device-token"),
    path("sensors/", views.sensor_list, name="sensor-list"),
    path("sensors/new/", views.sensor_edit, name="sensor-create"),
    path("sensors/export/", views.sensor_export, name="sensor-export"),
    path("sensors/import/", views.sensor_import, name="sensor-import"),
    path("sensors/<int:pk>/", views.sensor_detail, name="sensor-detail"),
    path("sensors/<int:pk>/edit/", views.sensor_edit, name="sensor-edit"),
    path("rules/<int:pk>/override/", views.rule_override, name="rule-override"),
    path("dead-letters/", views.dead_letters, name="dead-letters"),
]
