"""Issue 19 item 6 end to end: buckets in London, us-east-1, Frankfurt and Mumbai on a real moto server; the HTML
report's first risk is the Mumbai transfer (not adequate, special-category data), the US bucket of ~2,000 people
comes before the per-file findings about one person each, and identical per-file findings are one item."""
from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner

from scanner.cli import main

REGIONS = {"london": "eu-west-2", "virginia": "us-east-1", "frankfurt": "eu-central-1", "mumbai": "ap-south-1"}
CASE_NOTE = (b"Case note for Daniel Hughes (NHS number 943 476 5919).\n"
             b"Daniel was diagnosed with epilepsy and is prescribed sodium valproate; he attends CAMHS weekly.\n")


def _people(n: int, domain: str) -> bytes:
    rows = [f"member{i:05d}@{domain},0770090{i % 10000:04d}" for i in range(n)]
    return ("email,phone\n" + "\n".join(rows) + "\n").encode()


@pytest.fixture(scope="module")
def share(moto_server):
    boto3 = pytest.importorskip("boto3")
    names = {}
    for short, region in REGIONS.items():
        client = boto3.client("s3", endpoint_url=moto_server.url, region_name=region,
                              aws_access_key_id="testing", aws_secret_access_key="testing")
        name = f"risk-{short}"
        kwargs = {} if region == "us-east-1" else {"CreateBucketConfiguration": {"LocationConstraint": region}}
        client.create_bucket(Bucket=name, **kwargs)
        client.put_bucket_encryption(Bucket=name, ServerSideEncryptionConfiguration={
            "Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}]})
        names[short] = (name, client)
    london, us, frankfurt, mumbai = (names[k][1] for k in REGIONS)
    for i in range(6):                       # per-file findings about one person each
        london.put_object(Bucket="risk-london", Key=f"letters/letter{i}.txt",
                          Body=(f"Dear Ms Patel, following your diagnosis of type 2 diabetes please call the clinic "
                                f"on 07700 900{i:03d}. Regards, j.smith{i}@example.org").encode())
    us.put_object(Bucket="risk-virginia", Key="exports/donors.csv", Body=_people(2000, "example.com"))
    frankfurt.put_object(Bucket="risk-frankfurt", Key="staff.csv", Body=_people(20, "example.net"))
    mumbai.put_object(Bucket="risk-mumbai", Key="casework/note.txt", Body=CASE_NOTE)
    mumbai.put_object(Bucket="risk-mumbai", Key="casework/clients.csv", Body=_people(300, "example.org"))
    yield {k: v[0] for k, v in names.items()}
    for name, client in names.values():
        for obj in client.list_objects_v2(Bucket=name).get("Contents", []):
            client.delete_object(Bucket=name, Key=obj["Key"])
        client.delete_bucket(Bucket=name)


@pytest.fixture(scope="module")
def reports(share, moto_server, tmp_path_factory):
    out = tmp_path_factory.mktemp("reports")
    with pytest.MonkeyPatch.context() as mp:             # what s3_env and pii_home do, once for the module
        for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL_S3"):
            mp.delenv(name, raising=False)
        for name, value in {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
                            "AWS_DEFAULT_REGION": "us-east-1", "AWS_ENDPOINT_URL": moto_server.url,
                            "AWS_EC2_METADATA_DISABLED": "true", "AWS_CONFIG_FILE": str(out / "absent"),
                            "AWS_SHARED_CREDENTIALS_FILE": str(out / "absent"),
                            "PII_SCAN_HOME": str(tmp_path_factory.mktemp("home"))}.items():
            mp.setenv(name, value)
        result = CliRunner().invoke(main, ["scan", *(f"s3://{b}" for b in share.values()), "-q",
                                           "--jurisdiction", "uk", "-o", str(out / "r.json"), "-o", str(out / "r.html")])
    assert result.exit_code == 0, result.output
    return json.loads((out / "r.json").read_text()), (out / "r.html").read_text()


def _top(html: str) -> list[str]:
    block = html.split("<h3>Top risks</h3>", 1)[1].split("</ol>", 1)[0]
    return [re.sub(r"\s+", " ", li) for li in re.findall(r"<li>(.*?)</li>", block, re.DOTALL)]


def test_first_risk_is_the_mumbai_transfer(reports):
    doc, html = reports
    top = _top(html)
    assert "s3://risk-mumbai" in top[0] and "no adequacy" in top[0], top
    us = next(i for i, t in enumerate(top) if "s3://risk-virginia" in t)
    assert us == 1 and "~2000 people" in top[us]
    kinds = {v["rule"] for v in doc["violations"]}
    assert "transfer.not_adequate" in kinds and "transfer.partial_unmet" in kinds


def test_identical_per_file_findings_are_one_item(reports):
    doc, html = reports
    per_file = [v for v in doc["violations"] if v["target"].startswith("s3://risk-london/letters/")]
    assert len(per_file) >= 6
    london = [t for t in _top(html) if "s3://risk-london" in t]
    assert london and all("letters/letter" not in t for t in london)      # grouped under the bucket
    assert any(re.search(r"\b6 files:", t) for t in london), london


def test_chart_scales_people_and_labels_fit(reports):
    _, html = reports
    svg = html.split('<figure class="chart"', 1)[1].split("</svg>", 1)[0]
    width = int(re.search(r'viewBox="0 0 (\d+) ', svg)[1])
    people = re.findall(r'<rect x="70" y="\d+" width="(\d+)" height="10"', svg)
    assert len(people) == 4 and max(map(int, people)) == 380             # the US bar is the longest by people
    for x, label in re.findall(r'<text x="([\d.]+)" y="\d+" font-size="12" fill="#1f2933">([^<]*)</text>', svg):
        assert float(x) + len(label) * 7.2 <= width, (label, width)      # no label runs past the view box

