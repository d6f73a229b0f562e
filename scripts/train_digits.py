#!/usr/bin/env python3
"""Train and quantise the Procura demo classifier: data/digits.csv.gz -> data/digits-model.json.

The model is a multinomial linear classifier (logistic regression) over the raw 8x8 pixels
(integers 0..16) of the UCI handwritten digits data set. It is quantised to integers so that a
zk circuit (Groth16 / BN254) can evaluate it exactly:

    logit_j = sum_i weights[j][i] * x_i + biases[j]        (exact integer arithmetic)
    predictedClass = argmax_j logit_j                      (lowest index on ties)

with weights[j][i] = round(w_ji * 2^S) in [-32768, 32767] and biases[j] = round(b_j * 2^S),
S = "weightScaleBits". The accuracy written into the JSON is that of this integer model.

Usage:
    python3 scripts/train_digits.py            # (re)write data/digits-model.json
    python3 scripts/train_digits.py --check    # exit 1 if the committed JSON differs from a re-run
    python3 scripts/train_digits.py --out PATH # write elsewhere

Requirements (scripts/requirements.txt; pinned so that a re-run is byte-identical):
    python >= 3.11, numpy==2.4.6, scipy==1.17.1, scikit-learn==1.9.1
e.g.  python3 -m venv /tmp/venv && /tmp/venv/bin/pip install -r scripts/requirements.txt
      /tmp/venv/bin/python scripts/train_digits.py --check

Deterministic: fixed stratified 80/20 split (seed 0), deterministic solver (lbfgs), no other
randomness; the JSON is serialised with a fixed layout.
"""
import argparse
import gzip
import json
import math
import os
import sys

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA = os.path.join(ROOT, "data", "digits.csv.gz")
OUT = os.path.join(ROOT, "data", "digits-model.json")

FORMAT = "procura-digits-linear-v1"
CLASSES = 10
FEATURES = 64
PIXEL_MAX = 16
SEED = 0
TEST_FRACTION = 0.2
SPLIT = "stratified 80/20, seed 0"
C_REG = 5.0           # inverse L2 strength on pixels/16; best 5-fold CV accuracy on the TRAIN split over {0.01..10}
W_MIN, W_MAX = -32768, 32767
B_MIN, B_MAX = -(2 ** 31), 2 ** 31 - 1
SOURCE = ("UCI ML repository 'Optical Recognition of Handwritten Digits' (E. Alpaydin, C. Kaynak, 1998; "
          "CC BY 4.0, https://doi.org/10.24432/C50P49), test-set copy shipped by scikit-learn as "
          "sklearn/datasets/data/digits.csv.gz; see data/README.md")


def load():
    with gzip.open(DATA, "rt", encoding="ascii") as f:
        rows = [line.strip().split(",") for line in f if line.strip()]
    arr = np.array([[int(float(v)) for v in r] for r in rows], dtype=np.int64)
    if arr.shape[1] != FEATURES + 1:
        raise SystemExit(f"unexpected column count {arr.shape[1]}")
    x, y = arr[:, :FEATURES], arr[:, FEATURES]
    if x.min() < 0 or x.max() > PIXEL_MAX or y.min() < 0 or y.max() >= CLASSES:
        raise SystemExit("unexpected value range in digits.csv.gz")
    return x, y


def int_predict(w, b, x):
    """Exact integer logits and argmax (np.argmax returns the lowest index on ties)."""
    logits = x.astype(object).dot(np.array(w, dtype=object).T) + np.array(b, dtype=object)
    return np.array([int(np.argmax(np.array(row, dtype=np.int64))) for row in logits])


