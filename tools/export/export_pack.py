#!/usr/bin/python3
"""Export a published checkpoint to a GRAFT Workbench model pack (manifest.json + ONNX files).

Examples (run with Debian's /usr/bin/python3: torch 1.13, onnx 1.12):
  /usr/bin/python3 tools/export/export_pack.py --kind graft-patch --checkpoint graft_naip.ckpt \
      --text-checkpoint ViT-B-16.pt --tokenizer-dir ../shared/data/clip-tokenizer --out packs/graft-naip
  /usr/bin/python3 tools/export/export_pack.py --kind clip-image --checkpoint ViT-B-16.pt --out packs/clip-b16 \
      --tokenizer-dir ../shared/data/clip-tokenizer --sensor rgb --fp16
  /usr/bin/python3 tools/export/export_pack.py --kind sam --checkpoint sam_vit_b_01ec64.pth --out packs/sam-b
  /usr/bin/python3 tools/export/export_pack.py --kind mobilesam --checkpoint mobile_sam.pt --out packs/mobilesam

Exit status 0 on success, 2 on a checkpoint / argument problem (message on stderr, no stack trace).
"""
from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from checkpoint_io import CheckpointError, load_state_dict, sha256_file  # noqa: E402
from clip_layouts import text_from_state_dict, vision_from_state_dict  # noqa: E402
from clip_model import TextTransformer, VisionTransformer  # noqa: E402
from pack import (  # noqa: E402
    CLIP_MEAN,
    CLIP_STD,
    EXPORTER_VERSION,
    export_image_encoder,
    export_patch_encoder,
    export_sam_decoder,
    export_sam_encoder,
    export_text_encoder,
    write_manifest,
)
from sam_layouts import decoder_from_state_dict, encoder_from_state_dict, is_tinyvit  # noqa: E402
from sam_model import SamImageEncoderViT, SamPromptDecoder  # noqa: E402

KINDS = ["graft-patch", "graft-image", "clip-text", "clip-image", "remoteclip-image", "sam", "mobilesam"]
EXPORTER = f"tools/export/export_pack.py v{EXPORTER_VERSION}"

META = {
    "graft": {
        "license": "as published with the GRAFT checkpoint (check it before redistributing)",
        "citation": "Mall et al., Remote Sensing Vision-Language Foundation Models without Annotations via Ground Remote Alignment, ICLR 2024",
    },
    "clip": {
        "license": "MIT (OpenAI CLIP weights)",
        "citation": "Radford et al., Learning Transferable Visual Models From Natural Language Supervision, ICML 2021",
    },
    "remoteclip": {
        "license": "Apache-2.0 (RemoteCLIP weights; check the checkpoint's terms)",
        "citation": "Liu et al., RemoteCLIP: A Vision Language Foundation Model for Remote Sensing, IEEE TGRS 2024",
    },
    "sam": {"license": "Apache-2.0 (Segment Anything weights)", "citation": "Kirillov et al., Segment Anything, ICCV 2023"},
    "mobilesam": {
        "license": "Apache-2.0 (MobileSAM weights)",
        "citation": "Zhang et al., Faster Segment Anything: Towards Lightweight SAM for Mobile Applications, 2023",
    },
}
SENSOR_DEFAULTS = {"naip": (1.0, [0.0, 255.0]), "sentinel2": (10.0, [0.0, 0.3]), "rgb": (1.0, [0.0, 255.0]), "any": (1.0, [0.0, 255.0])}


def base_manifest(args, pack_id: str, name: str, description: str, family: str, embed_dim: int, patch: int, size: int, mean, std, pixel_range) -> dict:
    return {
        "id": pack_id,
        "version": args.version,
        "name": name,
        "description": description,
        "sensor": args.sensor,
        "gsd_m": args.gsd,
        "bands": args.bands.split(","),
        "input": {"size": size, "pixel_range": pixel_range, "mean": mean, "std": std},
        "patch_size": patch,
        "embed_dim": embed_dim,
        "precision": "fp16" if args.fp16 else "fp32",
        "roles": {},
        "license": args.license or META[family]["license"],
        "citation": args.citation or META[family]["citation"],
    }


