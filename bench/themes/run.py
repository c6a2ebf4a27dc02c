"""Benchmark of pcplan's theme analysis against scikit-learn (TF-IDF + NMF).

For each labelled data set it runs pcplan and scikit-learn in the same run, each in
its own subprocess (so wall time and peak memory are the tool's own, end to end:
start-up, reading the file, fitting, writing the result), with the same number of
themes, and prints one table: wall time, fit time, peak RSS, and agreement with the
human labels (normalised mutual information, and macro F1 after Hungarian matching
of themes to labels).

With `--model-dir DIR` (default: the environment variable PCPLAN_EMBEDDING_MODEL)
and the command line (`--kind cli`) of a pcplan built with the `embeddings` feature,
each data set of at most `--embedding-max` responses gets a third row, `pcplan-emb`:
the same command with `--model-dir`, so themes from all-MiniLM-L6-v2 sentence
embeddings, timed and scored in the same way. Larger sets are left out: embedding runs
at tens of responses a second on a small machine. The TF-IDF rows never see the model
(the variable is removed from their environment).

It is not a test and not part of CI: timings depend on the machine. It downloads
nothing; `run.sh` installs the Python packages (from PyPI) before calling it.

Usage: python run.py --pcplan BINARY [--kind cli|example] [--sizes 10000,100000]
                     [--seed 42] [--seeds N] [--only NAME] [--keep DIR]
                     [--model-dir DIR] [--embedding-max N]
       python run.py sklearn INPUT.jsonl K OUT.json SEED   (the scikit-learn worker)
"""

import argparse
import json
import os
import random
import re
import shlex
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
THEMEFINDER = REPO.parent / "shared" / "data" / "consultation" / "themefinder" / "evals" / "data" / "gambling_XS"
MAPPING_DATE = "2025-07-22"
SEED = 42
GNU_TIME = "/usr/bin/time"
# A response is counted in every theme holding at least this share of its weight,
# pcplan's default `assignment_threshold`; applied to scikit-learn's W in the same way.
SHARE = 0.25
# The command line reads the model directory from this variable too.
MODEL_ENV = "PCPLAN_EMBEDDING_MODEL"


# ---------------------------------------------------------------------------
# Data sets: each is a list of (id, text, labels), labels a non-empty list whose
# first entry is the one used for NMI.
# ---------------------------------------------------------------------------