def build():
    x, y = load()
    idx = np.arange(len(y))
    tr, te = train_test_split(idx, test_size=TEST_FRACTION, random_state=SEED, stratify=y)
    tr, te = np.sort(tr), np.sort(te)

    # Train on pixels / 16 for conditioning; fold the 1/16 back into the weights.
    clf = LogisticRegression(C=C_REG, solver="lbfgs", max_iter=10000, tol=1e-10)
    clf.fit(x[tr] / PIXEL_MAX, y[tr])
    w = clf.coef_ / PIXEL_MAX          # per raw pixel unit
    b = clf.intercept_
    # Softmax is invariant to a common shift of the biases; centre them (the argmax is unchanged).
    b = b - b.mean()

    # Largest S such that every rounded weight fits into int16.
    s = int(math.floor(math.log2(W_MAX / np.abs(w).max())))
    while np.round(w * 2.0 ** s).max() > W_MAX or np.round(w * 2.0 ** s).min() < W_MIN:
        s -= 1
    wq = [[int(v) for v in row] for row in np.round(w * 2.0 ** s).astype(np.int64)]
    bq = [int(v) for v in np.round(b * 2.0 ** s).astype(np.int64)]
    assert all(W_MIN <= v <= W_MAX for row in wq for v in row)
    assert all(B_MIN <= v <= B_MAX for v in bq)

    acc_tr = float(np.mean(int_predict(wq, bq, x[tr]) == y[tr]))
    acc_te = float(np.mean(int_predict(wq, bq, x[te]) == y[te]))
    acc_float_te = float(np.mean(clf.predict(x[te] / PIXEL_MAX) == y[te]))
    model = {
        "format": FORMAT,
        "classes": CLASSES,
        "features": FEATURES,
        "weightScaleBits": s,
        "weights": wq,
        "biases": bq,
        "accuracy": {"train": round(acc_tr, 6), "test": round(acc_te, 6),
                     "testSize": int(len(te)), "split": SPLIT},
        "testIndices": [int(i) for i in te],
        "source": SOURCE,
    }
    stats = {"floatTest": acc_float_te, "maxAbsWeight": max(abs(v) for r in wq for v in r),
             "trainSize": int(len(tr))}
    return model, stats


def serialise(model):
    """Fixed, diff-friendly layout: one weight row per line, testIndices on one line."""
    out = ["{"]
    items = list(model.items())
    for k, (key, val) in enumerate(items):
        comma = "," if k < len(items) - 1 else ""
        if key == "weights":
            rows = [json.dumps(r, separators=(",", ":")) for r in val]
            out.append(f'  "weights": [\n    ' + ",\n    ".join(rows) + f"\n  ]{comma}")
        else:
            out.append(f"  {json.dumps(key)}: {json.dumps(val, separators=(',', ':'))}{comma}")
    out.append("}")
    return "\n".join(out) + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true",
                    help="re-run and compare with the committed JSON; exit 1 on mismatch")
    ap.add_argument("--out", default=OUT, help="output path (default data/digits-model.json)")
    args = ap.parse_args()

    model, stats = build()
    text = serialise(model)
    json.loads(text)  # sanity: valid JSON
    acc = model["accuracy"]
    print(f"scale bits S={model['weightScaleBits']} max|w|={stats['maxAbsWeight']} "
          f"train={stats['trainSize']} test={acc['testSize']}", file=sys.stderr)
    print(f"quantised accuracy: train={acc['train']:.4f} test={acc['test']:.4f} "
          f"(float test={stats['floatTest']:.4f})", file=sys.stderr)

    if args.check:
        try:
            with open(args.out, encoding="utf-8") as f:
                committed = f.read()
        except FileNotFoundError:
            print(f"CHECK FAILED: {args.out} missing", file=sys.stderr)
            return 1
        if committed != text:
            old = json.loads(committed)
            diff = [k for k in set(old) | set(model) if old.get(k) != model.get(k)]
            print(f"CHECK FAILED: {args.out} differs from a re-run (keys: {sorted(diff) or 'layout'})",
                  file=sys.stderr)
            return 1
        print(f"check OK: {args.out} matches a re-run", file=sys.stderr)
        return 0

    with open(args.out, "w", encoding="utf-8") as f:
        f.write(text)
    print(f"wrote {args.out}", file=sys.stderr)
    return 0 if acc["test"] >= 0.93 else 2


if __name__ == "__main__":
    sys.exit(main())