def build_clip_pack(
    out: Path,
    manifest: dict,
    visual: VisionTransformer | None,
    text: TextTransformer | None,
    roles: list[str],
    fp16: bool,
    tokenizer_dir: Path | None,
    pad: str = "zeros",
) -> dict:
    """Export the requested CLIP roles into ``out`` and fill ``manifest['roles']`` (no manifest written)."""
    out.mkdir(parents=True, exist_ok=True)
    if "patch_encoder" in roles:
        manifest["roles"]["patch_encoder"] = export_patch_encoder(visual, out, fp16)
    if "image_encoder" in roles:
        manifest["roles"]["image_encoder"] = export_image_encoder(visual, out, fp16)
    if "text_encoder" in roles:
        manifest["roles"]["text_encoder"] = export_text_encoder(text, out, fp16, tokenizer_dir, pad)
        if "tokenizer" not in manifest["roles"]["text_encoder"]:
            manifest["description"] += (
                " The text encoder's tokenizer files (vocab.json, merges.txt) were not available at export"
                " time and are NOT in this pack: supply the standard OpenAI CLIP BPE files."
            )
    return manifest


def build_sam_pack(out: Path, manifest: dict, enc: SamImageEncoderViT | None, dec: SamPromptDecoder, fp16: bool) -> dict:
    out.mkdir(parents=True, exist_ok=True)
    if enc is not None:
        manifest["roles"]["sam_image_encoder"] = export_sam_encoder(enc, out, fp16)
    manifest["roles"]["sam_prompt_decoder"] = export_sam_decoder(dec, out, fp16)
    return manifest


def _clip_kind(args, sd, out: Path) -> dict:
    family = "graft" if args.kind.startswith("graft") else ("remoteclip" if args.kind.startswith("remoteclip") else "clip")
    act = args.act or ("gelu" if family == "remoteclip" else "quick_gelu")
    visual = text = None
    notes = []
    if args.kind != "clip-text":
        visual, layout = vision_from_state_dict(sd, args.heads, act)
        notes.append(f"vision tower: {layout}, {visual.cfg.to_dict()}")
    # The text tower comes from the checkpoint itself, or from --text-checkpoint (GRAFT checkpoints
    # hold only the image side; its text side is OpenAI CLIP's text encoder).
    text_sd = load_state_dict(Path(args.text_checkpoint)) if args.text_checkpoint else sd
    try:
        text, layout = text_from_state_dict(text_sd, args.text_heads, act)
        notes.append(f"text tower: {layout}, {text.cfg.to_dict()}")
    except CheckpointError as e:
        if args.kind == "clip-text" or args.text_checkpoint:
            raise
        print(f"note: no text encoder in this pack ({e})", file=sys.stderr)
    roles = {"graft-patch": ["patch_encoder"], "graft-image": ["image_encoder"], "clip-text": [], "clip-image": ["image_encoder"], "remoteclip-image": ["image_encoder"]}[args.kind]
    if text is not None:
        roles.append("text_encoder")
    ref = visual.cfg if visual is not None else None
    embed = ref.output_dim if ref else text.cfg.output_dim
    gsd, pixel_range = SENSOR_DEFAULTS[args.sensor]
    desc = f"{args.kind} exported from {Path(args.checkpoint).name}. Embeddings are not L2-normalised in the graphs. " + "; ".join(notes)
    m = base_manifest(
        args,
        args.id or f"{args.kind}-{Path(args.checkpoint).stem}".lower().replace("_", "-").replace(".", "-"),
        args.name or f"{args.kind} ({Path(args.checkpoint).name})",
        desc,
        family,
        embed,
        ref.patch_size if ref else 16,
        ref.image_size if ref else 224,
        CLIP_MEAN,
        CLIP_STD,
        args.pixel_range or pixel_range,
    )
    tok = Path(args.tokenizer_dir) if args.tokenizer_dir else None
    return build_clip_pack(out, m, visual, text, roles, args.fp16, tok, args.pad)


