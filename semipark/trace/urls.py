from django.urls import path

from . import views

app_name = "trace"
urlpatterns = [
    path("", views.lot_list, name="home"),
    path("lots/new/", views.lot_create, name="lot-create"),
    path("lots/<int:pk>/", views.lot_detail, name="lot-detail"),
    path("lots/<int:pk>/graph/", views.lot_graph, name="lot-graph"),
    path("lots/<int:pk>/label/", views.lot_label, name="lot-label"),
    path("lots/<int:pk>/label.png", views.lot_label_png, name="lot-label-png"),
    path("transform/", views.transform, name="transform"),
    path("shipments/", views.shipment_list, name="shipment-list"),
    path("shipments/new/", views.shipment_create, name="shipment-create"),
    path("shipments/<int:pk>/", views.shipment_detail, name="shipment-detail"),
    path("licences/", views.licence_list, name="licence-list"),
    path("export-control/", views.export_control, name="export-control"),
    path("balance/", views.balance_page, name="balance"),
    path("balance/export/", views.balance_export, name="balance-export"),
]
