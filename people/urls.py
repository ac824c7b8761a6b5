from django.urls import path

from documents.event_views import agent_chronology_page
from people import network_views, views

app_name = "people"

urlpatterns = [
    path("", views.agent_list, name="list"),
    path("network/", network_views.network_page, name="network"),
    path("network/connection/", network_views.connection_page, name="connection"),
    path("<identifier:identifier>/", views.agent_detail, name="detail"),
    path("<identifier:identifier>/chronology/", agent_chronology_page, name="chronology"),
]
