"""The command line: ``reoffend-eval demo | synth | validate | evaluate | inspect``."""

from __future__ import annotations

import functools
import os
from pathlib import Path

import typer

from .errors import OutputError, UserError

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Evaluate community-safety programmes (DRIVE, Up2U, Turnaround) against a matched comparison group.",
)


def _fail(message: str, code: int = 2) -> None:
    typer.secho(f"error: {message}", fg=typer.colors.RED, err=True)
    raise typer.Exit(code)


def _user_errors(command):
    """A problem the user can fix is printed in a line or two and exits 2; a bug keeps its traceback."""

    @functools.wraps(command)
    def run(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except UserError as exc:
            _fail(str(exc))
        except OSError as exc:  # a file or folder the user named cannot be read or written
            where = f"{exc.filename}: " if exc.filename else ""
            _fail(f"{where}{exc.strerror or exc}")

    return run


def _writable_folder(folder: Path) -> Path:
    """Make ``folder`` (and check it can be written) before the long work, not after it."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        probe = folder / ".reoffend-eval-write-check"
        probe.write_text("", encoding="utf-8")
        probe.unlink()
    except OSError as exc:
        raise OutputError(
            f"cannot write results to {folder}: {exc.strerror or exc} (choose another --out folder)"
        ) from None
    return folder


def _private_text(path: Path, text: str) -> None:
    """Write a file holding identifiers readable and writable by its owner only (mode 0600)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.chmod(path, 0o600)  # an existing file keeps its old mode through os.open
    with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
        handle.write(text)


@app.command()
@_user_errors
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
            programme=programme,
            n_participants=n_participants,
            n_comparison=n_comparison,
            seed=seed,
            effect=effect,
            da_effect=da_effect,
        )
        written = data.to_folder(out, format=format)
    except ValueError as exc:  # the generator's own checks of its arguments
        _fail(str(exc))
    for name, path in written.items():
        typer.echo(f"{name:<13} {len(getattr(data, name)):>10,} rows  {path}")


def _print_evaluation(ev, written: dict) -> None:
    if len(ev.set_aside) and ev.set_aside["set_aside"].sum():
        typer.secho("\nRows set aside by validation (not used)", bold=True)
        for r in ev.set_aside[ev.set_aside["set_aside"] > 0].itertuples():
            typer.echo(
                f"  {r.table:<13} {r.set_aside:>8,} of {r.rows_in:>9,} ({r.share_set_aside:.0%}): {r.main_reasons}"
            )
    for w in ev.data_warnings:
        typer.secho(f"  ! {w}", fg=typer.colors.YELLOW, bold=True)
    typer.secho(f"\n{ev.programme}: strategy targets", bold=True)
    for a in ev.assessments:
        typer.echo(f"  {a.target.id:<6} {a.verdict.upper():<19} {a.target.description}")
        typer.echo(f"         {a.reason}")
    if ev.headlines:
        typer.secho("\nHeadlines", bold=True)
        for sentence in ev.headlines:
            typer.echo(f"  - {sentence}")
    if ev.warnings:
        typer.secho(f"\n{len(ev.warnings)} warnings (all in evaluation.json); the first:", bold=True)
        for w in ev.warnings[:5]:
            typer.echo(f"  ! {w}")
    folder = next(iter(written.values())).parent if written else None
    typer.echo(f"\nWritten to {folder}: " + ", ".join(sorted({p.name for p in written.values()})))


@app.command()
@_user_errors
def evaluate(
    config: Path = typer.Argument(..., help="The evaluation config (TOML)."),
    out: Path = typer.Option(Path("results"), help="Folder for the results."),
    report: bool = typer.Option(False, "--report", help="Also write report.html, evidence.md and evidence.docx."),
    history: Path = typer.Option(
        None, "--history", help="Run-history folder to record this run in (default: the config's history)."
    ),
    extract_date: str = typer.Option(
        None, help="Date the data were extracted, YYYY-MM-DD (overrides [data] extract_date in the config)."
    ),
) -> None:
    """Run the whole evaluation from a config file and write its tables, verdicts and provenance."""
    from .evaluate import evaluate as run_evaluation
    from .evaluate import read_config
    from .evaluate.config import with_extract_date
    from .report import write_report_files
    from .report.history import history_target, with_history

    settings = read_config(config)
    if extract_date is not None:
        settings = with_extract_date(settings, extract_date)
    _writable_folder(out)
    ev = run_evaluation(settings)
    where = history_target(ev, history, config)
    if where is not None:
        ev = with_history(ev, where[0], field=where[1])
    written = ev.write(out)
    if report:
        written.update(write_report_files(ev, out))
    _print_evaluation(ev, written)


