from django import forms
from django.contrib import messages
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from semipark.core import throttle


class ThrottledLoginForm(AuthenticationForm):
    """Django's login form, refusing further attempts after repeated failures."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "locked_out": _("Too many failed sign-in attempts. Try again later."),
    }

    def clean(self):
        username = self.cleaned_data.get("username") or ""
        ip = throttle.client_ip(self.request) if self.request else ""
        if throttle.locked_out(username, ip):
            raise forms.ValidationError(self.error_messages["locked_out"], code="locked_out")
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            throttle.failed(username, ip)
            raise
        throttle.succeeded(username, ip)
        return cleaned


def submit_model_form(request, form: forms.ModelForm, instance, save):
    """After a valid POST, save through ``save(target)`` (a scoped, audited service) and return the saved object.

    Returns None when there is nothing to save or the form has errors; a model error raised by the service is
    put on the form instead of becoming a server error. The form has already written its values onto
    ``instance`` and the service must compare with the stored row, so an edit starts again from the database.
    """
    if request.method != "POST" or not form.is_valid():
        return None
    target = instance if instance._state.adding else type(instance)._base_manager.get(pk=instance.pk)
    try:
        save(target)
    except ValidationError as exc:
        form.add_error(None, exc)
        return None
    messages.success(request, gettext("Saved %(name)s.") % {"name": target})
    return target
