"""Derived fields, kept current on every save, including fixture loads (``raw`` saves).

Fixtures load through ``Model.save_base(raw=True)``, which skips ``Model.save()``; a ``pre_save``
receiver is the one hook that runs on every path, so derived values (date bounds, tree paths,
checksums, version numbers) are computed here and nowhere else.
"""

from typing import Any

from django.db.models import F, Value
from django.db.models.functions import Concat, Substr
from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver
from django.utils import timezone

from archive.models import Collection, Publishable


@receiver(pre_save)
def derive_fields(sender: type, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    """Call ``derive_fields()`` on any model that has it; count versions of edited records."""
    derive = getattr(instance, "derive_fields", None)
    if derive is not None:
        derive()
    if isinstance(instance, Publishable):
        count_version(instance, raw=raw)
    if isinstance(instance, Collection):
        instance._previous_tree_path = (
            Collection.objects.filter(pk=instance.pk).values_list("tree_path", flat=True).first()
            if instance.pk
            else None
        )


def count_version(instance: Publishable, *, raw: bool) -> None:
    """Number each saved state of a record: the version stored so far, plus one.

    The count starts from the database, not from the instance, so a save of an older copy (a
    revert to a historical version, a fixture reload) still moves the version forward. Raw
    (fixture) saves skip ``auto_now``, so their timestamps are set here too.
    """
    previous = (
        type(instance).objects.filter(pk=instance.pk).values_list("created_at", "version").first()
        if instance.pk is not None
        else None
    )
    instance.version = previous[1] + 1 if previous else 1
    if raw:
        now = timezone.now()
        instance.created_at = previous[0] if previous else now
        instance.updated_at = now


@receiver(post_save, sender=Collection)
def complete_tree_path(sender: type, instance: Collection, **kwargs: Any) -> None:
    """Finish a new unit's path with its own pk, and carry a moved unit's subtree with it."""
    if not instance.tree_path.endswith(f"/{instance.pk}/"):
        parent_path = (
            Collection.objects.filter(pk=instance.parent_id)
            .values_list("tree_path", flat=True)
            .get()
            if instance.parent_id
            else "/"
        )
        instance.tree_path = f"{parent_path}{instance.pk}/"
        Collection.objects.filter(pk=instance.pk).update(tree_path=instance.tree_path)
    old = getattr(instance, "_previous_tree_path", None)
    if old and old != instance.tree_path:
        depth_change = instance.tree_path.count("/") - old.count("/")
        Collection.objects.filter(tree_path__startswith=old).exclude(pk=instance.pk).update(
            tree_path=Concat(Value(instance.tree_path), Substr("tree_path", len(old) + 1)),
            depth=F("depth") + depth_change,
        )