@app.command()
@_user_errors
def demo(
    out: Path = typer.Option(Path("reoffend-eval-demo"), help="Folder for the synthetic data, config and results."),
    programme: str = typer.Option("DRIVE", help="DRIVE, Up2U or Turnaround."),
    n_participants: int = typer.Option(1500, help="Programme participants."),
    n_comparison: int = typer.Option(15000, help="People in the comparison pool."),
    seed: int = typer.Option(1, help="Random seed (same seed, same data)."),
    effect: float = typer.Option(0.7, help="True hazard ratio of reoffending for participants."),
    with_strategy: bool = typer.Option(
        False, "--strategy", help="All three programmes on synthetic data, and the strategy's scorecard."
    ),
) -> None:
    """Evaluate a programme end to end on built-in synthetic data with a known true effect."""
    from . import synthetic

    if with_strategy:
        _demo_strategy(out, n_participants, n_comparison, seed)
        return
    from .evaluate import evaluate as run_evaluation
    from .examples import write_example
    from .report import write_report_files

    try:
        data = synthetic.generate(
            programme=programme, n_participants=n_participants, n_comparison=n_comparison, seed=seed, effect=effect
        )
    except ValueError as exc:
        _fail(str(exc))
    truth = data.truth
    assert truth is not None  # synthetic.generate always records the truth
    _writable_folder(out)
    data.to_folder(out / "data")
    config_path = write_example(truth["programme"], out, extract_date=truth["extract_date"])
    typer.echo(f"Synthetic {truth['programme']} cohort (true hazard ratio {effect}) written to {out / 'data'}")
    ev = run_evaluation(config_path)
    written = ev.write(out / "results")
    written.update(write_report_files(ev, out / "results"))
    _print_evaluation(ev, written)
    typer.echo(
        f"\nTruth for checking: one-year reoffending difference {truth['att_risk_difference'] * 100:.1f} percentage "
        f"points, marginal hazard ratio {truth['att_marginal_hr']:.2f} among participants."
    )
    if truth["programme"] == "Turnaround":
        typer.echo(
            f"Children entering the youth justice system: difference {truth['att_first_time_entry_difference'] * 100:.1f}"
            f" percentage points; police contact: {truth['att_police_contact_difference'] * 100:.1f} percentage points."
        )
    else:
        typer.echo(
            f"Proven domestic-abuse reoffending: difference {truth['att_da_risk_difference'] * 100:.1f} percentage points."
        )
    typer.echo(
        f"Anti-social behaviour: incident rate ratio {truth['asb_effect']:.2f}, share with an incident "
        f"{truth['att_any_asb_difference'] * 100:.1f} percentage points."
    )


def _demo_strategy(out: Path, n_participants: int, n_comparison: int, seed: int) -> None:
    from .strategy import strategy as run_strategy
    from .strategy.demo import DEMO_EFFECTS, write_demo

    try:
        path = write_demo(out, n_participants=n_participants, n_comparison=n_comparison, seed=seed)
    except ValueError as exc:
        _fail(str(exc))
    truths = ", ".join(f"{p} {hr}" for p, hr in DEMO_EFFECTS.items())
    typer.echo(f"Synthetic DRIVE, Up2U and Turnaround cohorts (true hazard ratios {truths}) and {path} written")
    result = run_strategy(path, out=out / "results")
    written = result.write(out / "results")
    _print_strategy(result, written)


@app.command()
@_user_errors
def validate(
    folder: Path = typer.Argument(..., help="Folder holding the tables (participants.csv, offences.parquet, ...)."),
    programme: str = typer.Option(
        None, help="Programme analysed (DRIVE, Up2U or Turnaround): checks contamination against it."
    ),
    out: Path = typer.Option(None, help="Folder for quarantine.csv and validation.json (default: FOLDER/validation)."),
    extract_date: str = typer.Option(None, help="Date the data were extracted, YYYY-MM-DD (default: today)."),
    dayfirst: bool = typer.Option(False, "--dayfirst", help="Read slashed dates as DD/MM/YYYY (UK)."),
    encoding: str = typer.Option(None, help="Text encoding of CSV files (e.g. cp1252 for Excel on Windows)."),
    mapping: Path = typer.Option(
        None, help="Mapping file (TOML) for files in the county's own shape; `reoffend-eval inspect` drafts one."
    ),
    strict: bool = typer.Option(False, "--strict", help="Exit non-zero when any row is set aside (for pipelines)."),
    show_ids: bool = typer.Option(
        False, "--show-ids", help="Print person identifiers in the examples of failing rows (hidden by default)."
    ),
) -> None:
    """Check the tables against the validation suites; write quarantine.csv and validation.json.

    Exits 2 when the data cannot be used at all (a fatal problem), 1 with --strict when rows
    were set aside, 0 otherwise.
    """
    import json

    from .data import load
    from .validate import validate as run_validation

    target = _writable_folder(out if out is not None else Path(folder) / "validation")
    data = load(folder, mapping=mapping, dayfirst=True if dayfirst else None, encoding=encoding)
    result = run_validation(data, extract_date=extract_date, programme=programme)
    _private_text(target / "quarantine.csv", result.quarantine.to_csv(index=False))
    (target / "validation.json").write_text(json.dumps(result.to_dict(), indent=2) + "\n", encoding="utf-8")
    typer.echo(f"extract date {result.extract_date:%Y-%m-%d}" + (f", programme {programme}" if programme else ""))
    typer.echo(f"{'table':<13} {'rows in':>10} {'clean':>10} {'set aside':>10} {'flagged':>10}")
    for name, row in result.counts.iterrows():
        typer.echo(f"{name:<13} {row.rows_in:>10,} {row.clean:>10,} {row.set_aside:>10,} {row.flagged:>10,}")
    failing = result.summary[result.summary["rows_failing"] > 0]
    if len(failing):
        typer.echo("\nrules failing:")
        ids = set() if show_ids else set(result.quarantine["person_id"].dropna().astype(str))
        for r in failing.itertuples():
            examples = r.examples if show_ids else _without_ids(r.examples, ids)
            typer.echo(f"  {r.severity:<8} {r.table:<13} {r.rule} ({r.rows_failing:,} rows; e.g. {examples})")
    if len(result.recoded):
        typer.echo("\nvalues recoded by the mapping:")
        for r in result.recoded.itertuples():
            typer.echo(f"  {r.table:<13} {r.column:<15} {r.value!r} -> {r.code} ({r.rows:,} rows; {r.by})")
    for note in result.warnings:
        typer.secho(f"warning: {note}", fg=typer.colors.YELLOW)
    typer.echo(f"\nwrote {target / 'quarantine.csv'} and {target / 'validation.json'}")
    if result.fatal:
        _fail("the data cannot be evaluated: " + "; ".join(result.fatal))
    if strict and not result.ok:
        typer.secho("error: rows were set aside (--strict)", fg=typer.colors.RED, err=True)
        raise typer.Exit(1)


