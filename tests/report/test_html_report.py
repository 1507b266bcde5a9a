"""The commissioner's report: sections in order, self-contained, accessible, disclosure-controlled."""
import re
from html.parser import HTMLParser

import pandas as pd
import pytest

from reoffend_eval.report.html import report_html

SECTIONS = ["1. Summary", "2. Who was evaluated", "3. How fair the comparison is", "4. Results",
            "5. How sure we are", "6. Definitions and provenance"]


class Page(HTMLParser):
    """Headings, images, links and every resource address on a page."""

    def __init__(self):
        super().__init__()
        self.h2, self.images, self.addresses, self._in_h2, self.text = [], [], [], False, []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "h2":
            self._in_h2 = True
            self.h2.append("")
        if tag == "img":
            self.images.append(attrs)
        for name in ("src", "href", "data", "poster", "action"):
            if attrs.get(name):
                self.addresses.append(attrs[name])
        if tag == "link":
            self.addresses.append(attrs.get("href", ""))

    def handle_endtag(self, tag):
        if tag == "h2":
            self._in_h2 = False

    def handle_data(self, data):
        self.text.append(data)
        if self._in_h2:
            self.h2[-1] += data


@pytest.fixture(scope="module")
def page(drive_outputs):
    parser = Page()
    source = drive_outputs["report"].read_text(encoding="utf-8")
    parser.feed(source)
    return parser, source


def test_sections_in_the_issues_order(page):
    parser, _ = page
    assert parser.h2 == SECTIONS


def test_self_contained_nothing_from_another_address(page):
    parser, source = page
    for address in parser.addresses:
        assert address.startswith(("#", "data:image/png;base64,")), address
    # no stylesheet, script, font or frame fetched from anywhere, and the page forbids it itself
    assert not re.search(r"<(script|link|iframe|object|embed)\b", source, re.I)
    assert not re.search(r"url\(|@import|@font-face", source, re.I)
    assert "default-src 'none'" in source


def test_every_figure_has_alt_text_and_a_caption(page):
    parser, source = page
    assert len(parser.images) >= 5  # Love plot, overlap, Kaplan-Meier, MCF, forest
    for image in parser.images:
        assert len(image.get("alt", "")) > 40
    assert source.count("<figcaption>") == len(parser.images)


def test_verdicts_are_words_not_colour_alone(drive, page):
    ev, _ = drive
    _, source = page
    words = {"met": "Met", "on course": "On course", "not met": "Not met",
             "not yet measurable": "Not yet measurable"}
    for verdict in ev.targets["verdict"]:
        assert f"</span> {words[verdict]}</span>" in source


def test_headlines_warnings_maryland_and_definitions_are_there(drive, page):
    ev, _ = drive
    parser, _ = page
    text = re.sub(r"\s+", " ", "".join(parser.text))
    for sentence in ev.headlines[:5]:
        assert sentence in text
    for warning in ev.warnings:
        assert warning in text
    assert "level 3 of 5" in text
    for name in ("reoffending_rate", "days_at_risk", "repeat_marac"):
        assert name in text
    assert ev.provenance["inputs"]["participants"]["sha256"] in text


def test_small_cells_never_reach_the_page(tiny):
    ev, _ = tiny
    source = report_html(ev)
    parser = Page()
    parser.feed(source)
    from reoffend_eval.report.html import effects_frame
    from reoffend_eval.report.plots import forest_label
    from reoffend_eval.report.tables import public_results

    public = public_results(ev.results)
    hidden = public[public["estimate"] == "suppressed"]
    assert len(hidden)  # the tiny cohort has subgroups resting on 1 to 4 people
    shown = effects_frame(hidden)
    assert (shown["Estimate (95% CI)"] == "suppressed (fewer than 5 people)").all()
    assert "suppressed (fewer than 5 people)" in source
    # the small subgroups are not drawn in the forest plot (its alt text lists every row drawn)
    alt = " ".join(image["alt"] for image in parser.images)
    for _, row in hidden.iterrows():
        if row["statistic"] in ("risk_difference", "risk_ratio"):
            assert forest_label(row) + " " not in alt
    # counts 1 to 4 show as "<5" wherever a count is printed
    people = " ".join(shown["People (programme / comparison)"])
    assert not re.search(r"(?<![\d,])[1-4](?![\d,])", people.replace("<5", ""))
    assert "Not yet measurable" in source


def test_every_verdict_has_a_mark_and_a_word():
    from reoffend_eval.evaluate import verdicts
    from reoffend_eval.report.html import VERDICT_MARKS

    every = set(verdicts.VERDICTS)
    assert set(VERDICT_MARKS) == every
    assert len({mark for mark, _, _ in VERDICT_MARKS.values()}) == len(every)


def test_to_html_returns_or_writes(drive, tmp_path):
    ev, _ = drive
    path = ev.to_html(tmp_path / "r.html")
    assert path.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_report_still_reads_when_parts_are_missing(drive):
    """Weighting instead of matching, no survival or recurrent fits, no balance: the page says so, no crash."""
    import dataclasses

    ev, _ = drive
    weighting = ev.designs["sensitivity_weighting"]
    config = dataclasses.replace(ev.config, comparison=dataclasses.replace(ev.config.comparison, design="weighting"))
    weighted = dataclasses.replace(ev, config=config, designs={"fixed_window": weighting, "everyone": weighting},
                                   fits={})
    source = report_html(weighted)
    assert "weighting the comparison group by the propensity score" in source
    parser = Page()
    parser.feed(source)
    alts = " ".join(image["alt"] for image in parser.images)
    assert "Kaplan-Meier" not in alts and "Mean cumulative" not in alts  # no fits, no curves
    assert "Love plot" in alts and "propensity score" in alts and "Forest plot" in alts
    bare = dataclasses.replace(ev, designs={}, fits={}, balance=pd.DataFrame(), results=ev.results.iloc[0:0],
                               headlines=(), warnings=())
    source = report_html(bare)
    parser = Page()
    parser.feed(source)
    assert parser.h2 == SECTIONS
    assert "No headline measure could be estimated" in source
    assert "level 2 of 5" in re.sub(r"\s+", " ", "".join(parser.text))
