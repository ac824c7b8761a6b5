"""Partner API routes for agents and their relations (``api:`` namespace)."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from people import network_views
from people.api import views

router = SimpleRouter()
router.register("agents", views.AgentViewSet, basename="agent")
router.register("agent-relations", views.AgentRelationViewSet, basename="agentrelation")

urlpatterns = [
    path("network/", network_views.network_api, name="network"),
    path("network/connection/", network_views.connection_api, name="network-connection"),
    *router.urls,
]
