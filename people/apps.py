from django.apps import AppConfig


class PeopleConfig(AppConfig):
    """Agents (persons, organizations, families), their names, offices and relations."""

    name = "people"
    verbose_name = "People and organizations"
