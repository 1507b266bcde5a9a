"""No person identifier from the input in any file the report stage writes (DOCX and Parquet opened up)."""
import re
import zipfile

import pandas as pd


def _texts(path):
    """The text of a written file, as a reader (or a program) could get it out."""
    if path.suffix == ".docx":
        with zipfile.ZipFile(path) as archive:
            return [archive.read(name).decode("utf-8", "replace") for name in archive.namelist()]
    if path.suffix == ".parquet":
        frame = pd.read_parquet(path)
        return [frame.to_csv(index=False), path.read_bytes().decode("latin-1")]
    return [path.read_bytes().decode("utf-8", "replace")]


def test_no_person_or_victim_id_in_any_output(drive, drive_outputs):
    ev, data = drive
    ids = set(data.participants["person_id"]) | set(data.comparison["person_id"]) | set(data.offences["person_id"]) \
        | set(data.incidents["perpetrator_id"]) | set(data.incidents["victim_id"])
    assert len(ids) > 3000
    written = sorted({p for p in drive_outputs.values()})
    names = {p.name for p in written}
    assert {"report.html", "evidence.md", "evidence.docx", "results.csv", "evaluation.json",
            "results.parquet"} <= names
    pattern = re.compile(r"[PV]\d{7}")  # the synthetic identifiers' form, to find any by a single scan
    assert all(pattern.fullmatch(i) for i in ids)
    for path in written:
        for text in _texts(path):
            found = set(pattern.findall(text)) & ids
            assert not found, f"{path.name} holds identifiers {sorted(found)[:3]}"
            # and by plain search for a sample of every kind, whatever their form
            for identifier in list(ids)[:200]:
                assert identifier not in text, (path.name, identifier)
