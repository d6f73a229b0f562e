#!/usr/bin/env python3
"""Train and quantise the Procura zkML model: data/digits.csv.gz -> data/digits-mlp.json.

A multi-layer perceptron with one hidden layer of HIDDEN ReLU units over the raw 8x8 pixels (integers
0..16) of the UCI handwritten digits, quantised to integers so that the `mlp` circuit
(gpu-runtime/go/circuits/mlp) evaluates it exactly:

    pre_j  = sum_i w1[j][i] * x_i + b1[j]                (exact integers; w1 int16, b1 int32)
    h_j    = max(0, pre_j)                                (ReLU)
    logit_k = sum_j w2[k][j] * h_j + b2[k]                (w2 int16, b2 int32)
    predictedClass = argmax_k logit_k                     (lowest index on ties)

with w1 = round(W1 / 16 * 2^S1), b1 = round(B1 * 2^S1), w2 = round(W2 * 2^S2), b2 = round(B2 * 2^(S1+S2)), where
(W1, B1, W2, B2) are the float weights trained on pixels / 16 and S1, S2 the largest scales that keep every integer
in range. The accuracy written into the JSON is that of this integer model, on the same held-out split as the
linear model (data/digits-model.json: stratified 80/20, seed 0).

Usage:
    python3 scripts/train_mlp.py            # (re)write data/digits-mlp.json
    python3 scripts/train_mlp.py --check    # exit 1 if the committed JSON differs from a re-run
Requirements: scripts/requirements.txt (pinned, as for train_digits.py). Deterministic: the same split, lbfgs,
random_state 0.
"""
import argparse
import json
import math
import os
import sys

import numpy as np
from sklearn.model_selection import train_test_split
from sklearn.neural_network import MLPClassifier

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import train_digits as linear  # noqa: E402  (the same data, split and serialisation)

ROOT = linear.ROOT
OUT = os.path.join(ROOT, "data", "digits-mlp.json")
FORMAT = "procura-digits-mlp-v1"
HIDDEN = 16
ALPHA = 3.0           # L2 strength: 5-fold CV on the training split over {0.1, 1, 3, 10} (1 and 3 tie at 0.9749; the larger)
W_MIN, W_MAX = -32768, 32767
B_MIN, B_MAX = -(2 ** 31), 2 ** 31 - 1


def largest_scale(values, lo, hi):
    s = int(math.floor(math.log2(hi / max(np.abs(values).max(), 1e-12))))
    while np.round(values * 2.0 ** s).max() > hi or np.round(values * 2.0 ** s).min() < lo:
        s -= 1
    return s


def int_predict(m, x):
    w1 = np.array(m["w1"], dtype=object)
    b1 = np.array(m["b1"], dtype=object)
    w2 = np.array(m["w2"], dtype=object)
    b2 = np.array(m["b2"], dtype=object)
    pre = x.astype(object).dot(w1.T) + b1
    h = np.vectorize(lambda v: v if v > 0 else 0, otypes=[object])(pre)
    logits = h.dot(w2.T) + b2
    return np.array([int(np.argmax(np.array(row, dtype=np.int64))) for row in logits])


def build():
    x, y = linear.load()
    idx = np.arange(len(y))
    tr, te = train_test_split(idx, test_size=linear.TEST_FRACTION, random_state=linear.SEED, stratify=y)
    tr, te = np.sort(tr), np.sort(te)
    clf = MLPClassifier(hidden_layer_sizes=(HIDDEN,), activation="relu", solver="lbfgs", alpha=ALPHA,
                        max_iter=5000, random_state=0)
    clf.fit(x[tr] / linear.PIXEL_MAX, y[tr])
    w1 = clf.coefs_[0].T / linear.PIXEL_MAX   # HIDDEN x 64, per raw pixel unit
    b1 = clf.intercepts_[0]
    w2 = clf.coefs_[1].T                      # 10 x HIDDEN
    b2 = clf.intercepts_[1]
    b2 = b2 - b2.mean()                       # a common shift leaves the argmax unchanged
    s1 = min(largest_scale(w1, W_MIN, W_MAX), largest_scale(b1, B_MIN, B_MAX))
    s2 = largest_scale(w2, W_MIN, W_MAX)
    while np.abs(np.round(b2 * 2.0 ** (s1 + s2))).max() > B_MAX:
        s2 -= 1
    q = lambda a, s: np.round(a * 2.0 ** s).astype(np.int64)  # noqa: E731
    model = {
        "format": FORMAT,
        "classes": linear.CLASSES,
        "features": linear.FEATURES,
        "hidden": HIDDEN,
        "scaleBits1": s1,
        "scaleBits2": s2,
        "w1": [[int(v) for v in row] for row in q(w1, s1)],
        "b1": [int(v) for v in q(b1, s1)],
        "w2": [[int(v) for v in row] for row in q(w2, s2)],
        "b2": [int(v) for v in q(b2, s1 + s2)],
    }
    for key, lo, hi in (("w1", W_MIN, W_MAX), ("w2", W_MIN, W_MAX)):
        assert all(lo <= v <= hi for row in model[key] for v in row), key
    for key in ("b1", "b2"):
        assert all(B_MIN <= v <= B_MAX for v in model[key]), key
    acc_tr = float(np.mean(int_predict(model, x[tr]) == y[tr]))
    acc_te = float(np.mean(int_predict(model, x[te]) == y[te]))
    model["accuracy"] = {"train": round(acc_tr, 6), "test": round(acc_te, 6), "testSize": int(len(te)),
                         "split": linear.SPLIT}
    model["testIndices"] = [int(i) for i in te]
    model["source"] = linear.SOURCE
    return model, float(clf.score(x[te] / linear.PIXEL_MAX, y[te]))


def serialise(model):
    out = ["{"]
    items = list(model.items())
    for k, (key, val) in enumerate(items):
        comma = "," if k < len(items) - 1 else ""
        if key in ("w1", "w2"):
            rows = [json.dumps(r, separators=(",", ":")) for r in val]
            out.append(f'  "{key}": [\n    ' + ",\n    ".join(rows) + f"\n  ]{comma}")
        else:
            out.append(f"  {json.dumps(key)}: {json.dumps(val, separators=(',', ':'))}{comma}")
    out.append("}")
    return "\n".join(out) + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="compare with the committed JSON; exit 1 on mismatch")
    ap.add_argument("--out", default=OUT)
    args = ap.parse_args()
    model, float_test = build()
    text = serialise(model)
    json.loads(text)
    acc = model["accuracy"]
    print(f"hidden={HIDDEN} S1={model['scaleBits1']} S2={model['scaleBits2']} quantised accuracy: "
          f"train={acc['train']:.4f} test={acc['test']:.4f} (float test={float_test:.4f})", file=sys.stderr)
    if args.check:
        try:
            with open(args.out, encoding="utf-8") as f:
                ok = f.read() == text
        except FileNotFoundError:
            ok = False
        print("check OK" if ok else f"CHECK FAILED: {args.out} differs from a re-run", file=sys.stderr)
        return 0 if ok else 1
    with open(args.out, "w", encoding="utf-8") as f:
        f.write(text)
    print(f"wrote {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
