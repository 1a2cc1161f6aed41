"""The alarm stage of the pipeline: the supervision app's AlarmEngine, evaluated then applied per batch.

Only readings stored for the first time reach it, so a redelivered message raises nothing twice. The engine keeps
state in memory (on-delays, active alarms): after a failed batch it is reloaded from the database.
"""

import logging
import time
from datetime import datetime

log = logging.getLogger(__name__)

Reading = tuple[int, datetime, float, bool]


class AlarmStage:
    def __init__(self, reload_seconds: float = 5.0):
        self.reload_seconds = reload_seconds
        self._engine = _make_engine()
        self._loaded_at: float | None = None

    @property
    def enabled(self) -> bool:
        return self._engine is not None

    def reload(self) -> None:
        if self._engine is not None:
            self._engine.reload()
            self._loaded_at = time.monotonic()

    def invalidate(self) -> None:
        """Reload before the next batch (the database changed under the engine, or a batch failed)."""
        self._loaded_at = None

    def process(self, readings: list[Reading]) -> None:
        if self._engine is None or not readings:
            return
        # Rule overrides and alarm acknowledgements happen elsewhere; a periodic reload picks them up.
        if self._loaded_at is None or time.monotonic() - self._loaded_at > self.reload_seconds:
            self.reload()
        events = self._engine.evaluate(readings)
        if events:
            self._engine.apply(events)


def _make_engine():
    try:
        from semipark.supervision.engine import AlarmEngine
    except ImportError:
        log.warning("No alarm engine installed: readings are stored without alarm evaluation.")
        return None
    return AlarmEngine()
