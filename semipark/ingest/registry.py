"""The in-memory map from (park, enterprise, device) and sensor key to sensor id and range.

Loaded once and refreshed when devices or sensors change: a cheap version check (row counts and the latest
``updated``) runs at most every ``check_seconds`` and whenever a message names something the map lacks.
"""

import threading
import time
from dataclasses import dataclass

from django.db.models import Count, Max

from semipark.park.models import Enterprise
from semipark.supervision.models import Device, Sensor


@dataclass(frozen=True, slots=True)
class SensorEntry:
    id: int
    range_min: float
    range_max: float


@dataclass(frozen=True, slots=True)
class DeviceEntry:
    id: int
    enterprise_id: int
    sensors: dict[str, SensorEntry]


class Registry:
    def __init__(self, check_seconds: float = 2.0):
        self.check_seconds = check_seconds
        self._lock = threading.Lock()
        self._by_path: dict[tuple[str, str, str], DeviceEntry] = {}
        self._by_id: dict[int, DeviceEntry] = {}
        self._enterprise_by_path: dict[tuple[str, str], int] = {}
        self._version = None
        self._checked = 0.0

    def by_path(self, park: str, enterprise: str, device: str) -> DeviceEntry | None:
        return self._by_path.get((park, enterprise, device))

    def by_id(self, device_id: int) -> DeviceEntry | None:
        return self._by_id.get(device_id)

    def enterprise_id(self, park: str, enterprise: str) -> int | None:
        return self._enterprise_by_path.get((park, enterprise))

    def refresh(self, force: bool = False) -> bool:
        """Reload when the devices or sensors changed (checked at most every check_seconds unless forced)."""
        now = time.monotonic()
        if not force and self._version is not None and now - self._checked < self.check_seconds:
            return False
        with self._lock:
            self._checked = now
            version = _version()
            if version == self._version:
                return False
            self._load()
            self._version = version
            return True

    def _load(self):
        by_id: dict[int, DeviceEntry] = {}
        by_path: dict[tuple[str, str, str], DeviceEntry] = {}
        enterprises: dict[tuple[str, str], int] = {}
        devices = Device.objects.filter(active=True).values_list(
            "id", "code", "enterprise_id", "enterprise__code", "enterprise__park__code"
        )
        for device_id, code, enterprise_id, enterprise_code, park_code in devices:
            entry = DeviceEntry(device_id, enterprise_id, {})
            by_id[device_id] = entry
            by_path[(park_code, enterprise_code, code)] = entry
        for enterprise_id, code, park_code in Enterprise.objects.values_list("id", "code", "park__code"):
            enterprises[(park_code, code)] = enterprise_id
        sensors = Sensor.objects.filter(active=True, device__active=True).values_list(
            "id", "device_id", "key", "range_min", "range_max"
        )
        for sensor_id, device_id, key, range_min, range_max in sensors:
            by_id[device_id].sensors[key] = SensorEntry(sensor_id, range_min, range_max)
        self._by_id, self._by_path, self._enterprise_by_path = by_id, by_path, enterprises


def _version():
    sensors = Sensor.objects.aggregate(n=Count("id"), updated=Max("updated"))
    devices = Device.objects.aggregate(n=Count("id"), updated=Max("updated"))
    return (sensors["n"], sensors["updated"], devices["n"], devices["updated"])
