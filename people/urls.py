from django.urls import path

from people import views

app_name = "people"

urlpatterns = [
    path("", views.agent_list, name="list"),
    path("<str:identifier>/", views.agent_detail, name="detail"),
]
