"""Writing model packs: ONNX graphs per role, role descriptors, preprocessing, manifest.json.

The manifest format is the shared contract in docs / tools/export/README.md ("graft-pack/1").
Both export_pack.py (published checkpoints) and make_fixture_packs.py (random-init fixtures)
go through these functions, so the fixtures prove the real export path.
"""
from __future__ import annotations

import datetime as _dt
import json
import shutil
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

from checkpoint_io import sha256_file
from clip_model import ImageEncoder, PatchEncoder, TextEncoder, TextTransformer, VisionTransformer
from onnx_io import export_onnx, save, to_float16
from sam_model import SamImageEncoderViT, SamPromptDecoder

SCHEMA = "graft-pack/1"
EXPORTER_VERSION = "1.0.0"
CLIP_MEAN = [0.48145466, 0.4578275, 0.40821073]
CLIP_STD = [0.26862954, 0.26130258, 0.27577711]
SAM_MEAN = [123.675, 116.28, 103.53]  # pixel units 0..255
SAM_STD = [58.395, 57.12, 57.375]
TOKENIZER_FILES = ("vocab.json", "merges.txt")
SAM_DECODER_INPUTS = ["image_embeddings", "point_coords", "point_labels", "mask_input", "has_mask_input", "orig_im_size"]
SAM_DECODER_OUTPUTS = ["masks", "iou_predictions", "low_res_masks"]


def _io(dtype: str, shape: list) -> dict:
    return {"type": dtype, "shape": shape}


# ----------------------------------------------------------------------------- preprocessing


def clip_preprocess(raw: np.ndarray, size: int, pixel_range=(0.0, 255.0), mean=CLIP_MEAN, std=CLIP_STD) -> torch.Tensor:
    """raw [H,W,C] band values -> pixel_values float32[1,C,size,size].

    x = clamp((v - lo) / (hi - lo), 0, 1); x = (x - mean[c]) / std[c]. A chip of another size is
    resized with bilinear interpolation, half-pixel centres, no antialiasing (goldens use size-sized chips).
    """
    lo, hi = pixel_range
    x = torch.from_numpy(raw.astype(np.float32)).permute(2, 0, 1)[None]  # [1,C,H,W]
    if x.shape[-2:] != (size, size):
        x = F.interpolate(x, size=(size, size), mode="bilinear", align_corners=False)
    x = ((x - lo) / (hi - lo)).clamp(0, 1)
    m = torch.tensor(mean, dtype=torch.float32).view(1, -1, 1, 1)
    s = torch.tensor(std, dtype=torch.float32).view(1, -1, 1, 1)
    return (x - m) / s


def sam_resized_size(h: int, w: int, longest: int = 1024) -> tuple[int, int]:
    """(h', w') with the longest side = ``longest``, rounded half up (as SAM's ResizeLongestSide)."""
    scale = longest / max(h, w)
    return int(h * scale + 0.5), int(w * scale + 0.5)


def sam_preprocess(raw: np.ndarray, size: int = 1024, mean=SAM_MEAN, std=SAM_STD) -> torch.Tensor:
    """raw uint8 [H,W,3] -> image float32[1,3,size,size]: longest side resized to ``size`` (bilinear,
    half-pixel centres, no antialias, kept as float: no uint8 rounding), (v - mean) / std in 0..255
    units, then zero padding at the bottom/right."""
    h, w = raw.shape[:2]
    nh, nw = sam_resized_size(h, w, size)
    x = torch.from_numpy(raw.astype(np.float32)).permute(2, 0, 1)[None]
    x = F.interpolate(x, size=(nh, nw), mode="bilinear", align_corners=False)
    x = (x - torch.tensor(mean).view(1, 3, 1, 1)) / torch.tensor(std).view(1, 3, 1, 1)
    return F.pad(x, (0, size - nw, 0, size - nh))


# ----------------------------------------------------------------------------- role export


def _finish(model, path: Path, fp16: bool) -> None:
    save(to_float16(model) if fp16 else model, path)


def export_patch_encoder(visual: VisionTransformer, out: Path, fp16: bool, file: str = "patch_encoder.onnx") -> dict:
    c = visual.cfg
    x = torch.zeros(2, 3, c.image_size, c.image_size)
    m = export_onnx(PatchEncoder(visual), (x,), ["pixel_values"], ["patch_embeds"], {"pixel_values": {0: "N"}, "patch_embeds": {0: "N"}})
    _finish(m, out / file, fp16)
    t = "float16" if fp16 else "float32"
    return {
        "file": file,
        "inputs": {"pixel_values": _io(t, ["N", 3, c.image_size, c.image_size])},
        "outputs": {"patch_embeds": _io(t, ["N", c.grid * c.grid, c.output_dim])},
    }


def export_image_encoder(visual: VisionTransformer, out: Path, fp16: bool, file: str = "image_encoder.onnx") -> dict:
    c = visual.cfg
    x = torch.zeros(2, 3, c.image_size, c.image_size)
    m = export_onnx(ImageEncoder(visual), (x,), ["pixel_values"], ["image_embeds"], {"pixel_values": {0: "N"}, "image_embeds": {0: "N"}})
    _finish(m, out / file, fp16)
    t = "float16" if fp16 else "float32"
    return {
        "file": file,
        "inputs": {"pixel_values": _io(t, ["N", 3, c.image_size, c.image_size])},
        "outputs": {"image_embeds": _io(t, ["N", c.output_dim])},
    }


