"""Export a public collection with its whole public tree as an EAD3 finding aid."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from lxml import etree

from archive.interchange.ead import collection_finding_aid
from archive.models import Collection


class Command(BaseCommand):
    help = (
        "Write the EAD3 finding aid of a public collection (the same as "
        "/collections/IDENTIFIER/ead.xml): its public units, nested, and their public documents."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("identifier", help="the collection's identifier (rgani-f52)")
        parser.add_argument("--output", "-o", help="file to write (default: standard output)")

    def handle(self, *args: Any, **options: Any) -> None:
        identifier = options["identifier"]
        root = collection_finding_aid(identifier)
        if root is None:
            exists = Collection.objects.filter(identifier=identifier).exists()
            problem = (
                "is not public (draft, in review, withdrawn or restricted)"
                if exists
                else ("does not exist")
            )
            raise CommandError(f"identifier: the collection “{identifier}” {problem}.")
        body = etree.tostring(root, xml_declaration=True, encoding="utf-8", pretty_print=True)
        if options["output"]:
            Path(options["output"]).write_bytes(body)
            self.stderr.write(f"Wrote {options['output']} ({len(body)} bytes).")
        else:
            self.stdout.write(body.decode("utf-8"), ending="")
