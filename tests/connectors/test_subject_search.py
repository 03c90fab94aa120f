"""Subject access search: one person planted in five places (local files of four formats and an S3 bucket),
with near-misses; found in exactly those five from the store, ranked above the near-misses, no raw values kept."""
from __future__ import annotations

import io
import json

import pytest
from click.testing import CliRunner

from scanner.cli import main
from tests.connectors.conftest import write_tree

NAME, DOB, NHS, EMAIL = "Daniel Hughes", "12/05/2011", "943 476 5919", "daniel.hughes@example.org"
RAW = [NAME, DOB, NHS, "9434765919", EMAIL, "2011-05-12"]
BUCKET = "subject-letters"

CASE_NOTE = f"""Case note, 3 October 2026.
Met with {NAME} (date of birth {DOB}) at home.
His NHS number is {NHS}; he has been referred to the school nurse.
"""
REGISTER = f"""name,date_of_birth,group
{NAME},{DOB},Tuesday club
Amira Shah,03/02/2012,Tuesday club
Oliver Grant,17/08/2010,Thursday club
Grace Lee,29/11/2011,Thursday club
"""
CONTACTS = [{"name": "Parent contact", "email": EMAIL}, {"name": "Other", "email": "someone.else@example.com"}]
GP_LETTER = f"Dear Dr Patel,\nRe: NHS number {NHS}\nThank you for seeing this young person last week.\n"
NEAR_MISS_DOB = f"Volunteer record: {NAME}, date of birth 03/09/1980, joined the befriending scheme in 2019.\n"
NEAR_MISS_NAME = f"Minutes of the trustees' meeting.\nThanks to {NAME} for chairing the fundraising committee.\n"


def _docx(text: str) -> bytes:
    docx = pytest.importorskip("docx")
    doc = docx.Document()
    doc.add_paragraph("Referral letter")
    doc.add_paragraph(text)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


@pytest.fixture
def estate(tmp_path, s3_env):
    import boto3

    root = tmp_path / "share"
    write_tree(root, {
        "casework/note-0142.txt": CASE_NOTE.encode(),
        "registers/youth-club.csv": REGISTER.encode(),
        "exports/contacts.json": json.dumps(CONTACTS).encode(),
        "letters/referral.docx": _docx(f"Re: {NAME}, NHS number {NHS}. Please see the attached assessment."),
        "hr/volunteers.txt": NEAR_MISS_DOB.encode(),
        "minutes/2026-09.txt": NEAR_MISS_NAME.encode(),
    }, None)
    client = boto3.client("s3", endpoint_url=s3_env.url, region_name="eu-west-2")
    client.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "eu-west-2"})
    client.put_object(Bucket=BUCKET, Key="gp/letter-17.txt", Body=GP_LETTER.encode())
    yield root
    for obj in client.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        client.delete_object(Bucket=BUCKET, Key=obj["Key"])
    client.delete_bucket(Bucket=BUCKET)


def _run(*args):
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def _search(state, *extra):
    return json.loads(_run("subject", "--state", str(state), "--format", "json", *extra))


def test_person_found_in_exactly_the_planted_places_and_ranked_above_near_misses(estate, tmp_path):
    state = tmp_path / "state.db"
    _run("scan", str(estate), f"s3://{BUCKET}", "--state", str(state), "-q", "--workers", "1")
    doc = _search(state, "--name", NAME, "--dob", "2011-05-12", "--nhs", NHS, "--email", EMAIL,
                  "--reference", "DSAR-2026-014")
    by_uri = {m["uri"].rsplit("/", 2)[-2] + "/" + m["uri"].rsplit("/", 1)[-1]: m for m in doc["matches"]}
    strong_or_probable = {k for k, m in by_uri.items() if m["strength"] in ("strong", "probable")}
    assert strong_or_probable == {"casework/note-0142.txt", "registers/youth-club.csv", "exports/contacts.json",
                                  "letters/referral.docx", "gp/letter-17.txt"}
    assert by_uri["registers/youth-club.csv"]["strength"] == "probable"
    assert by_uri["casework/note-0142.txt"]["strength"] == "strong"
    assert set(by_uri["casework/note-0142.txt"]["matched"]) == {"PERSON", "DATE_OF_BIRTH", "UK_NHS"}
    assert by_uri["hr/volunteers.txt"]["strength"] == "conflicting"
    assert by_uri["minutes/2026-09.txt"]["strength"] == "possible"
    ranks = [m["uri"] for m in doc["matches"]]
    worst_planted = max(ranks.index(m["uri"]) for k, m in by_uri.items() if k in strong_or_probable)
    assert worst_planted < ranks.index(by_uri["minutes/2026-09.txt"]["uri"])
    assert worst_planted < ranks.index(by_uri["hr/volunteers.txt"]["uri"])
    assert by_uri["gp/letter-17.txt"]["country"] == ["GB"]
    assert doc["limits"] and any("name alone" in line.lower() for line in doc["limits"])
    assert sorted(doc["identifiers_given"]) == ["DATE_OF_BIRTH", "EMAIL_ADDRESS", "PERSON", "UK_NHS"]