def export_text_encoder(text: TextTransformer, out: Path, fp16: bool, tokenizer_dir: Path | None, pad: str = "zeros", file: str = "text_encoder.onnx") -> dict:
    c = text.cfg
    ids = torch.zeros(2, c.context_length, dtype=torch.int64)
    ids[:, 0], ids[:, 1] = 49406, c.vocab_size - 1
    m = export_onnx(TextEncoder(text), (ids,), ["input_ids"], ["text_embeds"], {"input_ids": {0: "N"}, "text_embeds": {0: "N"}})
    _finish(m, out / file, fp16)
    t = "float16" if fp16 else "float32"
    role = {
        "file": file,
        "inputs": {"input_ids": _io("int64", ["N", c.context_length])},
        "outputs": {"text_embeds": _io(t, ["N", c.output_dim])},
    }
    if copy_tokenizer(tokenizer_dir, out):
        role["tokenizer"] = {"kind": "clip-bpe", "vocab": "vocab.json", "merges": "merges.txt", "context_length": c.context_length, "pad": pad}
    return role


def copy_tokenizer(tokenizer_dir: Path | None, out: Path) -> bool:
    """Copy vocab.json + merges.txt into the pack; False (nothing copied) when either is absent."""
    if tokenizer_dir is None or not all((Path(tokenizer_dir) / f).is_file() for f in TOKENIZER_FILES):
        return False
    for f in TOKENIZER_FILES:
        shutil.copyfile(Path(tokenizer_dir) / f, out / f)
    return True


def export_sam_encoder(enc: SamImageEncoderViT, out: Path, fp16: bool, file: str = "sam_image_encoder.onnx") -> dict:
    s = enc.cfg.img_size
    g = s // enc.cfg.patch_size
    m = export_onnx(enc, (torch.zeros(1, 3, s, s),), ["image"], ["image_embeddings"], {})
    _finish(m, out / file, fp16)
    t = "float16" if fp16 else "float32"
    return {
        "file": file,
        "inputs": {"image": _io(t, [1, 3, s, s])},
        "outputs": {"image_embeddings": _io(t, [1, enc.cfg.out_chans, g, g])},
        "input_size": s,
        "mean": SAM_MEAN,
        "std": SAM_STD,
    }


def sam_decoder_example(grid: int = 64) -> tuple[torch.Tensor, ...]:
    return (
        torch.zeros(1, 256, grid, grid),
        torch.tensor([[[500.0, 300.0], [0.0, 0.0]]]),
        torch.tensor([[1.0, -1.0]]),
        torch.zeros(1, 1, 4 * grid, 4 * grid),
        torch.zeros(1),
        torch.tensor([600.0, 800.0]),
    )


def export_sam_decoder(dec: SamPromptDecoder, out: Path, fp16: bool, file: str = "sam_prompt_decoder.onnx") -> dict:
    g = dec.embed_grid
    m = export_onnx(
        dec,
        sam_decoder_example(g),
        SAM_DECODER_INPUTS,
        SAM_DECODER_OUTPUTS,
        {"point_coords": {1: "P"}, "point_labels": {1: "P"}, "masks": {2: "H", 3: "W"}},
    )
    _finish(m, out / file, fp16)
    t = "float16" if fp16 else "float32"
    nm = dec.mask_decoder.num_mask_tokens
    return {
        "file": file,
        "inputs": {
            "image_embeddings": _io(t, [1, 256, g, g]),
            "point_coords": _io(t, [1, "P", 2]),
            "point_labels": _io(t, [1, "P"]),
            "mask_input": _io(t, [1, 1, 4 * g, 4 * g]),
            "has_mask_input": _io(t, [1]),
            "orig_im_size": _io(t, [2]),
        },
        "outputs": {
            "masks": _io(t, [1, nm, "H", "W"]),
            "iou_predictions": _io(t, [1, nm]),
            "low_res_masks": _io(t, [1, nm, 4 * g, 4 * g]),
        },
    }


# ----------------------------------------------------------------------------- manifest


def file_entries(out: Path) -> dict:
    """sha256 + size of every file in the pack except manifest.json (paths relative, '/'-separated)."""
    entries = {}
    for p in sorted(out.rglob("*")):
        if p.is_file() and p.name != "manifest.json":
            entries[p.relative_to(out).as_posix()] = {"sha256": sha256_file(p), "bytes": p.stat().st_size}
    return entries


def write_manifest(out: Path, manifest: dict) -> dict:
    """Fill ``files`` and ``provenance.created``, write manifest.json last (its presence = pack complete)."""
    manifest = {"schema": SCHEMA, **manifest}
    manifest["files"] = file_entries(out)
    manifest.setdefault("provenance", {})["created"] = _dt.datetime.now(_dt.timezone.utc).replace(microsecond=0).isoformat()
    order = ["schema", "id", "version", "name", "description", "sensor", "gsd_m", "bands", "input", "patch_size", "embed_dim", "precision", "roles", "files", "license", "citation", "provenance", "goldens"]
    ordered = {k: manifest[k] for k in order if k in manifest}
    ordered.update({k: v for k, v in manifest.items() if k not in ordered})
    tmp = out / "manifest.json.tmp"
    tmp.write_text(json.dumps(ordered, indent=2) + "\n", encoding="utf-8")
    tmp.replace(out / "manifest.json")
    return ordered
