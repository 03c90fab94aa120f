"""A seeded, realistic mixed share: letters and case notes, CSV tables, JSON logs, zip archives, XLSX.

    python -m benchmarks.generate OUT_DIR --size-mb 20 [--seed 7]

The same seed and size give byte-identical files. Values are synthetic (example.org addresses, phone numbers
from Ofcom's ranges reserved for drama, QQ-prefixed NI numbers, NHS numbers with a valid check digit); no real
person's data.
"""
from __future__ import annotations

import argparse
import csv
import io
import json
import random
import zipfile
from pathlib import Path

FIRST = ["Amelia", "Oliver", "Isla", "George", "Ava", "Noah", "Mia", "Arthur", "Priya", "Mohammed", "Grace", "Leo",
         "Sofia", "Harry", "Chloe", "Jack", "Aisha", "Oscar", "Ruby", "Kwame"]
LAST = ["Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Patel", "Khan", "Evans", "Thomas", "Roberts",
        "Walker", "Wright", "Hughes", "Green", "Hall", "Wood", "Clarke", "Okafor", "Nowak"]
TOWNS = ["Leeds", "Bristol", "Manchester", "Norwich", "Cardiff", "York", "Exeter", "Derby"]
FILLER = ["We met at the family centre to review the support plan.", "The volunteer rota for next month is attached.",
          "Please find the minutes of the trustees' meeting below.", "Attendance at the youth club has been steady.",
          "The grant report is due at the end of the quarter.", "Thank you for your continued support of our work.",
          "The safeguarding lead will follow up with the school.", "Transport was arranged for the weekend trip."]
SENSITIVE = ["She mentioned her diabetes diagnosis and a recent hospital stay.",
             "He attends the mosque on Fridays and asked for prayer time.",
             "The child, aged 9, is on the child protection register.",
             "He disclosed a previous conviction for theft in 2015."]


def nhs_number(rng: random.Random) -> str:
    while True:
        digits = [rng.randint(0, 9) for _ in range(9)]
        check = 11 - sum(d * w for d, w in zip(digits, range(10, 1, -1), strict=True)) % 11
        if check == 11:
            check = 0
        if check != 10:
            s = "".join(map(str, digits + [check]))
            return f"{s[:3]} {s[3:6]} {s[6:]}"


# Ofcom's drama ranges (never assigned): geographic ones are valid numbers to phonenumbers, 07700 900xxx is
# not; a real share holds both kinds of digit run, so the mix exercises the phone pass both ways.
PHONE_RANGES = ("07700 900{:03d}", "020 7946 0{:03d}", "0113 496 0{:03d}", "0121 496 0{:03d}",
                "0161 496 0{:03d}", "0117 496 0{:03d}", "029 2018 0{:03d}", "0808 157 0{:03d}")


def person(rng: random.Random) -> dict[str, str]:
    first, last = rng.choice(FIRST), rng.choice(LAST)
    return {"name": f"{first} {last}", "email": f"{first.lower()}.{last.lower()}{rng.randint(1, 999)}@example.org",
            "phone": rng.choice(PHONE_RANGES).format(rng.randint(0, 999)), "town": rng.choice(TOWNS),
            "ni": f"QQ{rng.randint(0, 999999):06d}C", "nhs": nhs_number(rng),
            "dob": f"{rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/{rng.randint(1940, 2015)}"}


def letter(rng: random.Random) -> str:
    p = person(rng)
    body = " ".join(rng.choice(FILLER) for _ in range(rng.randint(6, 30)))
    return (f"{p['town']}\n\nDear {p['name']},\n\n{body}\n\nIf you have questions, call {p['phone']} or e-mail "
            f"{p['email']}.\n\nYours sincerely,\n{rng.choice(FIRST)} {rng.choice(LAST)}\n")


def case_note(rng: random.Random) -> str:
    lines = []
    for _ in range(rng.randint(4, 20)):
        p = person(rng)
        lines.append(f"{p['dob']} - Spoke with {p['name']} (NHS {p['nhs']}). {rng.choice(SENSITIVE)} "
                     f"{rng.choice(FILLER)} Contact: {p['phone']}.")
    return "\n".join(lines) + "\n"


