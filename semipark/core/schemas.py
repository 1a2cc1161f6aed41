from datetime import datetime

from ninja import Schema


class Message(Schema):
    message: str


class FieldErrors(Schema):
    message: str
    errors: dict[str, list[str]] = {}


class TokenIn(Schema):
    username: str
    password: str
    name: str = "api"


class TokenOut(Schema):
    token: str
    expires: datetime


class EnterpriseRef(Schema):
    id: int
    name: str
    short_name: str


class MeOut(Schema):
    id: int
    username: str
    name: str
    role: str
    role_label: str
    department: str
    enterprise: EnterpriseRef | None


class AuditOut(Schema):
    id: int
    at: datetime
    username: str
    request_id: str
    kind: str
    model: str
    object_id: str
    object_repr: str
    enterprise_id: int | None
    before: dict | None
    after: dict | None
    message: str
