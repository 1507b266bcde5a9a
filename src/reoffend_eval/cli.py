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
    format: str = typer.Option("parquet", help="parquet or csv."),
) -> None:
    """Write a synthetic cohort (every table of the data contract) to a folder."""
    from . import synthetic

    try:
        data = synthetic.generate(
            programme=programme, n_participants=n_participants, n_comparison=n_comparison,
            seed=seed, effect=effect,
        )
        written = data.to_folder(out, format=format)
    except (ContractError, ValueError) as exc:
        _fail(str(exc))
    for name, path in written.items():
        typer.echo(f"{name:<13} {len(getattr(data, name)):>10,} rows  {path}")


def main() -> None:  # pragma: no cover - console entry point
    app()


@app.command()
def validate(
    folder: Path = typer.Argument(..., help="Folder holding the tables (participants.csv, offences.parquet, ...)."),
    programme: str = typer.Option(None, help="Programme analysed (DRIVE, Up2U or Turnaround): checks contamination against it."),
    out: Path = typer.Option(None, help="Folder for quarantine.csv and validation.json (default: FOLDER/validation)."),
    extract_date: str = typer.Option(None, help="Date the data were extracted, YYYY-MM-DD (default: today)."),
    dayfirst: bool = typer.Option(False, "--dayfirst", help="Read slashed dates as DD/MM/YYYY (UK)."),
    encoding: str = typer.Option(None, help="Text encoding of CSV files (e.g. cp1252 for Excel on Windows)."),
    strict: bool = typer.Option(False, "--strict", help="Exit non-zero when any row is set aside (for pipelines)."),
) -> None:
    """Check the tables against the validation suites; write quarantine.csv and validation.json.

    Exits 2 when the data cannot be used at all (a fatal problem), 1 with --strict when rows
    were set aside, 0 otherwise.
    """
    import json

    from .data import load
    from .validate import validate as run_validation

    try:
        data = load(folder, dayfirst=True if dayfirst else None, encoding=encoding)
        result = run_validation(data, extract_date=extract_date, programme=programme)
    except (ContractError, ValueError) as exc:
        _fail(str(exc))
    target = out if out is not None else Path(folder) / "validation"
    target.mkdir(parents=True, exist_ok=True)
    result.quarantine.to_csv(target / "quarantine.csv", index=False)
    (target / "validation.json").write_text(json.dumps(result.to_dict(), indent=2) + "\n", encoding="utf-8")
    typer.echo(f"extract date {result.extract_date:%Y-%m-%d}" + (f", programme {programme}" if programme else ""))
    typer.echo(f"{'table':<13} {'rows in':>10} {'clean':>10} {'set aside':>10} {'flagged':>10}")
    for name, row in result.counts.iterrows():
        typer.echo(f"{name:<13} {row.rows_in:>10,} {row.clean:>10,} {row.set_aside:>10,} {row.flagged:>10,}")
    failing = result.summary[result.summary["rows_failing"] > 0]
    if len(failing):
        typer.echo("\nrules failing:")
        for r in failing.itertuples():
            typer.echo(f"  {r.severity:<8} {r.table:<13} {r.rule} ({r.rows_failing:,} rows; e.g. {r.examples})")
    for note in result.warnings:
        typer.secho(f"warning: {note}", fg=typer.colors.YELLOW)
    typer.echo(f"\nwrote {target / 'quarantine.csv'} and {target / 'validation.json'}")
    if strict and not result.ok:
        typer.secho("error: rows were set aside (--strict)", fg=typer.colors.RED, err=True)
        raise typer.Exit(1)
