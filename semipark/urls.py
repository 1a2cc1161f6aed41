from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from semipark.api import api
from semipark.web.views import LoginView

urlpatterns = [
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("login/", LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", include("semipark.web.urls")),
    path("park/", include("semipark.park.urls")),
    path("supervision/", include("semipark.supervision.urls")),
    path("market/", include("semipark.market.urls")),
    path("trace/", include("semipark.trace.urls")),
]
