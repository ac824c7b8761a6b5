from django.urls import path

from documents import genealogy

app_name = "genealogies"

urlpatterns = [
    path("", genealogy.genealogy_list, name="list"),
    path("<identifier:identifier>/", genealogy.genealogy_detail, name="detail"),
]
