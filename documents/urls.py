from django.urls import path

from documents import views

app_name = "documents"

urlpatterns = [
    path("", views.document_list, name="list"),
    path("publications/<str:identifier>/", views.publication_detail, name="publication"),
    path("<str:identifier>/", views.document_detail, name="detail"),
    path("<str:identifier>/compare/", views.document_compare, name="compare"),
    path("<str:identifier>/cite.<str:suffix>", views.document_citation, name="citation"),
]
