from django.urls import path

from . import views

app_name = "market"
urlpatterns = [
    path("", views.home, name="home"),
    path("mine/", views.mine, name="mine"),
    path("notices/read/", views.notices_read, name="notices-read"),
    path("products/new/", views.product_form, name="product-create"),
    path("products/<int:pk>/", views.product_detail, name="product"),
    path("products/<int:pk>/edit/", views.product_form, name="product-edit"),
    path("files/<int:pk>/", views.product_file, name="product-file"),
    path("listings/new/", views.listing_create, name="listing-create"),
    path("listings/<int:pk>/", views.listing_detail, name="listing"),
    path("rfqs/", views.rfq_list, name="rfqs"),
    path("rfqs/new/", views.rfq_create, name="rfq-create"),
    path("rfqs/<int:pk>/", views.rfq_detail, name="rfq"),
    path("rfqs/<int:pk>/answer/", views.rfq_answer, name="rfq-answer"),
    path("rfqs/<int:pk>/award/", views.rfq_award, name="rfq-award"),
    path("orders/", views.order_list_page, name="orders"),
    path("orders/export.xlsx", views.order_export, name="order-export"),
    path("orders/<int:pk>/", views.order_detail, name="order"),
    path("orders/<int:pk>/<slug:action>/", views.order_action, name="order-action"),
    path("office/", views.office, name="office"),
]
