from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("audit/", views.audit_log, name="audit"),
    path("account/", views.account, name="account"),
    path("account/tokens/", views.issue_token, name="issue-token"),
    path("account/tokens/<int:token_id>/revoke/", views.revoke_token, name="revoke-token"),
    path(
        "account/password/",
        auth_views.PasswordChangeView.as_view(
            template_name="web/password_change.html", success_url="/account/?password=changed"
        ),
        name="password-change",
    ),
]