def table(rng: random.Random, rows: int) -> str:
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(["id", "name", "email", "phone", "town", "ni_number", "date_of_birth", "amount"])
    for i in range(rows):
        p = person(rng)
        w.writerow([i, p["name"], p["email"], p["phone"], p["town"], p["ni"], p["dob"], rng.randint(1, 500)])
    return out.getvalue()


def json_log(rng: random.Random, lines: int) -> str:
    out = []
    for i in range(lines):
        p = person(rng)
        out.append(json.dumps({"ts": f"2024-03-{rng.randint(1, 28):02d}T{rng.randint(0, 23):02d}:00:00Z",
                               "event": rng.choice(["login", "donation", "update", "export"]), "user": p["email"],
                               "ip": f"203.0.113.{rng.randint(1, 254)}", "seq": i}))
    return "\n".join(out) + "\n"


def archive(rng: random.Random) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for j in range(rng.randint(2, 5)):
            info = zipfile.ZipInfo(f"export/part{j}.{'csv' if j % 2 else 'txt'}", date_time=(2024, 1, 1, 0, 0, 0))
            zf.writestr(info, table(rng, rng.randint(20, 120)) if j % 2 else case_note(rng))
    return buf.getvalue()


def workbook(rng: random.Random) -> bytes | None:
    try:
        import openpyxl
    except ImportError:
        return None
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["name", "email", "phone", "date_of_birth"])
    for _ in range(rng.randint(50, 300)):
        p = person(rng)
        ws.append([p["name"], p["email"], p["phone"], p["dob"]])
    buf = io.BytesIO()
    wb.save(buf)
    return _fixed_zip_times(buf.getvalue())


def _fixed_zip_times(data: bytes) -> bytes:
    """openpyxl stamps the current time: rewrite the zip with fixed times so output is reproducible."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info)
            if info.filename == "docProps/core.xml":
                body = b"<?xml version='1.0' encoding='UTF-8'?><cp:coreProperties xmlns:cp=\"http://schemas." \
                       b"openxmlformats.org/package/2006/metadata/core-properties\"/>"
            dst.writestr(zipfile.ZipInfo(info.filename, date_time=(2024, 1, 1, 0, 0, 0)), body)
    return out.getvalue()


KINDS = [("letter", 30), ("case", 20), ("csv", 20), ("log", 15), ("zip", 10), ("xlsx", 5)]


def generate(out: Path, size_mb: float, seed: int = 7) -> tuple[int, int]:
    """Write files under ``out`` until they add up to ``size_mb``; returns (files, bytes)."""
    rng = random.Random(seed)
    target = int(size_mb * 1024 * 1024)
    total = files = 0
    names, weights = zip(*KINDS, strict=True)
    while total < target:
        kind = rng.choices(names, weights)[0]
        folder = out / rng.choice(["casework", "hr", "fundraising", "exports", "youth", "admin"]) / f"d{files // 200:03d}"
        if kind == "letter":
            data, ext = letter(rng).encode(), "txt"
        elif kind == "case":
            data, ext = case_note(rng).encode(), "txt"
        elif kind == "csv":
            data, ext = table(rng, rng.randint(50, 600)).encode(), "csv"
        elif kind == "log":
            data, ext = json_log(rng, rng.randint(50, 400)).encode(), "jsonl"
        elif kind == "zip":
            data, ext = archive(rng), "zip"
        else:
            wb = workbook(rng)
            if wb is None:
                continue
            data, ext = wb, "xlsx"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{kind}{files:06d}.{ext}").write_bytes(data)
        total += len(data)
        files += 1
    return files, total


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--size-mb", type=float, default=20)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    files, total = generate(args.out, args.size_mb, args.seed)
    print(f"{files} files, {total / 1e6:.1f} MB in {args.out}")


if __name__ == "__main__":
    main()
