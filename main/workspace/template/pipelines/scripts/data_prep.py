"""Prepare the diabetes data: drop incomplete rows, min-max normalise the features.

    python3 data_prep.py --raw-ds RAW.csv|RAW_FOLDER --out_folder OUT

Writes OUT/data.csv. Standard library only. Runs outside Millrace too (the
run context then just prints what it would log).
"""

import argparse
import csv
import os
import sys

from millrace import Run

PREP_VERSION = "1"
ID_COLUMN = "PatientID"
LABEL_COLUMN = "Diabetic"


def csv_files(path):
    if os.path.isdir(path):
        found = []
        for dirpath, dirnames, filenames in os.walk(path):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            found += [os.path.join(dirpath, f) for f in sorted(filenames)
                      if f.lower().endswith(".csv") and not f.startswith(".")]
        return found
    return [path]


def read_rows(files):
    header, rows = None, []
    for f in files:
        with open(f, newline="", encoding="utf-8") as fh:
            reader = csv.reader(fh)
            file_header = next(reader, None)
            if file_header is None:
                continue
            if header is None:
                header = file_header
            elif file_header != header:
                raise SystemExit("%s: header differs from the first file's" % f)
            rows += [row for row in reader if row]
    return header, rows


def main():
    ap = argparse.ArgumentParser(description="Prepare the diabetes data")
    ap.add_argument("--raw-ds", dest="raw_ds", help="a CSV file or a folder of CSV files")
    ap.add_argument("--out_folder", required=True, help="folder to write data.csv into")
    args = ap.parse_args()

    run = Run.get_context()
    raw = args.raw_ds
    if raw is None:  # fall back to the step's first input
        if not run.input_datasets:
            ap.error("--raw-ds is required outside a pipeline step with an input")
        raw = next(iter(run.input_datasets.values())).path

    files = csv_files(raw)
    if not files:
        raise SystemExit("no CSV files found in %s" % raw)
    print("Reading %d file(s) from %s" % (len(files), raw), flush=True)
    header, rows = read_rows(files)
    if header is None:
        raise SystemExit("no data in %s" % raw)
    print("Read %d rows with columns: %s" % (len(rows), ", ".join(header)), flush=True)
    run.log("raw_rows", len(rows))

    complete = [row for row in rows
                if len(row) == len(header) and all(cell.strip() != "" for cell in row)]
    print("Dropped %d rows with missing values" % (len(rows) - len(complete)), flush=True)

    features = [i for i, name in enumerate(header) if name not in (ID_COLUMN, LABEL_COLUMN)]
    table = [list(row) for row in complete]
    for i in features:
        try:
            values = [float(row[i]) for row in table]
        except ValueError as exc:
            raise SystemExit("column %s is not numeric: %s" % (header[i], exc))
        lo, hi = min(values, default=0.0), max(values, default=0.0)
        span = hi - lo
        for row, v in zip(table, values):
            row[i] = "%.6g" % ((v - lo) / span if span else 0.0)
    print("Normalised %d feature columns (min-max)" % len(features), flush=True)

    os.makedirs(args.out_folder, exist_ok=True)
    out_path = os.path.join(args.out_folder, "data.csv")
    with open(out_path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(table)
    print("Wrote %d rows to %s" % (len(table), out_path), flush=True)

    run.log("processed_rows", len(table))
    run.tag("prep_version", PREP_VERSION)
    run.complete()


if __name__ == "__main__":
    sys.exit(main())
