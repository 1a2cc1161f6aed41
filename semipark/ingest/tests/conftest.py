import pytest

from semipark.supervision.models import Device, Sensor


def make_device(enterprise, code="gds-1", keys=(("ash3", 0, 1), ("ph3", 0, 1), ("h2", 0, 100))):
    device = Device.objects.create(enterprise=enterprise, code=code, name=code, kind=Device.Kind.GAS_CONTROLLER)
    for key, low, high in keys:
        Sensor.objects.create(
            device=device, key=key, name=key, kind="toxic_gas", unit="ppm", range_min=low, range_max=high
        )
    return device


@pytest.fixture
def device_a(enterprise_a):
    return make_device(enterprise_a)


@pytest.fixture
def device_b(enterprise_b):
    return make_device(enterprise_b, code="gds-b")
