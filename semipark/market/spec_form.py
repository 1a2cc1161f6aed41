"""Specification inputs for the pages, derived from the schemas in ``specs`` (one field list, no second copy).

Each kind gets a fieldset: ranges as from/to pairs, fixed choices as selects, impurity limits as "Cu=0.01, Fe=0.02".
What the user typed goes back to the schema unchanged, so the page shows the same per-field errors as the API.
"""

import types
import typing
from dataclasses import dataclass, field

from .specs import LABELS, SCHEMAS, Range


@dataclass
class SpecInput:
    name: str
    label: str
    widget: str  # text, number, choice, range, pairs
    required: bool
    choices: list = field(default_factory=list)
    value: object = ""
    low: object = ""
    high: object = ""


def inputs_for(kind: str, specs: dict | None = None) -> list[SpecInput]:
    specs = specs or {}
    inputs = []
    for name, info in SCHEMAS[kind].model_fields.items():
        annotation = _unwrap(info.annotation)
        label = str(LABELS.get(name, name))
        current = specs.get(name, "")
        if annotation is Range:
            current = current or {}
            inputs.append(
                SpecInput(
                    name, label, "range", info.is_required(), low=current.get("min", ""), high=current.get("max", "")
                )
            )
        elif typing.get_origin(annotation) is typing.Literal:
            inputs.append(
                SpecInput(name, label, "choice", info.is_required(), list(typing.get_args(annotation)), current)
            )
        elif typing.get_origin(annotation) is dict:
            text = ", ".join(f"{k}={v}" for k, v in (current or {}).items())
            inputs.append(SpecInput(name, label, "pairs", info.is_required(), value=text))
        else:
            widget = "number" if annotation in (int, float) else "text"
            inputs.append(SpecInput(name, label, widget, info.is_required(), value=current))
    return inputs


def specs_from(kind: str, data, prefix: str = "spec_") -> dict:
    """The specification typed into the inputs of ``kind`` (empty inputs left out; the schema judges the rest)."""
    specs = {}
    for spec in inputs_for(kind):
        key = prefix + spec.name
        if spec.widget == "range":
            bounds = {end: _number(data.get(f"{key}_{end}", "")) for end in ("min", "max")}
            bounds = {end: v for end, v in bounds.items() if v != ""}
            if bounds:
                specs[spec.name] = bounds
        elif spec.widget == "pairs":
            pairs = {}
            for part in data.get(key, "").replace(";", ",").split(","):
                if "=" in part:
                    symbol, _sep, amount = part.partition("=")
                    pairs[symbol.strip()] = _number(amount)
            if pairs:
                specs[spec.name] = pairs
        else:
            value = data.get(key, "").strip()
            if value != "":
                specs[spec.name] = _number(value) if spec.widget == "number" or _all_numbers(spec.choices) else value
    return specs


def all_inputs(specs_by_kind: dict | None = None) -> dict[str, list[SpecInput]]:
    specs_by_kind = specs_by_kind or {}
    return {kind: inputs_for(kind, specs_by_kind.get(kind)) for kind in SCHEMAS}


def _unwrap(annotation):
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        return args[0] if len(args) == 1 else annotation
    return annotation


def _all_numbers(choices) -> bool:
    return bool(choices) and all(isinstance(c, int | float) for c in choices)


def _number(text: str):
    """A number when the text reads as one, else the text itself (so the schema can say what is wrong)."""
    text = str(text).strip()
    try:
        number = float(text)
    except ValueError:
        return text
    return int(number) if number.is_integer() and "e" not in text.lower() and "." not in text else number
