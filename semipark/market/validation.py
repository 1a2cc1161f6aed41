"""Gathering the errors of every row of a nested payload, so one answer names all of them."""

from django.core.exceptions import ValidationError


def collect(errors: dict[str, list[str]], prefix: str, exc: ValidationError) -> None:
    """Add ``exc``'s messages to ``errors`` under ``prefix.<field>`` (``items.2.quantity``)."""
    for name, messages in exc.message_dict.items():
        errors.setdefault(f"{prefix}.{name}", []).extend(messages)


def raise_if(errors: dict[str, list[str]]) -> None:
    if errors:
        raise ValidationError(errors)