def read_jsonl(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def gambling(question):
    """i-dot-ai/themefinder evals/data/gambling_XS, one question part (MIT)."""
    responses = read_jsonl(THEMEFINDER / "inputs" / f"question_part_{question}" / "responses.jsonl")
    mapping = read_jsonl(
        THEMEFINDER / "outputs" / "mapping" / MAPPING_DATE / f"question_part_{question}" / "mapping.jsonl"
    )
    labels = {m["response_id"]: m["labels"] for m in mapping}
    return [(str(r["response_id"]), r["response"], labels[r["response_id"]]) for r in responses]


def chatterbot(min_size=10):
    """The English dialogues of the chatterbot-corpus wheel (BSD-3-Clause), one item per
    conversation (its lines joined), labelled by its file's category. Categories with
    fewer than `min_size` conversations are left out: no theme can hold them."""
    import chatterbot_corpus  # installed by run.sh from PyPI; ships its data in the wheel
    import yaml

    root = Path(chatterbot_corpus.__file__).parent / "data" / "english"
    items = []
    for path in sorted(root.glob("*.yml")):
        with open(path, encoding="utf-8") as f:
            doc = yaml.safe_load(f)
        category = path.stem
        conversations = doc.get("conversations") or []
        if len(conversations) < min_size:
            continue
        for n, conversation in enumerate(conversations):
            text = " ".join(str(line) for line in conversation if line is not None)
            if text.strip():
                items.append((f"{category}-{n}", text, [category]))
    return items


def sentences(text):
    return [s.strip() for s in re.split(r"(?<=[.!?])\s+", text) if s.strip()]


def typo(word, rng):
    """A seeded misspelling: swap two neighbouring letters or double one."""
    if len(word) < 4:
        return word
    i = rng.randrange(1, len(word) - 2)
    if rng.random() < 0.5:
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    return word[: i + 1] + word[i] + word[i + 1 :]


def generated(n, seed):
    """`n` survey-length responses (10 to 60 words) with known labels, recombined from
    the sentences of both gambling_XS question parts.

    Each response picks a labelled source response at random and one of its labels,
    then draws one to four sentences from responses of the same question carrying that
    label, drops each word with probability 0.08, misspells it with probability 0.03
    (so that, as in real consultations, the vocabulary keeps growing with rare
    spellings), and is cut at 60 words; under 10 words it draws another sentence. The
    response is labelled with the chosen label (prefixed by its question). Same `n`
    and seed, same corpus.
    """
    rng = random.Random(seed)
    pools = {}
    sources = []
    for q in (1, 2):
        for _id, text, labels in gambling(q):
            sources.append((q, labels))
            for label in labels:
                pools.setdefault((q, label), []).extend(sentences(text))
    items = []
    for i in range(n):
        q, labels = sources[rng.randrange(len(sources))]
        label = labels[rng.randrange(len(labels))]
        pool = pools[(q, label)]
        words = []
        wanted = rng.randint(1, 4)
        drawn = 0
        while drawn < wanted or len(words) < 10:
            for w in pool[rng.randrange(len(pool))].split():
                r = rng.random()
                if r < 0.08:
                    continue
                words.append(typo(w, rng) if r < 0.11 else w)
            drawn += 1
        items.append((f"g{i}", " ".join(words[:60]), [f"q{q}:{label}"]))
    return items


# ---------------------------------------------------------------------------
# Agreement with the labels.
# ---------------------------------------------------------------------------


def nmi(themes, items):
    """NMI (arithmetic normalisation) of top theme ("other" counts as one cluster)
    against each item's first label."""
    from sklearn.metrics import normalized_mutual_info_score

    return normalized_mutual_info_score([labels[0] for _, _, labels in items], themes)


def matched_f1(assigned, items):
    """Macro F1 over the labels after matching themes one-to-one to labels by the
    Hungarian method (maximising the summed F1). `assigned[i]` is the set of themes of
    item i; an item may hold several labels and several themes. Labels left without a
    theme count as F1 0."""
    import numpy as np
    from scipy.optimize import linear_sum_assignment

    labels = sorted({label for _, _, ls in items for label in ls})
    themes = sorted({t for ts in assigned for t in ts})
    if not themes:
        return 0.0
    li = {label: n for n, label in enumerate(labels)}
    ti = {t: n for n, t in enumerate(themes)}
    both = np.zeros((len(labels), len(themes)))
    label_count = np.zeros(len(labels))
    theme_count = np.zeros(len(themes))
    for (_, _, ls), ts in zip(items, assigned):
        for label in set(ls):
            label_count[li[label]] += 1
            for t in ts:
                both[li[label], ti[t]] += 1
        for t in ts:
            theme_count[ti[t]] += 1
    denom = label_count[:, None] + theme_count[None, :]
    f1 = np.divide(2 * both, denom, out=np.zeros_like(both), where=denom > 0)
    rows, cols = linear_sum_assignment(-f1)
    return float(f1[rows, cols].sum() / len(labels))


# ---------------------------------------------------------------------------
# Running the tools.
# ---------------------------------------------------------------------------


def measure(cmd, stdout_path=None, env=None):
    """Runs `cmd`, returning (wall seconds, peak RSS in MiB, stderr); its standard
    output goes to `stdout_path` when given.

    Peak RSS comes from GNU time (`/usr/bin/time`, Debian package `time`), not from
    this process's wait4: a child forked from this Python process (which has numpy and
    scikit-learn loaded) starts with this process's resident set counted in its
    ru_maxrss, whereas GNU time forks the command from a process of about 2 MiB."""
    out = open(stdout_path, "wb") if stdout_path else subprocess.DEVNULL
    start = time.perf_counter()
    with tempfile.NamedTemporaryFile() as rss, tempfile.TemporaryFile() as err:
        proc = subprocess.run(
            [GNU_TIME, "-f", "%M", "-o", rss.name] + cmd, stdout=out, stderr=err, check=False, env=env
        )
        wall = time.perf_counter() - start
        err.seek(0)
        stderr = err.read().decode("utf-8", "replace")
        if proc.returncode != 0:
            sys.exit(f"{shlex.join(cmd)} failed with {proc.returncode}:\n{stderr}")
        peak_kib = int(Path(rss.name).read_text().split()[-1])
    if stdout_path:
        out.close()
    return wall, peak_kib / 1024, stderr


def run_pcplan(pcplan, path, k, out, model_dir=None):
    """pcplan on `path`; with `model_dir`, from sentence embeddings (the command line
    only). Without it the model variable is removed, so the row is always TF-IDF."""
    cmd, stdout_path = pcplan["argv"](path, k, out)
    env = {name: v for name, v in os.environ.items() if name != MODEL_ENV}
    if model_dir:
        cmd = cmd + ["--model-dir", str(model_dir)]
    wall, rss, stderr = measure(cmd, stdout_path, env=env)
    with open(out, encoding="utf-8") as f:
        analysis = json.load(f)
    if model_dir and analysis["method"] != "embeddings-kmeans":
        sys.exit(f"pcplan did not use the model at {model_dir}: {analysis.get('method_note', analysis['method'])}")
    fit = re.search(r"analyse ([0-9.]+)s", stderr)
    top, multi = [], []
    for a in analysis["assignments"]:
        themes = [s["theme"] for s in a["themes"]]
        top.append(themes[0] if themes else -1)
        multi.append(set(themes))
    return {
        "k": len(analysis["themes"]),
        "wall": wall,
        "fit": float(fit.group(1)) if fit else None,
        "rss": rss,
        "top": top,
        "multi": multi,
    }


def run_sklearn(path, k, out, seed):
    cmd = [sys.executable, str(Path(__file__).resolve()), "sklearn", str(path), str(k), str(out), str(seed)]
    # Some machines set these for old OpenBLAS builds; they slow a current numpy.
    env = {name: v for name, v in os.environ.items() if name not in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")}
    wall, rss, _ = measure(cmd, env=env)
    with open(out, encoding="utf-8") as f:
        result = json.load(f)
    top, multi = [], []
    for shares in result["shares"]:
        best = max(range(len(shares)), key=lambda t: (shares[t], -t)) if any(shares) else -1
        top.append(best)
        multi.append({t for t, s in enumerate(shares) if s > 0 and (t == best or s >= SHARE)})
    return {"k": k, "wall": wall, "fit": result["fit_seconds"], "rss": rss, "top": top, "multi": multi}


def sklearn_worker(path, k, out, seed):
    """TF-IDF and NMF as a scikit-learn user would write them, with settings close to
    pcplan's: English stop words, sublinear tf, terms in at least 2 and at most 90% of
    the responses, words and two-word phrases, NNDSVDa initialisation, the default
    coordinate-descent solver (200 iterations at most, tolerance 1e-4)."""
    start = time.perf_counter()
    from sklearn.decomposition import NMF
    from sklearn.feature_extraction.text import TfidfVectorizer

    texts = [row["text"] for row in read_jsonl(path)]
    fit_start = time.perf_counter()
    vectorizer = TfidfVectorizer(stop_words="english", sublinear_tf=True, min_df=2, max_df=0.9, ngram_range=(1, 2))
    x = vectorizer.fit_transform(texts)
    model = NMF(n_components=k, init="nndsvda", random_state=seed, max_iter=200)
    w = model.fit_transform(x)
    fit = time.perf_counter() - fit_start
    totals = w.sum(axis=1, keepdims=True)
    totals[totals == 0] = 1
    shares = (w / totals).round(4).tolist()
    with open(out, "w", encoding="utf-8") as f:
        json.dump({"fit_seconds": fit, "import_seconds": fit_start - start, "shares": shares}, f)


# ---------------------------------------------------------------------------
# The table.
# ---------------------------------------------------------------------------


def write_jsonl(items, path):
    with open(path, "w", encoding="utf-8") as f:
        for id_, text, _ in items:
            f.write(json.dumps({"id": id_, "text": text}) + "\n")


def bench(name, items, pcplan, work, seed, rows, model_dir=None):
    path = work / f"{name}.jsonl"
    write_jsonl(items, path)
    n_labels = len({label for _, _, ls in items for label in ls})
    for mode, k in (("auto", None), ("labels", n_labels)):
        p = run_pcplan(pcplan, path, k, work / f"{name}-{mode}-pcplan.json")
        if p["k"] == 0:
            print(f"{name}: pcplan found no themes ({mode}); skipped", file=sys.stderr)
            continue
        # scikit-learn fits the number of themes pcplan reports, after its quality rules.
        s = run_sklearn(path, p["k"] if k is None else k, work / f"{name}-{mode}-sklearn.json", seed)
        tools = [("pcplan", p), ("sklearn", s)]
        if model_dir:
            tools.append(("pcplan-emb", run_pcplan(pcplan, path, k, work / f"{name}-{mode}-emb.json", model_dir)))
        for tool, r in tools:
            rows.append(
                {
                    "data": name,
                    "n": len(items),
                    "labels": n_labels,
                    "k mode": mode if k is None else f"k={k}",
                    "tool": tool,
                    "themes": r["k"],
                    "wall s": r["wall"],
                    "fit s": r["fit"],
                    "peak MiB": r["rss"],
                    "NMI": nmi(r["top"], items),
                    "F1 top": matched_f1([{t} if t >= 0 else set() for t in r["top"]], items),
                    "F1 multi": matched_f1(r["multi"], items),
                }
            )
        print(f"done {name} {mode}", file=sys.stderr, flush=True)


def seed_spread(name, items, pcplan, work, seeds):
    """pcplan's agreement at k = number of labels over `seeds` seeds (1..seeds): the
    labelled sets are small, so one seed's figure moves by a few hundredths."""
    import statistics

    path = work / f"{name}.jsonl"
    write_jsonl(items, path)
    k = len({label for _, _, ls in items for label in ls})
    scores = []
    for seed in range(1, seeds + 1):
        pcplan["seed"] = seed
        r = run_pcplan(pcplan, path, k, work / f"{name}-seed{seed}.json")
        scores.append((nmi(r["top"], items), matched_f1([{t} if t >= 0 else set() for t in r["top"]], items)))
    pcplan["seed"] = None
    nmis, f1s = [s[0] for s in scores], [s[1] for s in scores]
    return (
        f"{name}: pcplan k={k} over seeds 1..{seeds}: NMI {statistics.mean(nmis):.3f} "
        f"(sd {statistics.pstdev(nmis):.3f}), F1 top {statistics.mean(f1s):.3f} (sd {statistics.pstdev(f1s):.3f})"
    )


def show(rows):
    columns = list(rows[0])

    def cell(v):
        if v is None:
            return "-"
        if isinstance(v, float):
            return f"{v:.3f}" if v < 10 else f"{v:.1f}"
        return str(v)

    table = [columns] + [[cell(r[c]) for c in columns] for r in rows]
    widths = [max(len(line[i]) for line in table) for i in range(len(columns))]
    for n, line in enumerate(table):
        print(" | ".join(v.ljust(w) for v, w in zip(line, widths)))
        if n == 0:
            print("-+-".join("-" * w for w in widths))
    print()
    groups = {}
    for r in rows:
        groups.setdefault((r["data"], r["k mode"]), {})[r["tool"]] = r
    for (data, mode), tools in groups.items():
        a, b = tools["pcplan"], tools["sklearn"]
        fit = f", fit time {b['fit s'] / a['fit s']:.1f}x" if a["fit s"] and b["fit s"] else ""
        line = (
            f"{data} {mode}: sklearn/pcplan wall time {b['wall s'] / a['wall s']:.1f}x{fit}, "
            f"peak memory {b['peak MiB'] / a['peak MiB']:.1f}x"
        )
        if "pcplan-emb" in tools:
            e = tools["pcplan-emb"]
            line += (
                f"; embeddings/TF-IDF wall time {e['wall s'] / a['wall s']:.0f}x "
                f"({e['n'] / e['wall s']:.1f} responses a second, the whole process), "
                f"peak memory {e['peak MiB'] / a['peak MiB']:.1f}x"
            )
        print(line)


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "sklearn":
        sklearn_worker(sys.argv[2], int(sys.argv[3]), sys.argv[4], int(sys.argv[5]))
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pcplan", required=True, help="the pcplan binary, or the analyse_jsonl example")
    parser.add_argument(
        "--kind",
        choices=["cli", "example"],
        default="example",
        help="cli: `pcplan themes analyse FILE --format json`; example: `analyse_jsonl FILE --out OUT`",
    )
    parser.add_argument("--sizes", default="10000,100000", help="sizes of the generated corpus")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--keep", help="keep the generated inputs and outputs in this folder")
    parser.add_argument("--only", help="run only the data sets whose name contains this")
    parser.add_argument(
        "--seeds", type=int, default=0, help="also report pcplan's agreement over this many seeds (labelled sets)"
    )
    parser.add_argument(
        "--model-dir",
        default=os.environ.get(MODEL_ENV),
        help=f"all-MiniLM-L6-v2 directory: adds pcplan-emb rows (default: ${MODEL_ENV})",
    )
    parser.add_argument(
        "--embedding-max", type=int, default=10000, help="the largest data set given a pcplan-emb row"
    )
    args = parser.parse_args()
    if args.model_dir and args.kind != "cli":
        print("note: embeddings need the command line (--kind cli); no pcplan-emb rows", file=sys.stderr)
        args.model_dir = None

    base = shlex.split(args.pcplan)
    if args.kind == "cli":

        def argv(path, k, out):
            # The command line prints the JSON analysis on standard output.
            cmd = base + ["themes", "analyse", str(path), "--text-column", "text", "--id-column", "id"]
            cmd += ["--format", "json", "--seed", str(pcplan.get("seed") or args.seed)]
            return cmd + (["--themes", str(k)] if k else []), out
    else:

        def argv(path, k, out):
            cmd = base + [str(path), "--out", str(out), "--seed", str(pcplan.get("seed") or args.seed), "--timings"]
            return cmd + (["--themes", str(k)] if k else []), None

    pcplan = {"argv": argv, "seed": None}

    work_dir = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="pcplan-bench-"))
    work_dir.mkdir(parents=True, exist_ok=True)
    sets = [("gambling-q1", lambda: gambling(1)), ("gambling-q2", lambda: gambling(2)), ("chatterbot", chatterbot)]
    for size in [int(s) for s in args.sizes.split(",") if s]:
        sets.append((f"generated-{size // 1000}k", lambda size=size: generated(size, args.seed)))
    rows, spreads = [], []
    for name, load in sets:
        if args.only and args.only not in name:
            continue
        items = load()
        if args.seeds and not name.startswith("generated"):
            spreads.append(seed_spread(name, items, pcplan, work_dir, args.seeds))
        words = sorted(len(t.split()) for _, t, _ in items)
        print(f"{name}: {len(items)} responses, median {words[len(words) // 2]} words", file=sys.stderr, flush=True)
        model_dir = args.model_dir if len(items) <= args.embedding_max else None
        bench(name, items, pcplan, work_dir, args.seed, rows, model_dir)
    show(rows)
    if spreads:
        print()
        print("\n".join(spreads))
    if not args.keep:
        for f in work_dir.iterdir():
            f.unlink()
        work_dir.rmdir()


if __name__ == "__main__":
    main()
