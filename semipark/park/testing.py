"""Private objects of one enterprise for the cross-enterprise isolation walk (see core/tests/test_isolation.py)."""

from .models import Contact


def make_private(enterprise, marker: str) -> list:
    enterprise.private_notes = f"notes {marker}"
    enterprise.save(update_fields=["private_notes"])
    return [enterprise, Contact.objects.create(enterprise=enterprise, name=f"contact {marker}", phone=marker[:30])]
