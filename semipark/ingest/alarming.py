"""The alarm stage of the pipeline: the supervision app's AlarmEngine, evaluated then applied per batch.

Only readings stored for the first time reach it, so a redelivered message raises nothing twice. The engine keeps
state in memory (on-delays, active alarms) and is refreshed from the database every few seconds (rule overrides,
acknowledgements and other workers' alarms happen elsewhere), and at once after a failed batch.

With ``background=True`` the periodic refresh is split so the batch thread never waits on it: a housekeeping
thread reads the rules and open alarms (``fetch_if_requested``) and the batch thread installs them between two
batches. That read may miss what this worker committed while it ran, so the alarms this worker raised, cleared or
worsened since the read was requested are laid over it before it is installed.
"""

import logging
import threading
import time
from datetime import datetime

log = logging.getLogger(__name__)

Reading = tuple[int, datetime, float, bool]
_CLEARED = object()  # in the moves: this worker cleared the rule's alarm


class AlarmStage:
    def __init__(self, reload_seconds: float = 5.0, background: bool = False):
        self.reload_seconds = reload_seconds
        self.background = background
        self._engine = _make_engine()
        self._loaded_at: float | None = None
        self._requested = threading.Event()  # the batch thread asks the housekeeping thread for a snapshot
        self._pending = False  # a snapshot was asked for and not installed yet
        self._snapshot: tuple[list, dict] | None = None  # (rules, open alarms), handed over by the housekeeper
        self._batch_moves: dict = {}  # rule id -> peak or _CLEARED, of the batch not yet committed
        self._moves: dict = {}  # the same, committed since the pending snapshot was asked for

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
        self._batch_moves = {}

    def committed(self) -> None:
        """The batch's transaction committed: its alarm moves are now in the database."""
        if self._batch_moves:
            self._moves.update(self._batch_moves)
            self._batch_moves = {}

    def process(self, readings: list[Reading]) -> None:
        if self._engine is None:
            return
        self._refresh()
        if not readings:
            return
        events = self._engine.evaluate(readings)
        if events:
            self._engine.apply(events)
            if self.background:
                self._record(events)

    def _refresh(self) -> None:
        if self._loaded_at is None:
            self.reload()
        elif self.background:
            self._install_snapshot()
        elif time.monotonic() - self._loaded_at > self.reload_seconds:
            self.reload()

    def _install_snapshot(self) -> None:
        snapshot, self._snapshot = self._snapshot, None
        if snapshot is not None:
            rules, open_alarms = snapshot
            for rid, peak in self._moves.items():
                if peak is _CLEARED:
                    open_alarms.pop(rid, None)
                else:
                    open_alarms[rid] = peak
            self._engine.load(rules, open_alarms)
            self._loaded_at = time.monotonic()
            self._pending = False
        elif not self._pending and time.monotonic() - self._loaded_at > self.reload_seconds:
            # Moves committed from now on may be missing from the snapshot; earlier ones are in it.
            self._moves = {}
            self._pending = True
            self._requested.set()

    def _record(self, events) -> None:
        from semipark.supervision.engine import CLEAR

        moves = self._batch_moves
        for event, _sid, rid, _ts, value in events:
            moves[rid] = _CLEARED if event == CLEAR else value  # a raise or a worse peak: the alarm's peak

    def fetch_if_requested(self, timeout: float) -> None:
        """On the housekeeping thread: read a snapshot if the batch thread asked for one (waits up to timeout)."""
        if self._engine is None or not self._requested.wait(timeout):
            return
        self._requested.clear()
        try:
            self._snapshot = _read_snapshot()
        except Exception:
            self._requested.set()  # asked again on the next round
            raise


def _read_snapshot() -> tuple[list, dict]:
    """The engine's own reload queries, their rows kept instead of installed."""
    from semipark.supervision.engine import AlarmEngine

    class Reader(AlarmEngine):
        def load(self, rules, open_alarms=None):
            self.read = (list(rules), dict(open_alarms or {}))

    reader = Reader()
    reader.reload()
    return reader.read


def _make_engine():
    try:
        from semipark.supervision.engine import AlarmEngine
    except ImportError:
        log.warning("No alarm engine installed: readings are stored without alarm evaluation.")
        return None
    return AlarmEngine()
