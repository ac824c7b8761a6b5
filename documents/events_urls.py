from django.urls import path

from documents import event_views

app_name = "events"

urlpatterns = [
    path("", event_views.event_list, name="list"),
    path("<identifier:identifier>/", event_views.event_detail, name="detail"),
]
