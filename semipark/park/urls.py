from django.urls import path

from . import views

app_name = "park"
urlpatterns = [
    path("", views.park_overview, name="overview"),
    path("enterprises/", views.enterprise_list, name="enterprise-list"),
    path("enterprises/new/", views.enterprise_create, name="enterprise-create"),
    path("enterprises/export/", views.enterprise_export, name="enterprise-export"),
    path("enterprises/import/", views.enterprise_import, name="enterprise-import"),
    path("enterprises/<int:pk>/", views.enterprise_detail, name="enterprise-detail"),
    path("enterprises/<int:pk>/edit/", views.enterprise_edit, name="enterprise-edit"),
    path("enterprises/<int:pk>/private/", views.enterprise_private, name="enterprise-private"),
    path("enterprises/<int:enterprise_id>/contacts/new/", views.contact_create, name="contact-create"),
    path("contacts/<int:pk>/edit/", views.contact_edit, name="contact-edit"),
    path("contacts/<int:pk>/delete/", views.contact_delete, name="contact-delete"),
    path("my/", views.my_enterprise, name="my-enterprise"),
    path("chain/", views.chain, name="chain"),
    path("site-plan/", views.site_plan, name="site-plan"),
    path("facilities/", views.facilities, name="facilities"),
]
