"""Private supervision objects of one enterprise for the cross-enterprise isolation walk."""

from django.utils import timezone

from .models import Alarm, AlarmRule, DeadLetter, Device, Notification, Sensor


def make_private(enterprise, marker: str) -> list:
    plot = enterprise.plots.first()
    device = Device.objects.create(
        enterprise=enterprise, code="private-gdc", name=f"device {marker}", kind="gas_controller"
    )
    sensor = Sensor.objects.create(
        device=device,
        key="ash3-private",
        name=f"sensor {marker}",
        kind="toxic_gas",
        substance="AsH3",
        unit="ppm",
        range_max=1,
        plot=plot,
        building=marker[:60],
        last_value=0.01,
        last_ts=timezone.now(),
    )
    rule = AlarmRule.objects.create(
        sensor=sensor, kind=AlarmRule.Kind.HIGH, level=AlarmRule.Level.LEVEL2, threshold=0.1, source=f"rule {marker}"
    )
    alarm = Alarm.objects.create(sensor=sensor, rule=rule, level=2, value=0.5, peak=0.5, threshold=0.1, note=marker)
    notice = Notification.objects.create(enterprise=enterprise, alarm=alarm, message=f"alarm {marker}")
    letter = DeadLetter.objects.create(
        transport="mqtt",
        topic=f"semipark/x/{enterprise.code}/private-gdc/telemetry",
        enterprise=enterprise,
        device=device,
        reason=DeadLetter.Reason.UNDECODABLE,
        detail=marker,
        payload=f"{{garbage {marker}",
    )
    return [device, sensor, rule, alarm, notice, letter]
