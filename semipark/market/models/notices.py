"""In-app notices to an enterprise (a matching demand, a new RFQ, a quote, an order step)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from semipark.core.scoping import ScopedModel


class Notice(ScopedModel):
    office_staff_actions = frozenset()
    regulator_departments = frozenset()

    enterprise = models.ForeignKey(
        "park.Enterprise", verbose_name=_("enterprise"), on_delete=models.CASCADE, related_name="market_notices"
    )
    kind = models.CharField(_("kind"), max_length=20)
    text = models.CharField(_("text"), max_length=300)
    url = models.CharField(_("link"), max_length=200, blank=True)
    read = models.BooleanField(_("read"), default=False)
    created = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        ordering = ["-created", "-id"]
        indexes = [models.Index(fields=["enterprise", "read"], name="notice_unread_idx")]

    def __str__(self):
        return self.text
