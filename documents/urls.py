from django.urls import path

from documents import views

app_name = "documents"

urlpatterns = [
    path("", views.document_list, name="list"),
    path("publications/<identifier:identifier>/", views.publication_detail, name="publication"),
    path("<identifier:identifier>/", views.document_detail, name="detail"),
    path("<identifier:identifier>/compare/", views.document_compare, name="compare"),
    path("<identifier:identifier>/cite.<str:suffix>", views.document_citation, name="citation"),
]