def _sam_kind(args, sd, out: Path) -> dict:
    family = args.kind
    enc = None
    if args.kind == "sam":
        if is_tinyvit(sd):
            raise CheckpointError("this checkpoint's image encoder is a TinyViT (MobileSAM): use --kind mobilesam")
        enc = encoder_from_state_dict(sd)
        size, patch = enc.cfg.img_size, enc.cfg.patch_size
        desc = f"SAM exported from {Path(args.checkpoint).name}: image encoder {enc.cfg.to_dict()} + prompt decoder (standard SAM ONNX signature, 4 masks)."
    else:
        size, patch = 1024, 16
        desc = (
            f"MobileSAM prompt decoder exported from {Path(args.checkpoint).name} (standard SAM ONNX signature, 4 masks). "
            "MobileSAM's TinyViT image encoder is NOT exported (not supported by this exporter): image_embeddings "
            "[1,256,64,64] must come from another sam_image_encoder (e.g. MobileSAM's own ONNX encoder)."
        )
    dec = decoder_from_state_dict(sd, size, patch)
    m = base_manifest(
        args,
        args.id or f"{args.kind}-{Path(args.checkpoint).stem}".lower().replace("_", "-").replace(".", "-"),
        args.name or f"{args.kind} ({Path(args.checkpoint).name})",
        desc,
        family,
        256,
        patch,
        size,
        [v / 255 for v in (123.675, 116.28, 103.53)],
        [v / 255 for v in (58.395, 57.12, 57.375)],
        args.pixel_range or [0.0, 255.0],
    )
    return build_sam_pack(out, m, enc, dec, args.fp16)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(
        prog="export_pack.py",
        description="Convert a published checkpoint (OpenAI CLIP / open_clip / Hugging Face CLIPModel / GRAFT / RemoteCLIP / segment-anything / MobileSAM) into a GRAFT Workbench model pack.",
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    p.add_argument("--kind", required=True, choices=KINDS, help="what to export (see tools/export/README.md)")
    p.add_argument("--checkpoint", required=True, help=".pt/.pth/.bin/.ckpt/.safetensors state dict (or OpenAI TorchScript .pt)")
    p.add_argument("--out", required=True, help="pack folder to write")
    p.add_argument("--fp16", action="store_true", help="float16 weights and float16 graph inputs/outputs (input_ids stay int64)")
    p.add_argument("--sensor", default="naip", choices=list(SENSOR_DEFAULTS), help="sensor the model expects")
    p.add_argument("--gsd", type=float, default=None, help="ground sample distance (m/pixel) the model was trained for (default: 1.0 naip/rgb, 10 sentinel2)")
    p.add_argument("--bands", default="R,G,B", help="band names in model channel order")
    p.add_argument("--pixel-range", type=float, nargs=2, metavar=("LO", "HI"), help="band values mapped to 0..1 (default 0 255; sentinel2 reflectance 0 0.3)")
    p.add_argument("--tokenizer-dir", help="folder with the CLIP BPE vocab.json + merges.txt to copy into the pack")
    p.add_argument("--text-checkpoint", help="CLIP checkpoint providing the text tower (GRAFT checkpoints hold only the image side)")
    p.add_argument("--pad", default="zeros", choices=["zeros", "eot"], help="padding the app's tokenizer should use (the graph is right for both)")
    p.add_argument("--heads", type=int, help="vision attention heads (default width/64, right for every published CLIP)")
    p.add_argument("--text-heads", type=int, help="text attention heads (default width/64)")
    p.add_argument("--act", choices=["quick_gelu", "gelu"], help="MLP activation (default quick_gelu; gelu for remoteclip-*)")
    p.add_argument("--id", help="pack id [a-z0-9-]+ (default from kind and checkpoint name)")
    p.add_argument("--name", help="human-readable pack name")
    p.add_argument("--version", default="1.0.0", help="pack version")
    p.add_argument("--license", help="license text for the manifest")
    p.add_argument("--citation", help="citation for the manifest")
    p.add_argument("--force", action="store_true", help="overwrite a non-empty --out folder")
    args = p.parse_args(argv)
    if args.gsd is None:
        args.gsd = SENSOR_DEFAULTS[args.sensor][0]
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    out = Path(args.out)
    try:
        if out.exists() and any(out.iterdir()):
            if not args.force:
                raise CheckpointError(f"{out}: folder is not empty (use --force to overwrite)")
            shutil.rmtree(out)
        ckpt = Path(args.checkpoint)
        sd = load_state_dict(ckpt)
        manifest = _sam_kind(args, sd, out) if args.kind in ("sam", "mobilesam") else _clip_kind(args, sd, out)
        prov = {"source": f"{ckpt.name} sha256 {sha256_file(ckpt)}", "checkpoint": str(ckpt), "checkpoint_sha256": sha256_file(ckpt), "exporter": EXPORTER}
        if args.text_checkpoint:
            prov["text_checkpoint_sha256"] = sha256_file(Path(args.text_checkpoint))
        manifest["provenance"] = prov
        written = write_manifest(out, manifest)
    except CheckpointError as e:
        print(f"export_pack.py: error: {e}", file=sys.stderr)
        return 2
    for name, info in written["files"].items():
        print(f"{out / name}  {info['bytes']} bytes  sha256 {info['sha256'][:16]}…")
    print(f"{out / 'manifest.json'}  roles: {', '.join(written['roles'])}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