def test_name_plus_dob_beats_name_alone_and_a_unique_id_beats_both(estate, tmp_path):
    state = tmp_path / "state.db"
    _run("scan", str(estate), f"s3://{BUCKET}", "--state", str(state), "-q", "--workers", "1")
    doc = _search(state, "--name", NAME, "--dob", DOB)
    strengths = [m["strength"] for m in doc["matches"]]
    assert strengths == sorted(strengths, key=["strong", "probable", "possible", "conflicting"].index)
    assert "probable" in strengths and "possible" in strengths
    nhs_only = _search(state, "--nhs", "9434765919")          # another spelling of the same number
    assert {m["uri"].rsplit("/", 1)[-1] for m in nhs_only["matches"]} == {"note-0142.txt", "referral.docx",
                                                                         "letter-17.txt"}
    assert all(m["strength"] == "strong" for m in nhs_only["matches"])


def test_store_pack_and_audit_hold_no_raw_identifiers(estate, tmp_path):
    state = tmp_path / "state.db"
    _run("scan", str(estate), f"s3://{BUCKET}", "--state", str(state), "-q", "--workers", "1")
    html = _run("subject", "--state", str(state), "--format", "html", "--nhs", NHS, "--name", NAME,
                "--reference", "DSAR-2026-014")
    console = _run("subject", "--state", str(state), "--email", EMAIL)
    audit = _search(state, "--audit")
    assert [a["reference"] for a in audit] == ["DSAR-2026-014", None]
    assert audit[0]["kinds"] == ["PERSON", "UK_NHS"] and audit[0]["matches"] >= 3 and audit[0]["who"]
    assert audit[1]["kinds"] == ["EMAIL_ADDRESS"]
    blobs = {"html pack": html, "console": console, "audit": json.dumps(audit)}
    for side in ("", "-wal"):
        path = state.with_name(state.name + side)
        if path.exists():
            blobs[path.name] = path.read_bytes().decode("latin-1")
    for where, text in blobs.items():
        assert [v for v in RAW if v in text] == [], where
    assert "Limits of this search" in html and "<table" in html


def test_verify_rereads_and_locates_the_matches(estate, tmp_path):
    state = tmp_path / "state.db"
    _run("scan", str(estate), f"s3://{BUCKET}", "--state", str(state), "-q", "--workers", "1")
    (estate / "letters" / "referral.docx").unlink()                   # gone since the scan
    doc = _search(state, "--nhs", NHS, "--verify")
    by_name = {m["uri"].rsplit("/", 1)[-1]: m["verification"] for m in doc["matches"]}
    note = by_name["note-0142.txt"]
    assert note["still_holds"] is True and note["found"] == ["UK_NHS"]
    assert note["locations"] == [{"entity": "UK_NHS", "where": note["locations"][0]["where"],
                                  "masked": "********19"}]
    assert note["locations"][0]["where"]["line"] == 3
    assert by_name["letter-17.txt"]["still_holds"] is True
    assert by_name["referral.docx"]["still_holds"] is None and "deleted" in by_name["referral.docx"]["error"]
    assert _search(state, "--audit")[-1]["verified"] is True


def test_no_identifier_is_a_usage_error(tmp_path):
    result = CliRunner().invoke(main, ["subject", "--state", str(tmp_path / "s.db")])
    assert result.exit_code == 2 and "give at least one identifier" in result.output
    bad = CliRunner().invoke(main, ["subject", "--state", str(tmp_path / "s.db"), "--id", "nonsense"])
    assert bad.exit_code == 2 and "KIND=VALUE" in bad.output
