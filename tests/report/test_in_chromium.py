"""The report as a reader sees it: opened in headless Chromium (Debian's ``chromium``) on a desktop and a phone."""
import pytest

from reoffend_eval.report.browser import Chromium, find_chromium

from .test_html_report import SECTIONS

pytestmark = pytest.mark.skipif(find_chromium() is None,
                                reason="Chromium is not installed (Debian: apt-get install chromium)")


@pytest.fixture(scope="module")
def visits(drive_outputs):
    with Chromium() as browser:
        desktop = browser.open(drive_outputs["report"], width=1280, height=900).visit
        phone = browser.open(drive_outputs["report"], width=390, height=844, mobile=True).visit
    return {"desktop": desktop, "phone": phone}


@pytest.mark.parametrize("screen", ["desktop", "phone"])
def test_loads_with_no_failed_request_and_no_console_error(visits, screen):
    visit = visits[screen]
    assert visit.loaded
    assert visit.requests and visit.requests[0] == visit.url
    assert visit.outside_requests == []
    assert visit.failed_requests == []
    assert visit.console_errors == []


@pytest.mark.parametrize("screen", ["desktop", "phone"])
def test_every_image_shows_and_the_sections_are_in_order(visits, screen):
    facts = visits[screen].facts
    assert facts["images"] >= 5 and facts["brokenImages"] == 0 and facts["imagesWithoutAlt"] == 0
    assert facts["headings"] == SECTIONS
    assert "Strength of evidence" in facts["text"]


def test_fits_a_phone_without_sideways_scrolling(visits):
    facts = visits["phone"].facts
    assert facts["scrollWidth"] <= facts["innerWidth"] == 390


def test_a_page_that_reaches_out_is_caught(tmp_path):
    """The checks can fail: a page asking for an outside image and logging an error is reported."""
    page = tmp_path / "bad.html"
    page.write_text('<!DOCTYPE html><html><body><img src="http://reoffend-eval.invalid/x.png" alt="x">'
                    '<script>console.error("broken")</script></body></html>')
    with Chromium() as browser:
        visit = browser.open(page, settle=1.0).visit
    assert visit.outside_requests == ["http://reoffend-eval.invalid/x.png"]
    assert visit.failed_requests
    assert any("broken" in e for e in visit.console_errors)
