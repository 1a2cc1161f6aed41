"""Evaluating readings against alarm rules, fast, and persisting the resulting transitions.

``evaluate`` is pure Python over in-memory rules (no database), so the ingest pipeline can run it on every
batch; ``apply`` writes what it found. Semantics, per rule:

- high limit: raised when value >= threshold, cleared when value < threshold - deadband;
  low limit: raised when value <= threshold, cleared when value > threshold + deadband;
  rate of change: the change per minute since the sensor's previous reading, treated as a high limit
  (a negative threshold: a falling value, treated as a low limit);
  outside measuring range: raised by a reading flagged out of range, cleared by the next one in range.
- on-delay: a rule raises only after ``on_delay_count`` consecutive readings beyond the threshold AND after
  the condition has lasted ``on_delay_seconds`` (both, when both are set); one good reading resets it.
- a reading flagged out of range is still compared with the high and low limits (a detector saturated above
  its full scale is more likely seeing a leak than not), and raises the sensor-fault alarm besides.
- levels 1 and 2 are separate rules with separate alarms.

Several workers may evaluate the same sensors: ``apply`` relies on the partial unique constraint (one open
alarm per sensor and rule) and treats a conflict as "already raised". Call ``reload()`` every few seconds
(rules change, other workers raise and clear) and after ``apply`` fails.
"""

from . import alarms
from .models import ACTIVE_ALARM_STATES, Alarm, AlarmRule

RAISE, CLEAR, PEAK = "raise", "clear", "peak"

# A rule in memory is a list (the fastest mutable record in CPython), indexed by these slots.
RID, KIND, SIGN, SET, CLEAR_AT, N, SECS, ACTIVE, COUNT, SINCE, WORST = range(11)
LIMIT, RATE_OF_CHANGE, RANGE_FAULT = 0, 1, 2  # KIND values
EVALUATED_KINDS = (AlarmRule.Kind.HIGH, AlarmRule.Kind.LOW, AlarmRule.Kind.RATE, AlarmRule.Kind.OUT_OF_RANGE)


