"""The editorial workflow: who may move a record between draft, review, published, withdrawn.

Three groups, kept in step with the models by :func:`setup_groups` (run after every migrate):

* **Contributor** — views, adds and changes records while they are drafts or in review, and
  submits them for review. Cannot publish, withdraw, restrict or delete.
* **Reviewer** — everything a contributor may do, plus publish, withdraw, restrict, send back
  to draft with a comment, and delete.
* **Administrator** — every permission on the archive's records, plus users and groups.

"May publish" is a per-model permission ``publish_<model>``, so an installation can give a
reviewer rights over documents but not over people, for example.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db.models import Model

from archive.models import PublicationStatus, Publishable

CONTENT_APPS = ("archive", "documents", "people")
CONTRIBUTOR, REVIEWER, ADMINISTRATOR = "Contributor", "Reviewer", "Administrator"

# statuses a contributor may give a record, and the statuses in which they may still edit it
CONTRIBUTOR_STATUSES = (PublicationStatus.DRAFT, PublicationStatus.REVIEW)
# models only administrators manage (partner API keys), and the apps of access tokens they issue
ADMINISTRATOR_ONLY = frozenset({"partnerkey"})
ADMINISTRATOR_APPS = ("authtoken",)


def content_models() -> list[type[Model]]:
    """The archive's own models (history tables excluded)."""
    return [
        model
        for app in CONTENT_APPS
        for model in apps.get_app_config(app).get_models()
        if not model.__name__.startswith("Historical")
    ]


def publish_codename(model: type[Model]) -> str:
    return f"publish_{model._meta.model_name}"


def can_publish(user: Any, model: type[Model]) -> bool:
    """Whether ``user`` may publish, withdraw and restrict records of ``model``."""
    return user.has_perm(f"{model._meta.app_label}.{publish_codename(model)}")


def may_edit(user: Any, obj: Publishable) -> bool:
    """Contributors edit drafts and records in review; reviewers edit anything."""
    return can_publish(user, type(obj)) or obj.status in CONTRIBUTOR_STATUSES


def ensure_publish_permissions() -> None:
    """Create ``publish_<model>`` for every publishable model (idempotent)."""
    for model in content_models():
        if issubclass(model, Publishable):
            Permission.objects.get_or_create(
                codename=publish_codename(model),
                content_type=ContentType.objects.get_for_model(model),
                defaults={"name": f"Can publish, withdraw or restrict {model._meta.verbose_name}"},
            )


def setup_groups() -> dict[str, int]:
    """Create the three groups and give each exactly its permissions; returns their sizes."""
    ensure_publish_permissions()
    models = content_models()
    content_types = ContentType.objects.get_for_models(*models).values()
    perms = Permission.objects.filter(content_type__in=content_types).select_related("content_type")
    by_action: dict[str, list[Permission]] = {}
    for perm in perms:
        if perm.content_type.model in ADMINISTRATOR_ONLY:
            continue
        by_action.setdefault(perm.codename.split("_", 1)[0], []).append(perm)
    contributor = by_action.get("view", []) + by_action.get("add", []) + by_action.get("change", [])
    reviewer = contributor + by_action.get("delete", []) + by_action.get("publish", [])
    administrator = (
        list(perms)
        + list(
            Permission.objects.filter(
                content_type__app_label="auth", codename__regex=r"_(user|group)$"
            )
        )
        + list(Permission.objects.filter(content_type__app_label__in=ADMINISTRATOR_APPS))
    )
    sizes = {}
    for name, group_perms in (
        (CONTRIBUTOR, contributor),
        (REVIEWER, reviewer),
        (ADMINISTRATOR, administrator),
    ):
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(group_perms)
        sizes[name] = len(group_perms)
    return sizes


def setup_after_migrate(**kwargs: Any) -> None:
    """post_migrate receiver: permissions for every app exist by now, so build the groups."""
    from django.contrib.auth.management import create_permissions
    from django.contrib.contenttypes.management import create_contenttypes

    for app in (*CONTENT_APPS, *ADMINISTRATOR_APPS):
        config = apps.get_app_config(app)
        create_contenttypes(config, verbosity=0)
        create_permissions(config, verbosity=0)
    setup_groups()
