#!/usr/bin/env python3
"""Generate the sample pipeline's diabetes-like CSV, deterministically.

    python3 main/workspace/sample-data/make_diabetes_csv.py            # rewrites the template file
    python3 main/workspace/sample-data/make_diabetes_csv.py --out x.csv --rows 2000

The columns follow the diabetes data set of the Azure ML "train a model with a
pipeline" tutorial. The label ``Diabetic`` is drawn from a logistic model of
PlasmaGlucose, BMI, Age and Pregnancies, so a logistic regression reaches an
accuracy of about 0.8 (the noise caps it). A few rows get one empty field so
the data-prep step has something to drop. Standard library only; the same
seed gives the same bytes (checked on Python 3.9 to 3.13).
"""

import argparse
import csv
import math
import os
import random

HEADER = ["PatientID", "Pregnancies", "PlasmaGlucose", "DiastolicBloodPressure",
          "TricepsThickness", "SerumInsulin", "BMI", "DiabetesPedigree", "Age", "Diabetic"]

DEFAULT_OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir,
                           "template", "datastores", "default", "raw", "diabetes.csv")


def clamp(x, lo, hi):
    return max(lo, min(hi, x))


def make_rows(n, seed):
    r = random.Random(seed)
    ids = r.sample(range(1000000, 2000000), n)
    rows = []
    for pid in ids:
        pregnancies = min(14, int(r.expovariate(1 / 3.0)))
        glucose = int(clamp(r.gauss(107, 32), 44, 192))
        diastolic = int(clamp(r.gauss(71, 16), 24, 117))
        triceps = int(clamp(r.gauss(28, 14), 7, 92))
        insulin = int(clamp(r.lognormvariate(4.3, 0.9), 14, 796))
        bmi = round(clamp(r.gauss(31.5, 9), 18, 56), 6)
        pedigree = round(clamp(r.lognormvariate(-0.9, 0.6), 0.078, 2.3), 6)
        age = int(clamp(21 + r.expovariate(1 / 12.0), 21, 77))
        z = (0.05 * (glucose - 107) + 0.10 * (bmi - 31.5) + 0.07 * (age - 33)
             + 0.12 * (pregnancies - 3) - 0.7)
        diabetic = 1 if r.random() < 1 / (1 + math.exp(-z)) else 0
        rows.append([pid, pregnancies, glucose, diastolic, triceps, insulin, bmi, pedigree,
                     age, diabetic])
    # Blank one feature in a handful of rows (never the id or the label).
    for i in r.sample(range(n), max(1, n // 60)):
        rows[i][r.randrange(1, len(HEADER) - 1)] = ""
    return rows


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=DEFAULT_OUT)
    ap.add_argument("--rows", type=int, default=500)
    ap.add_argument("--seed", type=int, default=42)
    args = ap.parse_args()
    out = os.path.normpath(args.out)
    os.makedirs(os.path.dirname(out) or ".", exist_ok=True)
    rows = make_rows(args.rows, args.seed)
    with open(out, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(HEADER)
        w.writerows(rows)
    positives = sum(1 for row in rows if row[-1] == 1)
    print("wrote %d rows (%d diabetic) to %s" % (len(rows), positives, out))


if __name__ == "__main__":
    main()