class AlarmEngine:
    def __init__(self):
        self._sensors: dict[int, tuple[list[list], bool]] = {}  # sensor id -> (rules, has a rate rule)
        self._sign: dict[int, int] = {}  # rule id -> +1 (higher is worse) or -1
        self._previous: dict[int, tuple] = {}  # sensor id -> (ts, value), for rates of change

    def reload(self) -> None:
        """Load the enabled rules and which of them have an open alarm from the database."""
        self.load(*snapshot())

    def load(self, rules, open_alarms: dict | None = None) -> None:
        """Install ``rules`` as tuples (id, sensor_id, kind, threshold, deadband, on_delay_count, on_delay_seconds).

        ``open_alarms`` maps the ids of rules with an open alarm to that alarm's peak. Pending on-delays of rules
        whose setpoint did not change are kept.
        """
        open_alarms = open_alarms or {}
        pending = {rule[RID]: rule for rules, _ in self._sensors.values() for rule in rules}
        sensors: dict[int, tuple[list[list], bool]] = {}
        signs = {}
        for rid, sid, kind, threshold, deadband, count, seconds in rules:
            rule = _compile(rid, kind, threshold, deadband, count, seconds)
            if rule is None:
                continue
            old = pending.get(rid)
            if old is not None and old[SET] == rule[SET] and old[KIND] == rule[KIND]:
                rule[COUNT], rule[SINCE] = old[COUNT], old[SINCE]
            if rid in open_alarms:
                rule[ACTIVE] = True
                peak = open_alarms[rid]
                rule[WORST] = rule[SIGN] * peak if peak is not None else rule[SET]
            signs[rid] = rule[SIGN]
            rules_of_sensor, has_rate = sensors.get(sid, ([], False))
            rules_of_sensor.append(rule)
            sensors[sid] = (rules_of_sensor, has_rate or rule[KIND] == RATE_OF_CHANGE)
        self._sensors, self._sign = sensors, signs

    def evaluate(self, readings) -> list[tuple]:
        """Events ``(event, sensor_id, rule_id, ts, value)`` for readings ``(sensor_id, ts, value, out_of_range)``.

        ``event`` is "raise", "clear" or "peak" (a worse value while raised); for rate rules ``value`` is the
        rate per minute. Pure and in memory: the engine's own state moves on, the database is not touched.
        """
        events = []
        emit = events.append
        sensors = self._sensors
        previous = self._previous
        for sid, ts, value, out_of_range in readings:
            entry = sensors.get(sid)
            if entry is None:
                continue
            rules, has_rate = entry
            if has_rate:
                before = previous.get(sid)
                if not out_of_range:  # a rate is taken between readings the detector could measure
                    previous[sid] = (ts, value)
            for rule in rules:
                kind = rule[KIND]
                if kind == LIMIT:
                    x = value
                elif kind == RANGE_FAULT:
                    x = 1.0 if out_of_range else 0.0
                else:
                    if out_of_range or before is None:
                        continue
                    minutes = (ts - before[0]).total_seconds() / 60
                    if minutes <= 0:
                        continue
                    x = (value - before[1]) / minutes
                y = rule[SIGN] * x
                if rule[ACTIVE]:
                    if y < rule[CLEAR_AT]:
                        rule[ACTIVE] = False
                        emit((CLEAR, sid, rule[RID], ts, value if kind == RANGE_FAULT else x))
                    elif y > rule[WORST]:
                        rule[WORST] = y
                        emit((PEAK, sid, rule[RID], ts, x))
                elif y >= rule[SET]:
                    count = rule[COUNT] + 1
                    rule[COUNT] = count
                    if count == 1:
                        rule[SINCE] = ts
                    if count >= rule[N] and (not rule[SECS] or (ts - rule[SINCE]).total_seconds() >= rule[SECS]):
                        rule[ACTIVE], rule[COUNT], rule[WORST] = True, 0, y
                        emit((RAISE, sid, rule[RID], ts, value if kind == RANGE_FAULT else x))
                elif rule[COUNT]:
                    rule[COUNT] = 0
        return events

    def apply(self, events) -> list[Alarm]:
        """Persist the events: one transaction per raise or clear (audited, notified), peaks coalesced.

        Returns the alarms raised or cleared here; a raise another worker already made is skipped.
        """
        changed = []
        worst: dict[int, float] = {}
        for event, _sid, rid, ts, value in events:
            if event == PEAK:
                sign = self._sign.get(rid, 1)
                if rid not in worst or sign * value > sign * worst[rid]:
                    worst[rid] = value
                continue
            alarm = alarms.raise_alarm(rid, ts, value) if event == RAISE else alarms.clear_alarm(rid, ts, value)
            if alarm is not None:
                changed.append(alarm)
        for rid, value in worst.items():
            worse = {"peak__lt": value} if self._sign.get(rid, 1) > 0 else {"peak__gt": value}
            Alarm.objects.filter(rule_id=rid, active=True, state__in=ACTIVE_ALARM_STATES, **worse).update(peak=value)
        return changed


def snapshot() -> tuple[list[tuple], dict[int, float | None]]:
    """What ``reload`` reads: the evaluated rules as ``load`` takes them, and the open alarms' peaks by rule id.

    Separate from ``load`` so a worker can read it on another thread and install it between batches.
    """
    open_alarms = dict(Alarm.objects.filter(active=True, state__in=ACTIVE_ALARM_STATES).values_list("rule_id", "peak"))
    rules = AlarmRule.objects.filter(
        enabled=True, kind__in=EVALUATED_KINDS, sensor__active=True, sensor__device__active=True
    ).values_list("id", "sensor_id", "kind", "threshold", "deadband", "on_delay_count", "on_delay_seconds")
    return list(rules), open_alarms


def _compile(rid, kind, threshold, deadband, count, seconds) -> list | None:
    """A rule record; None for a limit without a threshold."""
    deadband = abs(deadband or 0.0)
    if kind == AlarmRule.Kind.OUT_OF_RANGE:
        code, sign, threshold, deadband = RANGE_FAULT, 1, 1.0, 0.5  # x is 1 out of range, 0 in range
    elif threshold is None:
        return None
    elif kind == AlarmRule.Kind.RATE:
        code, sign = RATE_OF_CHANGE, (1 if threshold > 0 else -1)
    else:
        code, sign = LIMIT, (1 if kind == AlarmRule.Kind.HIGH else -1)
    setpoint = sign * threshold
    return [rid, code, sign, setpoint, setpoint - deadband, max(count, 1), seconds, False, 0, None, setpoint]
