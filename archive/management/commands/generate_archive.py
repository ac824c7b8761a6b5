"""Generate a synthetic archive for benchmarks and scale tests (see ``bench/generator.py``)."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from bench.generator import GeneratorError, estimate_seconds, generate


def _duration(seconds: float) -> str:
    minutes, seconds = divmod(round(seconds), 60)
    return f"{minutes} min {seconds:02d} s" if minutes else f"{seconds} s"


class Command(BaseCommand):
    help = (
        "Add a realistic synthetic archive (repositories, collection trees, agents, documents "
        "with texts in three scripts, marker words at known frequencies) to the database. "
        "Deterministic for a seed; writes a JSON manifest of what it planted."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--documents", type=int, default=10_000, help="documents (10000)")
        parser.add_argument(
            "--agents", type=int, help="agents (default: a tenth of the documents, at least 10)"
        )
        parser.add_argument("--seed", type=int, default=1, help="random seed (1)")
        parser.add_argument(
            "--manifest",
            help="where to write the JSON manifest (default: var/generated-g<seed>.json)",
        )
        parser.add_argument(
            "--no-history", action="store_true", help="write no history entries (faster)"
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=min(2, os.cpu_count() or 1),
            help="processes writing documents (default: 2, or 1 on a single core)",
        )
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(self, *args: Any, **options: Any) -> None:
        documents = options["documents"]
        agents = options["agents"] if options["agents"] is not None else max(10, documents // 10)
        show = not options["no_progress"] and options["verbosity"] > 0
        with _Progress(enabled=show) as progress:
            try:
                manifest = generate(
                    documents,
                    agents,
                    options["seed"],
                    history=not options["no_history"],
                    workers=options["workers"],
                    progress=progress.update,
                )
            except GeneratorError as exc:
                raise CommandError(str(exc)) from exc
        path = Path(
            options["manifest"] or Path(settings.VAR_DIR) / f"generated-{manifest.prefix}.json"
        )
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(manifest.as_json(), ensure_ascii=False, indent=2) + "\n")
        rate = manifest.documents_per_second
        self.stdout.write(
            self.style.SUCCESS(
                f"Generated {documents:,} documents and {agents:,} agents in "
                f"{_duration(manifest.seconds)} ({rate:,.0f} documents/s); manifest: {path}"
            )
        )
        phases = ", ".join(f"{name} {seconds:.1f} s" for name, seconds in manifest.phases.items())
        self.stdout.write(f"Phases: {phases}")
        self.stdout.write(
            "At this rate (agents at a tenth of the documents): 100,000 documents in about "
            f"{_duration(estimate_seconds(manifest, 100_000))}, 1,000,000 in about "
            f"{_duration(estimate_seconds(manifest, 1_000_000))}."
        )
        self.stdout.write(
            f"Processor time {_duration(manifest.cpu_seconds)} in {manifest.workers} writing "
            f"process(es), the database server's not counted."
        )


def _rate_column() -> Any:
    """Records per second of the current phase."""
    from rich.progress import ProgressColumn
    from rich.text import Text

    class RateColumn(ProgressColumn):
        def render(self, task: Any) -> Text:
            return Text(f"{task.speed or 0:>8,.0f}/s")

    return RateColumn()


class _Progress:
    """A rich progress bar per phase, with the rate and the estimated time left."""

    def __init__(self, *, enabled: bool) -> None:
        self.enabled = enabled
        self.tasks: dict[str, Any] = {}

    def __enter__(self) -> _Progress:
        if self.enabled:
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                TextColumn,
                TimeElapsedColumn,
                TimeRemainingColumn,
            )

            self.bar = Progress(
                TextColumn("{task.description:<12}"),
                BarColumn(),
                MofNCompleteColumn(),
                _rate_column(),
                TimeElapsedColumn(),
                TextColumn("ETA"),
                TimeRemainingColumn(),
            )
            self.bar.__enter__()
        return self

    def update(self, phase: str, done: int, total: int) -> None:
        if not self.enabled:
            return
        if phase not in self.tasks:
            self.tasks[phase] = self.bar.add_task(phase, total=total)
        self.bar.update(self.tasks[phase], completed=done)

    def __exit__(self, *exc: object) -> None:
        if self.enabled:
            self.bar.__exit__(*exc)
