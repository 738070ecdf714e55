"""Train a diabetes classifier on the prepared data (pure Python, no third-party packages).

    python3 train_model.py --in_folder PREPPED --reg 0.01

Ridge-regularised logistic regression trained by batch gradient descent on
standardised features, with a 70/30 train/test split (fixed seed). Logs the
regularisation rate, accuracy, AUC, the loss per epoch and a confusion row;
records the best accuracy on the pipeline run; uploads the model as
outputs/model.json and logs a ROC curve image drawn by a tiny built-in PNG
writer.
"""

import argparse
import csv
import json
import math
import os
import random
import struct
import sys
import tempfile
import zlib

from millrace import Run

ID_COLUMN = "PatientID"
LABEL_COLUMN = "Diabetic"


def load(path):
    with open(path, newline="", encoding="utf-8") as fh:
        reader = csv.reader(fh)
        header = next(reader)
        rows = [row for row in reader if row]
    features = [c for c in header if c not in (ID_COLUMN, LABEL_COLUMN)]
    fidx = [header.index(c) for c in features]
    yidx = header.index(LABEL_COLUMN)
    X = [[float(row[i]) for i in fidx] for row in rows]
    y = [int(float(row[yidx])) for row in rows]
    return features, X, y


def sigmoid(z):
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


def train(X, y, reg, epochs, lr):
    """Batch gradient descent on mean log-loss + reg/2 * |w|^2 (bias not penalised)."""
    n, d = len(X), len(X[0])
    w, b = [0.0] * d, 0.0
    losses = []
    for _ in range(epochs):
        gw, gb, loss = [0.0] * d, 0.0, 0.0
        for xi, yi in zip(X, y):
            p = sigmoid(b + sum(wj * xj for wj, xj in zip(w, xi)))
            err = p - yi
            gb += err
            for j in range(d):
                gw[j] += err * xi[j]
            p = min(max(p, 1e-12), 1 - 1e-12)
            loss -= yi * math.log(p) + (1 - yi) * math.log(1 - p)
        loss = loss / n + 0.5 * reg * sum(wj * wj for wj in w)
        losses.append(loss)
        b -= lr * gb / n
        w = [wj - lr * (gj / n + reg * wj) for wj, gj in zip(w, gw)]
    return w, b, losses


def roc_auc(scores, labels):
    """ROC AUC from ranks (Mann-Whitney U), ties get their average rank."""
    order = sorted(range(len(scores)), key=lambda i: scores[i])
    ranks = [0.0] * len(scores)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and scores[order[j + 1]] == scores[order[i]]:
            j += 1
        for k in range(i, j + 1):
            ranks[order[k]] = (i + j) / 2.0 + 1.0
        i = j + 1
    pos = sum(labels)
    neg = len(labels) - pos
    if pos == 0 or neg == 0:
        return float("nan")
    rank_sum = sum(r for r, l in zip(ranks, labels) if l == 1)
    return (rank_sum - pos * (pos + 1) / 2.0) / (pos * neg)


def roc_points(scores, labels):
    """(fpr, tpr) points from the highest threshold to the lowest."""
    pos = sum(labels) or 1
    neg = (len(labels) - sum(labels)) or 1
    pairs = sorted(zip(scores, labels), key=lambda p: -p[0])
    points, tp, fp, i = [(0.0, 0.0)], 0, 0, 0
    while i < len(pairs):
        s = pairs[i][0]
        while i < len(pairs) and pairs[i][0] == s:
            tp += pairs[i][1]
            fp += 1 - pairs[i][1]
            i += 1
        points.append((fp / neg, tp / pos))
    return points


def write_png(path, width, height, rgb):
    """Write an 8-bit RGB PNG; rgb is a bytearray of width*height*3 bytes."""
    stride = width * 3
    raw = b"".join(b"\x00" + bytes(rgb[y * stride:(y + 1) * stride]) for y in range(height))

    def chunk(tag, data):
        return (struct.pack(">I", len(data)) + tag + data
                + struct.pack(">I", zlib.crc32(tag + data) & 0xFFFFFFFF))

    with open(path, "wb") as fh:
        fh.write(b"\x89PNG\r\n\x1a\n")
        fh.write(chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)))
        fh.write(chunk(b"IDAT", zlib.compress(raw, 9)))
        fh.write(chunk(b"IEND", b""))


