"""The strategy scorecard: its numbers are the programme reports' numbers, reruns reuse, mistakes are named."""
import re
import shutil
from html.parser import HTMLParser

import docx
import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

import reoffend_eval as rev
from reoffend_eval.cli import app
from reoffend_eval.evaluate import ConfigError
from reoffend_eval.report.browser import Chromium, find_chromium
from reoffend_eval.report.tables import public_targets
from reoffend_eval.strategy.demo import write_demo

COLUMNS = ["programme", "id", "verdict", "reason", "estimate", "ci_lower", "ci_upper", "measurable_by"]


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    folder = tmp_path_factory.mktemp("strategy")
    path = write_demo(folder, n_participants=500, n_comparison=4000, seed=1)
    out = folder / "results"
    first = rev.strategy(path, out=out, jobs=1)  # one after another: each run keeps its evaluation
    written = first.write(out)
    return {"folder": folder, "path": path, "out": out, "first": first, "written": written}


def test_the_scorecard_holds_every_target_with_the_programme_reports_numbers(demo):
    first = demo["first"]
    assert [r.programme for r in first.programmes] == ["DRIVE", "Up2U", "Turnaround"]
    assert not any(r.reused for r in first.programmes)
    scorecard = pd.read_csv(demo["written"]["strategy_targets"], keep_default_na=False)
    assert list(scorecard.columns[: len(COLUMNS)]) == COLUMNS
    for run in first.programmes:
        # the programme's own published targets table, as its report and targets.csv show it
        published = pd.read_csv(demo["out"] / run.name / "targets.csv", keep_default_na=False)
        ours = scorecard[scorecard["programme"] == run.programme].reset_index(drop=True)
        assert list(ours["id"]) == list(published["id"]) and len(ours) > 0
        for column in ("verdict", "reason", "estimate", "ci_lower", "ci_upper", "measurable_by"):
            assert list(ours[column].astype(str)) == list(published[column].astype(str)), (run.programme, column)
        # and they are the evaluation's own targets, rounded as published
        direct = public_targets(run.evaluation.targets)
        shown = direct["estimate"].map(lambda v: v if v == "suppressed" else float(v))
        np.testing.assert_array_equal(
            first.targets.loc[first.targets["programme"] == run.programme, "estimate"].to_numpy(dtype=object),
            shown.to_numpy(dtype=object),
        )
    assert set(first.targets["verdict"]) <= set(rev.evaluate.VERDICTS)


def test_a_rerun_with_nothing_changed_reuses_every_programme_and_gives_the_same_scorecard(demo):
    again = rev.strategy(demo["path"], out=demo["out"])
    assert all(r.reused and r.evaluation is None for r in again.programmes)
    pd.testing.assert_frame_equal(
        again.targets.drop(columns="change").astype(str), demo["first"].targets.drop(columns="change").astype(str)
    )
    again.write(demo["out"])
    assert (demo["out"] / "drive" / "report.html").exists()


def test_a_changed_input_reruns_that_programme_only(demo, tmp_path):
    folder = tmp_path / "copy"
    shutil.copytree(demo["folder"], folder)
    for name in ("up2u", "turnaround"):
        config = folder / name / f"{name}.toml"
        config.write_text(config.read_text() + "\n# changed\n")
    # the two changed programmes are evaluated side by side in two processes
    rerun = rev.strategy(folder / "strategy.toml", out=folder / "results", jobs=2)
    assert {r.programme: r.reused for r in rerun.programmes} == {"DRIVE": True, "Up2U": False, "Turnaround": False}
    assert all(r.evaluation is None and r.source == folder / "results" / r.name for r in rerun.programmes)
    assert (folder / "results" / "up2u" / "report.html").is_file()
    # a comment changes nothing: the same numbers as the first run
    pd.testing.assert_frame_equal(
        rerun.targets.drop(columns="change").astype(str), demo["first"].targets.drop(columns="change").astype(str)
    )


def test_history_records_each_programme_once_per_extract(demo):
    history = rev.read_history(demo["folder"] / "history")
    targets = history[history["kind"] == "target"]
    assert targets.groupby(["programme", "extract_date", "id"]).size().max() == 1
    assert set(targets["programme"]) == {"DRIVE", "Up2U", "Turnaround"}
    assert len(targets) == len(demo["first"].targets)


def test_the_scorecard_says_what_changed_since_the_previous_extract(demo, tmp_path):
    folder = tmp_path / "copy"
    shutil.copytree(demo["folder"], folder)
    store = folder / "history"
    current = pd.read_parquet(store / "DRIVE_2026-03-31.parquet")
    earlier = current.assign(extract_date=pd.Timestamp("2025-12-31"))
    first_id = current.loc[current["kind"] == "target", "id"].iloc[0]
    now = current.loc[current["id"] == first_id, "verdict"].iloc[0]
    before = "not yet measurable" if now != "not yet measurable" else "on course"
    earlier.loc[earlier["id"] == first_id, "verdict"] = before
    earlier.to_parquet(store / "DRIVE_2025-12-31.parquet", index=False)
    result = rev.strategy(folder / "strategy.toml", out=folder / "results")
    targets = result.targets.set_index(["programme", "id"])
    assert targets.loc[("DRIVE", first_id), "change"] == f"was {before}, now {now}"
    others = targets.loc["DRIVE"].drop(index=first_id)
    assert (others["change"] == "unchanged").all()
    assert (targets.loc["Up2U", "change"] == "").all()  # one extract only: nothing to compare
    assert f"was {before}, now {now}" in result.to_html()


class Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.h2, self.links, self.addresses, self._in_h2 = [], [], [], False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self._in_h2 = tag == "h2"
        if tag == "h2":
            self.h2.append("")
        for key in ("src", "href"):
            if key in attrs:
                self.addresses.append(attrs[key])
        if tag == "a":
            self.links.append(attrs.get("href"))

    def handle_endtag(self, tag):
        if tag == "h2":
            self._in_h2 = False

    def handle_data(self, data):
        if self._in_h2:
            self.h2[-1] += data


def test_the_page_is_self_contained_and_links_to_each_full_report(demo):
    source = demo["written"]["strategy"].read_text()
    page = Page()
    page.feed(source)
    assert page.h2 == ["1. Every target", "2. Each programme", "3. About these figures"]
    assert not re.search(r"<(script|link|iframe|object|embed)\b", source, re.I)
    for address in page.addresses:
        assert address.startswith("#") or not re.match(r"^[a-z]+:", address), address
    reports = [link for link in page.links if link.endswith("report.html")]
    assert reports == ["drive/report.html", "up2u/report.html", "turnaround/report.html"]
    for link in reports:
        assert (demo["out"] / link).is_file()
    for _, t in demo["first"].targets.iterrows():
        assert f"{t['programme']} {t['id']}" in source
    # nothing 1 to 4 is shown as a count, and a target not yet measurable shows no estimate
    assert "not shown (too few to measure)" in source or "not yet measurable" not in set(demo["first"].targets.verdict)


def test_markdown_and_word_hold_the_same_table(demo):
    md = demo["written"]["strategy_md"].read_text()
    assert md.startswith("# Reducing Reoffending Strategy")
    assert "| Programme | Target | Verdict | Estimate (95% CI) | Since last extract | When measurable |" in md
    document = docx.Document(demo["written"]["strategy_docx"])
    assert [p.text for p in document.paragraphs if p.style.name == "Heading 1"] == [demo["first"].title]
    table = document.tables[0]
    assert len(table.rows) == len(demo["first"].targets) + 1


def test_to_html_returns_or_writes_the_page(demo, tmp_path):
    page = demo["first"].to_html()
    assert page.startswith("<!DOCTYPE html>")
    assert demo["first"].to_html(tmp_path / "s.html").read_text() == page
    assert "Strategy(" in repr(demo["first"]) and "<table" in demo["first"]._repr_html_()


def _strategy_file(folder, evaluations, extra=""):
    path = folder / "s.toml"
    listed = ", ".join(f'"{e}"' for e in evaluations)
    path.write_text(f'title = "T"\nevaluations = [{listed}]\n{extra}')
    return path


def test_mistakes_name_the_strategy_file_and_the_field(demo, tmp_path):
    drive = (demo["folder"] / "drive" / "drive.toml").as_posix()
    with pytest.raises(ConfigError, match=r"s.toml: evaluations\[1\] = 'nowhere.toml': no such evaluation config"):
        rev.strategy(_strategy_file(tmp_path, [drive, "nowhere.toml"]))
    broken = tmp_path / "broken.toml"
    broken.write_text((demo["folder"] / "drive" / "drive.toml").read_text().replace("seed =", "sede ="))
    with pytest.raises(ConfigError, match=r"s.toml: evaluations\[0\] = 'broken.toml': broken.toml: unknown field 'sede'"):
        rev.strategy(_strategy_file(tmp_path, ["broken.toml"]))
    with pytest.raises(ConfigError, match=r"s.toml: unknown field 'evaluation'"):
        (tmp_path / "s.toml").write_text('title = "T"\nevaluation = ["a.toml"]\n')
        rev.strategy(tmp_path / "s.toml")
    no_data = tmp_path / "nodata"
    no_data.mkdir()
    for name in ("drive.toml", "drive_targets.toml", "costs.toml"):
        shutil.copy(demo["folder"] / "drive" / name, no_data / name)
    with pytest.raises(ConfigError, match=r"s.toml: evaluations\[0\] = 'nodata/drive.toml': "):
        rev.strategy(_strategy_file(tmp_path, ["nodata/drive.toml"]))


def test_cli_prints_the_mistake_without_a_traceback_and_exits_2(demo, tmp_path):
    runner = CliRunner()
    blocker = tmp_path / "file"
    blocker.write_text("x")
    path = _strategy_file(
        tmp_path, [(demo["folder"] / "drive" / "drive.toml").as_posix()], f'history = "{blocker.as_posix()}/h"\n'
    )
    result = runner.invoke(app, ["strategy", str(path), "--out", str(demo["out"])])
    assert result.exit_code == 2, result.output
    assert "s.toml: history" in result.output and "cannot be written" in result.output
    assert "Traceback" not in result.output
    result = runner.invoke(app, ["strategy", str(tmp_path / "absent.toml"), "--out", str(tmp_path / "o")])
    assert result.exit_code == 2 and "absent.toml" in result.output and "Traceback" not in result.output


def test_cli_strategy_prints_the_scorecard(demo):
    result = CliRunner().invoke(app, ["strategy", str(demo["path"]), "--out", str(demo["out"])])
    assert result.exit_code == 0, result.output
    assert result.output.count("reused (inputs unchanged)") == 3
    assert "strategy.html" in result.output


@pytest.mark.skipif(find_chromium() is None, reason="Chromium is not installed (Debian: apt-get install chromium)")
def test_in_chromium_on_a_desktop_and_a_phone(demo):
    with Chromium() as browser:
        desktop = browser.open(demo["written"]["strategy"], width=1280, height=900).visit
        phone = browser.open(demo["written"]["strategy"], width=390, height=844, mobile=True).visit
    for visit in (desktop, phone):
        assert visit.loaded and visit.outside_requests == [] and visit.failed_requests == []
        assert visit.console_errors == []
        assert visit.facts["headings"] == ["1. Every target", "2. Each programme", "3. About these figures"]
    assert phone.facts["scrollWidth"] <= phone.facts["innerWidth"] == 390
