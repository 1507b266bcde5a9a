"""The command line: ``reoffend-eval demo | synth | validate | evaluate``."""
from __future__ import annotations

from pathlib import Path

import typer

from .errors import ContractError

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Evaluate community-safety programmes (DRIVE, Up2U, Turnaround) against a matched comparison group.",
)


def _fail(message: str, code: int = 2) -> None:
    typer.secho(f"error: {message}", fg=typer.colors.RED, err=True)
    raise typer.Exit(code)


@app.command()
def synth(
    programme: str = typer.Option("DRIVE", help="DRIVE, Up2U or Turnaround."),
    out: Path = typer.Option(..., help="Folder to write the tables into."),
    n_participants: int = typer.Option(1000, help="Programme participants."),
    n_comparison: int = typer.Option(10000, help="People in the comparison pool."),
    seed: int = typer.Option(1, help="Random seed (same seed, same data)."),
    effect: float = typer.Option(0.75, help="True hazard ratio of reoffending for participants."),
    da_effect: float | None = typer.Option(
        None, help="True rate ratio of DA incidents for participants (default: the same as --effect)."
    ),
    format: str = typer.Option("parquet", help="parquet or csv."),
) -> None:
    """Write a synthetic cohort (every table of the data contract) to a folder."""
    from . import synthetic

    try:
        data = synthetic.generate(
            programme=programme, n_participants=n_participants, n_comparison=n_comparison,
            seed=seed, effect=effect, da_effect=da_effect,
        )
        written = data.to_folder(out, format=format)
    except (ContractError, ValueError) as exc:
        _fail(str(exc))
    for name, path in written.items():
        typer.echo(f"{name:<13} {len(getattr(data, name)):>10,} rows  {path}")


def main() -> None:  # pragma: no cover - console entry point
    app()
