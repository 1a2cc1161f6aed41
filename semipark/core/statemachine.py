"""Explicit state machines: a table of allowed transitions and one function that applies them.

A transition names the states it leaves from, the state it goes to, and the parties that may take it
(a party is a word the owning model defines, such as "buyer", "seller" or "office"). Anything else is
refused with :class:`TransitionRefused`, and nothing is written.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from . import audit
from .models import AuditEntry


class TransitionRefused(Exception):
    """The action is not allowed from the object's state, or not for this party."""

    def __init__(self, message: str, *, state: str = "", action: str = "", allowed_parties=()):
        super().__init__(message)
        self.state = state
        self.action = action
        self.allowed_parties = tuple(allowed_parties)


@dataclass(frozen=True)
class Transition:
    sources: frozenset[str]
    target: str
    parties: frozenset[str]
    label: str = ""
    needs_note: bool = False


@dataclass
class StateMachine:
    """Transitions by action name, over the model field ``state_field``."""

    transitions: dict[str, Transition]
    state_field: str = "status"
    state_labels: Callable[[str], str] = field(default=lambda s: s)

    def available(self, state: str, parties: Iterable[str]) -> list[str]:
        """Actions the given parties may take from ``state``."""
        parties = set(parties)
        return [a for a, t in self.transitions.items() if state in t.sources and parties & t.parties]

    def check(self, obj, action: str, parties: Iterable[str], note: str = "") -> Transition:
        state = getattr(obj, self.state_field)
        transition = self.transitions.get(action)
        if transition is None:
            raise TransitionRefused(_("Unknown action “%(action)s”.") % {"action": action}, action=action)
        if state not in transition.sources:
            raise TransitionRefused(
                _("Cannot %(action)s: the %(model)s is %(state)s.")
                % {
                    "action": transition.label or action,
                    "model": type(obj)._meta.verbose_name,
                    "state": self.state_labels(state),
                },
                state=state,
                action=action,
                allowed_parties=transition.parties,
            )
        if not set(parties) & transition.parties:
            raise TransitionRefused(
                _("Only %(parties)s may %(action)s.")
                % {"parties": " / ".join(sorted(transition.parties)), "action": transition.label or action},
                state=state,
                action=action,
                allowed_parties=transition.parties,
            )
        if transition.needs_note and not note.strip():
            raise TransitionRefused(
                _("A reason is required to %(action)s.") % {"action": transition.label or action},
                state=state,
                action=action,
            )
        return transition

    def apply(self, obj, action: str, user, parties: Iterable[str], note: str = "", **changes):
        """Lock the row, check the transition, save the new state and ``changes``, and audit it."""
        with transaction.atomic():
            locked = type(obj)._base_manager.select_for_update().get(pk=obj.pk)
            transition = self.check(locked, action, parties, note)
            before = audit.snapshot(locked)
            setattr(locked, self.state_field, transition.target)
            for name, value in changes.items():
                setattr(locked, name, value)
            locked.save()
            audit.record(
                user,
                AuditEntry.Kind.TRANSITION,
                locked,
                before=before,
                after=audit.snapshot(locked),
                message=f"{action}: {note}".strip().rstrip(":"),
            )
        return locked
