"""Partner API routes for agents and their relations (``api:`` namespace)."""

from rest_framework.routers import SimpleRouter

from people.api import views

router = SimpleRouter()
router.register("agents", views.AgentViewSet, basename="agent")
router.register("agent-relations", views.AgentRelationViewSet, basename="agentrelation")

urlpatterns = router.urls
