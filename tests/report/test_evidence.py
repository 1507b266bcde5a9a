"""The bid's evidence section, in Markdown and Word: real headings and real tables with the same cells."""
import docx
import pytest

from reoffend_eval.report.evidence import evidence_blocks, headline_table


@pytest.fixture(scope="module")
def document(drive_outputs):
    return docx.Document(str(drive_outputs["evidence_docx"]))


def test_markdown_has_every_part(drive, drive_outputs):
    ev, _ = drive
    text = drive_outputs["evidence"].read_text(encoding="utf-8")
    for heading in ("Method", "Headline results", "Strategy targets", "What you can say", "What you cannot say",
                    "Caveats", "Strength of evidence", "Sources of the definitions"):
        assert f"### {heading}\n" in text
    assert "level 3 of 5" in text
    assert text == ev.to_markdown()
    # one to two pages: a bid section, not the whole report (with what DRIVE exists to change: about 1,500)
    assert len(text.split()) < 1600


def test_word_headings_use_word_heading_styles(drive, document):
    ev, _ = drive
    headings = [(p.style.name, p.text) for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings[0] == ("Heading 1", f"Evidence of impact: {ev.programme}")
    expected = [b.content for b in evidence_blocks(ev) if b.kind == "heading" and b.level == 2]
    assert [t for s, t in headings if s == "Heading 2"] == expected
    assert "Method" in expected and "Strength of evidence" in expected


def test_word_tables_are_real_tables_with_the_headline_cells(drive, document):
    ev, _ = drive
    table = headline_table(ev.results, ev.programme)
    word = document.tables[0]
    assert [c.text for c in word.rows[0].cells] == list(table.columns)
    assert len(word.rows) == len(table) + 1
    for i, row in enumerate(table.itertuples(index=False), start=1):
        assert [c.text for c in word.rows[i].cells] == [str(v) for v in row]
    verdicts = document.tables[1]
    assert [c.text for c in verdicts.rows[0].cells] == ["Target", "What it asks", "Verdict", "Why"]
    assert [r.cells[0].text for r in verdicts.rows[1:]] == list(ev.targets["id"])


def test_bullets_are_word_lists(drive, document):
    ev, _ = drive
    bullets = [p.text for p in document.paragraphs if p.style.name == "List Bullet"]
    for sentence in ev.headlines:
        assert sentence in bullets
