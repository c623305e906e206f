#!/usr/bin/python3
"""PyTorch reference timings for the ONNX Runtime benchmarks (same architecture, same weights).

  /usr/bin/python3 bench/torch_reference.py [--batch 8] [--threads 2] [--iters 5]      # ViT-B/16 patch encoder
  /usr/bin/python3 bench/torch_reference.py --text [--batch 16]                          # CLIP text encoder
  /usr/bin/python3 bench/torch_reference.py --sam-decoder [--points 2]                   # SAM prompt decoder, per click
  /usr/bin/python3 bench/torch_reference.py [--text|--sam-decoder] --export bench/.data/<dir>   # write the same model as a pack

The model is built from a fixed seed (random init), so the pack written with --export holds the
exact weights that are timed here and the TypeScript benchmark runs the same model through
onnxruntime-node. Timed: the model's forward on already-normalised inputs (no preprocessing),
torch.no_grad, after --warmup untimed runs. Prints one JSON line.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tools" / "export"))

import torch  # noqa: E402

from clip_model import PatchEncoder, TextConfig, TextEncoder, TextTransformer, VisionConfig, VisionTransformer  # noqa: E402
from export_pack import build_clip_pack, build_sam_pack  # noqa: E402
from pack import CLIP_MEAN, CLIP_STD, write_manifest  # noqa: E402
from sam_model import SamPromptDecoder  # noqa: E402

# CLIP ViT-B/16 (GRAFT's architecture): vision width 768, 12 layers, 12 heads, output 512.
VIT_B16 = VisionConfig(width=768, layers=12, heads=12, patch_size=16, image_size=224, output_dim=512)
TEXT_B16 = TextConfig(width=512, layers=12, heads=8, vocab_size=49408, context_length=77, output_dim=512)
SEED = 0
TOKENIZER_DIR = REPO.parent / "shared" / "data" / "clip-tokenizer"


def blas_in_use() -> str:
    """Which BLAS library torch's matmuls went through (Debian's torch uses the system libblas.so.3).

    Debian's default /usr/lib/x86_64-linux-gnu/blas/libblas.so.3 is the unoptimised reference BLAS
    (~1-2 GFLOP/s): a PyTorch reference on it is not a fair baseline. See bench notes in
    tools/export/README.md for running with OpenBLAS without changing the system.
    """
    torch.ones(64, 64) @ torch.ones(64, 64)
    try:
        libs = {line.split()[-1] for line in open("/proc/self/maps") if "blas" in line.lower() and "/" in line}
    except OSError:
        return "unknown"
    if any("openblas" in lib for lib in libs):
        return "openblas"
    if any("mkl" in lib for lib in libs):
        return "mkl"
    if any("/blas/libblas" in lib for lib in libs):
        return "reference (Debian libblas3, unoptimised)"
    return ", ".join(sorted(libs)) or "unknown"


def timed(fn, warmup: int, iters: int) -> float:
    """Median seconds of ``iters`` calls after ``warmup`` untimed ones."""
    with torch.no_grad():
        for _ in range(warmup):
            fn()
        times = []
        for _ in range(iters):
            t = time.perf_counter()
            fn()
            times.append(time.perf_counter() - t)
    times.sort()
    return times[len(times) // 2]


def sample_ids(batch: int) -> torch.Tensor:
    g = torch.Generator().manual_seed(1)
    ids = torch.zeros(batch, 77, dtype=torch.int64)
    for i in range(batch):
        n = 3 + i % 6  # 3..8 word pieces, typical of short queries
        ids[i, 0] = 49406
        ids[i, 1 : 1 + n] = torch.randint(256, 49000, (n,), generator=g)
        ids[i, 1 + n] = 49407
    return ids


def export_pack_dir(args, out: Path, mode: str, model) -> None:
    manifest = {
        "id": f"bench-{mode}-random",
        "version": "0.1.0",
        "name": f"Benchmark {mode} (real size, random init seed {SEED})",
        "description": "Real-size random-init model written by bench/torch_reference.py --export for ONNX Runtime vs PyTorch timings.",
        "sensor": "naip",
        "gsd_m": 1.0,
        "bands": ["R", "G", "B"],
        "input": {"size": 224, "pixel_range": [0, 255], "mean": CLIP_MEAN, "std": CLIP_STD},
        "patch_size": 16,
        "embed_dim": 256 if mode == "sam-decoder" else 512,
        "precision": "fp16" if args.fp16 else "fp32",
        "roles": {},
        "license": "MIT (random weights)",
        "citation": "none (benchmark model)",
    }
    if mode == "vision":
        build_clip_pack(out, manifest, model.visual, None, ["patch_encoder"], args.fp16, None)
    elif mode == "text":
        tok = TOKENIZER_DIR if TOKENIZER_DIR.is_dir() else None
        build_clip_pack(out, manifest, None, model.text, ["text_encoder"], args.fp16, tok)
    else:
        build_sam_pack(out, manifest, None, model, args.fp16)
    manifest["provenance"] = {"source": f"random init, torch.manual_seed({SEED})", "exporter": "bench/torch_reference.py"}
    write_manifest(out, manifest)


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    mode = p.add_mutually_exclusive_group()
    mode.add_argument("--text", action="store_true", help="time the CLIP text encoder (ViT-B/16's text tower)")
    mode.add_argument("--sam-decoder", action="store_true", help="time SAM's prompt encoder + mask decoder per click")
    p.add_argument("--batch", type=int, default=8, help="chips (or texts) per forward")
    p.add_argument("--threads", type=int, default=2, help="torch.set_num_threads")
    p.add_argument("--iters", type=int, default=5)
    p.add_argument("--warmup", type=int, default=1)
    p.add_argument("--points", type=int, default=1, help="clicks per decoder call (a padding point is added)")
    p.add_argument("--export", metavar="DIR", help="write this model as a pack to DIR instead of timing")
    p.add_argument("--fp16", action="store_true", help="with --export: float16 pack")
    args = p.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(SEED)

    if args.sam_decoder:
        m = SamPromptDecoder().eval()
        m.freeze_pe()
        name = "sam-decoder"
    elif args.text:
        m = TextEncoder(TextTransformer(TEXT_B16)).eval()
        name = "text"
    else:
        m = PatchEncoder(VisionTransformer(VIT_B16)).eval()
        name = "vision"

    if args.export:
        out = Path(args.export)
        out.mkdir(parents=True, exist_ok=True)
        export_pack_dir(args, out, name, m)
        print(json.dumps({"exported": str(out), "mode": name, "seed": SEED}))
        return 0

    if name == "sam-decoder":
        emb = torch.randn(1, 256, 64, 64)
        pts = torch.cat([torch.rand(1, args.points, 2) * 1024, torch.zeros(1, 1, 2)], dim=1)
        lab = torch.cat([torch.ones(1, args.points), -torch.ones(1, 1)], dim=1)
        call = lambda: m(emb, pts, lab, torch.zeros(1, 1, 256, 256), torch.zeros(1), torch.tensor([1024.0, 1024.0]))  # noqa: E731
        s = timed(call, args.warmup, args.iters)
        result = {"mode": name, "ms_per_click": round(s * 1e3, 2), "clicks_per_s": round(1 / s, 2), "points": args.points, "threads": args.threads}
    elif name == "text":
        ids = sample_ids(args.batch)
        s = timed(lambda: m(ids), args.warmup, args.iters)
        result = {"mode": name, "texts_per_s": round(args.batch / s, 2), "ms_per_batch": round(s * 1e3, 2), "batch": args.batch, "threads": args.threads}
    else:
        x = torch.randn(args.batch, 3, 224, 224)
        s = timed(lambda: m(x), args.warmup, args.iters)
        result = {"mode": name, "chips_per_s": round(args.batch / s, 3), "ms_per_batch": round(s * 1e3, 1), "batch": args.batch, "threads": args.threads}
    result["model"] = {"vision": "CLIP ViT-B/16 patch encoder", "text": "CLIP ViT-B/16 text encoder", "sam-decoder": "SAM prompt decoder (real size)"}[name]
    result["torch"] = torch.__version__
    result["blas"] = blas_in_use()
    if result["blas"].startswith("reference"):
        print("warning: torch is using the reference BLAS; see tools/export/README.md (OpenBLAS via LD_LIBRARY_PATH)", file=sys.stderr)
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