def _without_ids(text: str, ids: set[str]) -> str:
    """Examples of failing values with person identifiers hidden (``--show-ids`` shows them)."""
    if not ids or not text:
        return text
    return "; ".join(
        ", ".join("[id]" if _bare(part) in ids else part for part in example.split(", "))
        for example in text.split("; ")
    )


def _bare(part: str) -> str:
    return part.split("=", 1)[1] if "=" in part else part


@app.command()
@_user_errors
def inspect(
    folder: Path = typer.Argument(..., help="Folder holding the county's files (CSV, Excel, Parquet)."),
    programme: str = typer.Option(None, help="Programme the extract is for (DRIVE, Up2U or Turnaround)."),
    out: Path = typer.Option(Path("mapping.toml"), help="Where to write the drafted mapping file."),
    force: bool = typer.Option(False, "--force", help="Overwrite --out if it exists."),
) -> None:
    """Draft a mapping file for an unfamiliar extract: tables, columns, header rows, dates, codes.

    Prints what it could not decide; check every line of the draft before using it with
    `reoffend-eval validate FOLDER --mapping mapping.toml`.
    """
    from .data.inspect import inspect_folder

    if out.exists() and not force:
        _fail(f"{out} exists: pass --force to overwrite it, or another --out")
    draft = inspect_folder(folder, programme=programme)
    out.write_text(draft.toml, encoding="utf-8")
    for name, guess in draft.tables.items():
        where = guess.file + (f" [{guess.sheet}]" if guess.sheet else "")
        typer.echo(f"{name:<13} {where} (header on row {guess.header_row}; {len(guess.columns)} contract columns)")
    for source in draft.unused_sources:
        typer.echo(f"{'not used':<13} {source}")
    if draft.undecided:
        typer.secho("\ncould not decide:", bold=True)
        for note in draft.undecided:
            typer.secho(f"  ? {note}", fg=typer.colors.YELLOW)
    typer.echo(f"\nwrote {out}: check it, then `reoffend-eval validate {folder} --mapping {out}`")


def _print_strategy(result, written: dict) -> None:
    typer.secho(f"\n{result.title}", bold=True)
    for run in result.programmes:
        typer.echo(f"  {run.programme:<11} {'reused (inputs unchanged)' if run.reused else 'evaluated'}")
    for _, t in result.targets.iterrows():
        extra = f"  measurable: {t['measurable_by']}" if t["measurable_by"] else ""
        change = f"  ({t['change']})" if t["change"] else ""
        typer.echo(f"  {t['programme']:<11} {t['id']:<6} {t['verdict'].upper():<19}{change}{extra}")
    folder = written["strategy"].parent
    typer.echo(f"\nWritten to {folder}: strategy.html, strategy.md, strategy.docx, strategy_targets.csv")


@app.command()
@_user_errors
def strategy(
    strategy_file: Path = typer.Argument(..., help="The strategy file (TOML): title, evaluations, history."),
    out: Path = typer.Option(Path("strategy"), help="Folder for the scorecard and each programme's report."),
    jobs: int = typer.Option(None, help="Programmes evaluated at once (default: one per processor)."),
) -> None:
    """One scorecard across the strategy's programmes; reuses a programme's run when its inputs are unchanged."""
    from .strategy import strategy as run_strategy

    _writable_folder(out)
    result = run_strategy(strategy_file, out=out, jobs=jobs)
    written = result.write(out)
    _print_strategy(result, written)


def main() -> None:  # pragma: no cover - console entry point
    app()
