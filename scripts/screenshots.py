"""Save pictures of the report and the evidence document, to look at them as a reader would.

    python scripts/screenshots.py RESULTS_FOLDER [--out FOLDER]
    python scripts/screenshots.py --demo [--programme DRIVE] [--out FOLDER]

RESULTS_FOLDER holds report.html and evidence.docx (as ``reoffend-eval evaluate
--report`` writes them); ``--demo`` makes a small synthetic evaluation first.
Writes to FOLDER (default RESULTS_FOLDER/screenshots):

- report-desktop.png, report-phone.png: the whole page at 1280 and 390 pixels wide
  (headless Chromium), and report-*-NN.png: the same cut into screen-high pieces;
- report-print.pdf and report-print-N.png: the page as printed on A4;
- evidence.pdf and evidence-N.png: the Word document as LibreOffice lays it out.

Needs Debian's ``chromium``, and for the print and Word pictures ``poppler-utils``
(pdftoppm) and ``libreoffice-writer-nogui``. Not run in CI.
"""
from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import warnings
from pathlib import Path

from PIL import Image

from reoffend_eval.report.browser import Chromium

SCREENS = {"desktop": dict(width=1280, height=900), "phone": dict(width=390, height=844, mobile=True)}


def _demo(folder: Path, programme: str) -> Path:
    from reoffend_eval import synthetic
    from reoffend_eval.evaluate import evaluate
    from reoffend_eval.examples import write_example
    from reoffend_eval.report.html import write_report_files

    data = synthetic.generate(programme=programme, n_participants=800, n_comparison=5000, seed=1, effect=0.7)
    data.to_folder(folder / "data")
    config = write_example(programme, folder, extract_date=data.truth["extract_date"])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ev = evaluate(config)
    results = folder / "results"
    ev.write(results)
    write_report_files(ev, results)
    return results


def _pieces(path: Path, height: int) -> list[Path]:
    """Cut a long screenshot into screen-high pieces that an image viewer shows at full size."""
    image = Image.open(path)
    out = []
    for i, top in enumerate(range(0, image.height, height)):
        piece = path.with_name(f"{path.stem}-{i:02d}.png")
        image.crop((0, top, image.width, min(top + height, image.height))).save(piece)
        out.append(piece)
    return out


def _pdf_pages(pdf: Path, stem: str) -> list[Path]:
    if shutil.which("pdftoppm") is None:
        print("pdftoppm not found (apt-get install poppler-utils): PDF pages not drawn", file=sys.stderr)
        return []
    subprocess.run(["pdftoppm", "-png", "-r", "80", str(pdf), str(pdf.with_name(stem))], check=True)
    return sorted(pdf.parent.glob(f"{stem}-*.png"))


def report_pictures(report: Path, out: Path) -> list[Path]:
    saved = []
    with Chromium() as browser:
        for name, size in SCREENS.items():
            page = browser.open(report, **size)
            problems = page.visit.outside_requests + page.visit.failed_requests + page.visit.console_errors
            if problems:
                print(f"{name}: the page had problems: {problems}", file=sys.stderr)
            shot = page.screenshot(out / f"report-{name}.png")
            saved += [shot, *_pieces(shot, 1400 if name == "desktop" else 1600)]
            if name == "desktop":
                saved.append(page.print_pdf(out / "report-print.pdf"))
    saved += _pdf_pages(out / "report-print.pdf", "report-print")
    return saved


def docx_pictures(docx: Path, out: Path) -> list[Path]:
    office = shutil.which("libreoffice") or shutil.which("soffice")
    if office is None:
        print("libreoffice not found (apt-get install libreoffice-writer-nogui): DOCX not drawn", file=sys.stderr)
        return []
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run([office, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
                        "--outdir", str(out), str(docx)], check=True, stdout=subprocess.DEVNULL)
    pdf = out / (docx.stem + ".pdf")
    return [pdf, *_pdf_pages(pdf, docx.stem)]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("results", nargs="?", type=Path, help="folder with report.html and evidence.docx")
    parser.add_argument("--demo", action="store_true", help="make a small synthetic evaluation first")
    parser.add_argument("--programme", default="DRIVE")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args(argv)
    if args.demo:
        results = _demo(Path(tempfile.mkdtemp(prefix="reoffend-screens-")), args.programme)
    elif args.results:
        results = args.results
    else:
        parser.error("give a results folder or --demo")
    out = args.out or results / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    saved = report_pictures(results / "report.html", out)
    if (results / "evidence.docx").exists():
        saved += docx_pictures(results / "evidence.docx", out)
    for path in saved:
        print(path)


if __name__ == "__main__":
    main()
