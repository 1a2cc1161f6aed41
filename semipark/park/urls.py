from django.urls import path

from . import views

app_name = "park"
urlpatterns = [
    path("enterprises/", views.enterprise_list, name="enterprise-list"),
    path("enterprises/export/", views.enterprise_export, name="enterprise-export"),
    path("enterprises/import/", views.enterprise_import, name="enterprise-import"),
    path("enterprises/<int:pk>/", views.enterprise_detail, name="enterprise-detail"),
    path("enterprises/<int:pk>/private/", views.enterprise_private, name="enterprise-private"),
    path("my/", views.my_enterprise, name="my-enterprise"),
    path("chain/", views.chain, name="chain"),
    path("site-plan/", views.site_plan, name="site-plan"),
    path("facilities/", views.facilities, name="facilities"),
]
