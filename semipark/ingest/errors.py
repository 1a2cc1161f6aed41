"""What can be wrong with a telemetry message; each error maps to a dead-letter reason."""

from semipark.supervision.models import DeadLetter


class IngestError(Exception):
    """A message, or one item of it, the pipeline cannot take. ``reason`` is the dead-letter reason."""

    reason = DeadLetter.Reason.BAD_SHAPE

    def __init__(self, detail: str):
        super().__init__(detail)
        self.detail = detail


class DecodeError(IngestError):
    reason = DeadLetter.Reason.UNDECODABLE


class BadShape(IngestError):
    reason = DeadLetter.Reason.BAD_SHAPE


class BadTopic(IngestError):
    reason = DeadLetter.Reason.BAD_TOPIC


class UnknownDevice(IngestError):
    reason = DeadLetter.Reason.UNKNOWN_DEVICE


class UnknownSensor(IngestError):
    reason = DeadLetter.Reason.UNKNOWN_KEY


class BadTimestamp(IngestError):
    reason = DeadLetter.Reason.BAD_TIMESTAMP


class BadValue(IngestError):
    reason = DeadLetter.Reason.BAD_VALUE