def draw_roc(path, points, size=200, margin=12):
    img = bytearray(b"\xff" * size * size * 3)
    span = size - 1 - 2 * margin

    def put(x, y, color):
        if 0 <= x < size and 0 <= y < size:
            o = (y * size + x) * 3
            img[o:o + 3] = bytes(color)

    def to_px(fx, fy):
        return margin + round(fx * span), size - 1 - margin - round(fy * span)

    def line(p, q, color, width=1, dash=0):
        (x0, y0), (x1, y1) = to_px(*p), to_px(*q)
        steps = max(abs(x1 - x0), abs(y1 - y0), 1)
        for s in range(steps + 1):
            if dash and (s // dash) % 2:
                continue
            x = x0 + round((x1 - x0) * s / steps)
            y = y0 + round((y1 - y0) * s / steps)
            for dx in range(width):
                for dy in range(width):
                    put(x + dx, y - dy, color)

    for t in (0.25, 0.5, 0.75):  # grid
        line((t, 0), (t, 1), (225, 225, 225))
        line((0, t), (1, t), (225, 225, 225))
    line((0, 0), (1, 1), (160, 160, 160), dash=4)  # chance
    line((0, 0), (1, 0), (0, 0, 0))  # axes and frame
    line((0, 0), (0, 1), (0, 0, 0))
    line((1, 0), (1, 1), (200, 200, 200))
    line((0, 1), (1, 1), (200, 200, 200))
    for p, q in zip(points, points[1:]):  # the curve
        line(p, q, (31, 119, 180), width=2)
    write_png(path, size, size, img)


def main():
    ap = argparse.ArgumentParser(description="Train the diabetes classifier")
    ap.add_argument("--in_folder", required=True, help="folder holding data.csv")
    ap.add_argument("--reg", type=float, default=0.01, help="regularisation rate")
    ap.add_argument("--epochs", type=int, default=300)
    ap.add_argument("--lr", type=float, default=None,
                    help="gradient-descent step size (default: a safe value for --reg)")
    args = ap.parse_args()
    if args.reg < 0 or args.epochs < 1 or (args.lr is not None and args.lr <= 0):
        ap.error("--reg must be >= 0, --epochs >= 1 and --lr > 0")

    run = Run.get_context()
    data_path = os.path.join(args.in_folder, "data.csv")
    features, X, y = load(data_path)
    print("Loaded %d rows, %d features from %s" % (len(X), len(features), data_path), flush=True)

    idx = list(range(len(X)))
    random.Random(42).shuffle(idx)
    cut = int(len(idx) * 0.7)
    train_idx, test_idx = idx[:cut], idx[cut:]
    X_train, y_train = [X[i] for i in train_idx], [y[i] for i in train_idx]
    X_test, y_test = [X[i] for i in test_idx], [y[i] for i in test_idx]
    print("Training on %d rows, testing on %d rows" % (len(X_train), len(X_test)), flush=True)

    # Standardise with the training split's statistics; gradient descent
    # converges quickly on standardised features.
    d = len(features)
    mean = [sum(x[j] for x in X_train) / len(X_train) for j in range(d)]
    std = [math.sqrt(sum((x[j] - mean[j]) ** 2 for x in X_train) / len(X_train)) or 1.0
           for j in range(d)]
    X_train = [[(x[j] - mean[j]) / std[j] for j in range(d)] for x in X_train]
    X_test = [[(x[j] - mean[j]) / std[j] for j in range(d)] for x in X_test]
    # 1/L with L >= 0.25 * d + reg bounding the loss curvature: always stable.
    lr = args.lr if args.lr is not None else 1.0 / (0.25 * d + args.reg)

    run.log("Regularization Rate", args.reg)
    w, b, losses = train(X_train, y_train, args.reg, args.epochs, lr)
    print("Final training loss %.4f after %d epochs" % (losses[-1], args.epochs), flush=True)

    scores = [sigmoid(b + sum(wj * xj for wj, xj in zip(w, xi))) for xi in X_test]
    pred = [1 if s >= 0.5 else 0 for s in scores]
    tp = sum(1 for p, t in zip(pred, y_test) if p == 1 and t == 1)
    tn = sum(1 for p, t in zip(pred, y_test) if p == 0 and t == 0)
    fp = sum(1 for p, t in zip(pred, y_test) if p == 1 and t == 0)
    fn = sum(1 for p, t in zip(pred, y_test) if p == 0 and t == 1)
    acc = (tp + tn) / len(y_test)
    auc = roc_auc(scores, y_test)
    print("Accuracy: %.4f  AUC: %.4f" % (acc, auc), flush=True)

    run.log("Accuracy", acc)
    run.log("AUC", auc)
    run.log_list("loss", losses)
    run.log_row("confusion", tn=tn, fp=fp, fn=fn, tp=tp)
    if run.parent is not None:
        run.parent.log("best_accuracy", acc)

    model = {
        "type": "logistic_regression",
        "features": features,
        "weights": w,
        "bias": b,
        "reg": args.reg,
        "epochs": args.epochs,
        "learning_rate": lr,
        "standardise": {"mean": mean, "std": std},
        "threshold": 0.5,
        "metrics": {"accuracy": acc, "auc": auc},
    }
    with tempfile.TemporaryDirectory() as tmp:
        model_path = os.path.join(tmp, "model.json")
        with open(model_path, "w", encoding="utf-8") as fh:
            json.dump(model, fh, indent=2)
        run.upload_file("outputs/model.json", model_path)
        roc_path = os.path.join(tmp, "roc.png")
        draw_roc(roc_path, roc_points(scores, y_test))
        run.log_image("ROC", path=roc_path, description="ROC curve on the test split")
    print("Saved the model and the ROC curve", flush=True)
    run.complete()


if __name__ == "__main__":
    sys.exit(main())
