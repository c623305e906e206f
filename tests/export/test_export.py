#!/usr/bin/python3
"""Key-mapping and CLI tests for tools/export (plain script; run by tests/export/export.test.ts).

  /usr/bin/python3 tests/export/test_export.py --out tests/.fixtures/export

Random-init modules are saved in each supported checkpoint layout (OpenAI CLIP pickle with a
'module.' wrapper, Hugging Face CLIPModel as .safetensors and .bin, segment-anything .pth, a
MobileSAM-like TinyViT checkpoint), exported with export_pack.py's CLI entry point, and the
packs get goldens computed from the ORIGINAL modules: the TypeScript side runs them in
onnxruntime-node, so a wrong mapping shows up as a golden mismatch. Prints one JSON line:
{"packs": [...], "checks": N}. Exits non-zero on the first failure.
"""
from __future__ import annotations

import argparse
import contextlib
import io
import json
import shutil
import struct
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "tools" / "export"))

import numpy as np  # noqa: E402
import onnx  # noqa: E402
import torch  # noqa: E402

import export_pack  # noqa: E402
from clip_bpe import ClipBpe  # noqa: E402
from clip_layouts import text_from_state_dict, to_hf_state_dict, to_openai_state_dict, vision_from_state_dict  # noqa: E402
from clip_model import ImageEncoder, PatchEncoder, TextConfig, TextTransformer, VisionConfig, VisionTransformer  # noqa: E402
from goldens import GoldenWriter, synthetic_chip  # noqa: E402
from pack import CLIP_MEAN, CLIP_STD, clip_preprocess, write_manifest  # noqa: E402
from sam_model import Sam, SamEncoderConfig  # noqa: E402

TOK = REPO.parent / "shared" / "data" / "clip-tokenizer"
CHECKS = 0


def check(cond: bool, msg: str) -> None:
    global CHECKS
    CHECKS += 1
    if not cond:
        print(f"FAIL: {msg}", file=sys.stderr)
        sys.exit(1)


def save_safetensors(sd: dict[str, torch.Tensor], path: Path) -> None:
    header, blobs, off = {}, [], 0
    for k, v in sd.items():
        a = v.detach().contiguous().numpy()
        dt = {np.dtype("float32"): "F32", np.dtype("int64"): "I64"}[a.dtype]
        b = a.astype(a.dtype.newbyteorder("<")).tobytes()
        header[k] = {"dtype": dt, "shape": list(a.shape), "data_offsets": [off, off + len(b)]}
        blobs.append(b)
        off += len(b)
    h = json.dumps(header).encode()
    path.write_bytes(struct.pack("<Q", len(h)) + h + b"".join(blobs))


def run_cli(argv: list[str]) -> tuple[int, str]:
    err, out = io.StringIO(), io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(out):
        rc = export_pack.main(argv)
    return rc, err.getvalue()


def add_goldens(pack: Path, cases) -> None:
    """Append golden cases computed by the ORIGINAL modules and rewrite the manifest."""
    g = GoldenWriter(pack)
    for c in cases(g):
        g.case(**c)
    man = json.loads((pack / "manifest.json").read_text())
    man["goldens"] = g.write("from the original random-init modules (before saving the checkpoint)")
    for k in ("schema", "files"):
        man.pop(k, None)
    write_manifest(pack, man)


def clip_cases(visual, text, roles):
    chip = synthetic_chip(224, 224, 5)
    x = clip_preprocess(chip, 224, (0, 255), CLIP_MEAN, CLIP_STD)
    ids = torch.zeros(2, 77, dtype=torch.int64)
    ids[0, :3] = torch.tensor([49406, 31033, 49407])
    ids[1, :4] = torch.tensor([49406, 5199, 11277, 49407])
    ids[1, 4:] = 49407  # Hugging Face padding in the second row

    def cases(g: GoldenWriter):
        with torch.no_grad():
            for role, fn, name in (("patch_encoder", PatchEncoder(visual), "patch_embeds"), ("image_encoder", ImageEncoder(visual), "image_embeds")):
                if role in roles:
                    yield dict(role=role, raw=None, inputs={"pixel_values": g.array(f"{role}_in", x, "float32")}, outputs={name: g.array(f"{role}_out", fn(x), "float32")}, tolerance={"max_abs": 3e-5})
            if "text_encoder" in roles:
                yield dict(role="text_encoder", raw=None, inputs={"input_ids": g.array("text_in", ids, "int64")}, outputs={"text_embeds": g.array("text_out", text(ids), "float32")}, tolerance={"max_abs": 3e-5})

    return cases


def test_clip(out: Path) -> list[str]:
    torch.manual_seed(7)
    visual = VisionTransformer(VisionConfig(width=64, layers=2, heads=4, patch_size=16, image_size=224, output_dim=48)).eval()
    text = TextTransformer(TextConfig(width=64, layers=2, heads=4, output_dim=48)).eval()
    ck = out / "checkpoints"
    ck.mkdir(parents=True, exist_ok=True)
    openai = {"module." + k: v for k, v in to_openai_state_dict(visual, text).items()}
    torch.save({"state_dict": openai, "epoch": 3}, ck / "openai_wrapped.pt")
    hf = to_hf_state_dict(visual, text)
    save_safetensors(hf, ck / "hf_clip.safetensors")
    torch.save(hf, ck / "hf_clip.bin")

    # In-memory mapping: every layout reproduces the original towers exactly.
    x = torch.randn(1, 3, 224, 224)
    ids = torch.zeros(1, 77, dtype=torch.int64)
    ids[0, :3] = torch.tensor([49406, 320, 49407])
    for name, sd in (("openai", openai), ("hf", hf)):
        v2, layout = vision_from_state_dict(sd, heads=4)
        t2, _ = text_from_state_dict(sd, heads=4)
        with torch.no_grad():
            check(torch.equal(v2(x), visual(x)), f"{name}: vision tower differs after mapping ({layout})")
            check(torch.equal(t2(ids), text(ids)), f"{name}: text tower differs after mapping")

    # Both padding conventions give the same embedding (argmax finds the first 49407).
    with torch.no_grad():
        a = torch.zeros(1, 77, dtype=torch.int64)
        a[0, :4] = torch.tensor([49406, 5199, 11277, 49407])
        b = a.clone()
        b[0, 4:] = 49407
        check(torch.equal(text(a), text(b)), "pad zeros vs pad eot give different text embeddings")

    packs = []
    jobs = [
        ("clip-openai", ["--kind", "clip-image", "--checkpoint", str(ck / "openai_wrapped.pt")], ["image_encoder", "text_encoder"]),
        ("clip-hf-safetensors", ["--kind", "clip-image", "--checkpoint", str(ck / "hf_clip.safetensors")], ["image_encoder", "text_encoder"]),
        ("graft-patch-hf-bin", ["--kind", "graft-patch", "--checkpoint", str(ck / "hf_clip.bin"), "--sensor", "sentinel2"], ["patch_encoder", "text_encoder"]),
        ("clip-text-openai", ["--kind", "clip-text", "--checkpoint", str(ck / "openai_wrapped.pt")], ["text_encoder"]),
    ]
    for name, argv, roles in jobs:
        dest = out / name
        shutil.rmtree(dest, ignore_errors=True)
        rc, err = run_cli(argv + ["--out", str(dest), "--heads", "4", "--text-heads", "4", "--tokenizer-dir", str(TOK)])
        check(rc == 0, f"{name}: export failed: {err}")
        man = json.loads((dest / "manifest.json").read_text())
        check(sorted(man["roles"]) == sorted(roles), f"{name}: roles {sorted(man['roles'])} != {sorted(roles)}")
        check(len(man["provenance"]["checkpoint_sha256"]) == 64, f"{name}: no checkpoint sha256")
        check(man["embed_dim"] == 48, f"{name}: embed_dim {man['embed_dim']}")
        for f, info in man["files"].items():
            check((dest / f).stat().st_size == info["bytes"], f"{name}: size of {f}")
        if TOK.is_dir():
            check("tokenizer" in man["roles"]["text_encoder"], f"{name}: tokenizer not copied")
        add_goldens(dest, clip_cases(visual, text, roles))
        packs.append(str(dest))
    man = json.loads((out / "graft-patch-hf-bin" / "manifest.json").read_text())
    check(man["gsd_m"] == 10.0 and man["input"]["pixel_range"] == [0.0, 0.3], "sentinel2 defaults not applied")

    # fp16: float16 graph inputs/outputs, int64 ids, half-size weights.
    dest = out / "clip-hf-fp16"
    shutil.rmtree(dest, ignore_errors=True)
    rc, err = run_cli(["--kind", "clip-image", "--checkpoint", str(ck / "hf_clip.bin"), "--out", str(dest), "--heads", "4", "--text-heads", "4", "--fp16"])
    check(rc == 0, f"fp16 export failed: {err}")
    man = json.loads((dest / "manifest.json").read_text())
    check(man["precision"] == "fp16" and man["roles"]["image_encoder"]["outputs"]["image_embeds"]["type"] == "float16", "fp16 manifest types")
    check("tokenizer" not in man["roles"]["text_encoder"] and "NOT in this pack" in man["description"], "missing tokenizer not reported")
    g = onnx.load(str(dest / "image_encoder.onnx")).graph
    check(g.input[0].type.tensor_type.elem_type == onnx.TensorProto.FLOAT16, "fp16 image encoder input is not float16")
    g = onnx.load(str(dest / "text_encoder.onnx")).graph
    check(g.input[0].type.tensor_type.elem_type == onnx.TensorProto.INT64, "fp16 text encoder input_ids is not int64")

    # Clear errors: a missing and an unexpected key, listed by name, no stack trace.
    bad = dict(hf)
    del bad["vision_model.encoder.layers.1.mlp.fc2.bias"]
    bad["vision_model.encoder.layers.1.mlp.fc3.weight"] = torch.zeros(1)
    torch.save(bad, ck / "bad.bin")
    rc, err = run_cli(["--kind", "clip-image", "--checkpoint", str(ck / "bad.bin"), "--out", str(out / "bad"), "--heads", "4"])
    check(rc == 2, f"bad checkpoint: rc {rc}")
    check("transformer.resblocks.1.mlp.c_proj.bias" in err and "mlp.fc3.weight" in err and "Traceback" not in err, f"bad checkpoint message: {err}")
    rc, err = run_cli(["--kind", "sam", "--checkpoint", str(ck / "hf_clip.bin"), "--out", str(out / "bad2")])
    check(rc == 2 and "not a segment-anything checkpoint" in err, f"wrong-kind message: {err}")
    return packs


def sam_cases(sam: Sam, enc_size: int):
    grid = enc_size // 16

    def cases(g: GoldenWriter):
        torch.manual_seed(3)
        dec = sam.decoder
        dec.freeze_pe()
        with torch.no_grad():
            if hasattr(sam, "image_encoder"):
                img = torch.randn(1, 3, enc_size, enc_size)
                yield dict(role="sam_image_encoder", raw=None, inputs={"image": g.array("enc_in", img, "float32")}, outputs={"image_embeddings": g.array("enc_out", sam.image_encoder(img), "float32")}, tolerance={"max_abs": 5e-5})
            emb = torch.randn(1, 256, grid, grid)
            args = (emb, torch.tensor([[[30.0, 40.0], [0.0, 0.0]]]), torch.tensor([[1.0, -1.0]]), torch.zeros(1, 1, 4 * grid, 4 * grid), torch.zeros(1), torch.tensor([150.0, 200.0]))
            names = ["image_embeddings", "point_coords", "point_labels", "mask_input", "has_mask_input", "orig_im_size"]
            outs = dec(*args)
            yield dict(
                role="sam_prompt_decoder",
                raw=None,
                inputs={n: g.array(f"dec_{n}", a, "float32") for n, a in zip(names, args)},
                outputs={n: g.array(f"dec_{n}", a, "float32") for n, a in zip(["masks", "iou_predictions", "low_res_masks"], outs)},
                tolerance={"max_abs": 5e-5},
            )

    return cases


def test_sam(out: Path) -> list[str]:
    ck = out / "checkpoints"
    torch.manual_seed(11)
    cfg = SamEncoderConfig(img_size=256, embed_dim=32, depth=2, num_heads=2, window_size=4, global_attn_indexes=[1])
    sam = Sam(cfg).eval()
    torch.save(sam.state_dict(), ck / "sam_tiny.pth")
    # MobileSAM-like: same prompt encoder / mask decoder, a TinyViT image encoder (layers.*).
    mobile = {k: v for k, v in sam.state_dict().items() if not k.startswith("image_encoder.")}
    mobile["image_encoder.patch_embed.seq.0.c.weight"] = torch.zeros(32, 3, 3, 3)
    mobile["image_encoder.layers.0.blocks.0.conv1.c.weight"] = torch.zeros(4, 4, 1, 1)
    torch.save({"model": mobile}, ck / "mobile_sam.pt")
    packs = []
    dest = out / "sam-tiny"
    shutil.rmtree(dest, ignore_errors=True)
    rc, err = run_cli(["--kind", "sam", "--checkpoint", str(ck / "sam_tiny.pth"), "--out", str(dest)])
    check(rc == 0, f"sam export failed: {err}")
    man = json.loads((dest / "manifest.json").read_text())
    check(man["roles"]["sam_image_encoder"]["outputs"]["image_embeddings"]["shape"] == [1, 256, 16, 16], "sam encoder output shape")
    add_goldens(dest, sam_cases(sam, 256))
    packs.append(str(dest))

    dest = out / "mobilesam"
    shutil.rmtree(dest, ignore_errors=True)
    rc, err = run_cli(["--kind", "sam", "--checkpoint", str(ck / "mobile_sam.pt"), "--out", str(dest)])
    check(rc == 2 and "mobilesam" in err, f"TinyViT as --kind sam: {err}")
    rc, err = run_cli(["--kind", "mobilesam", "--checkpoint", str(ck / "mobile_sam.pt"), "--out", str(dest)])
    check(rc == 0, f"mobilesam export failed: {err}")
    man = json.loads((dest / "manifest.json").read_text())
    check(list(man["roles"]) == ["sam_prompt_decoder"] and "NOT exported" in man["description"], "mobilesam pack roles/description")
    # The decoder in this checkpoint was built for a 256 input; MobileSAM exports assume 1024.
    sam1024 = Sam(None)
    sam1024.load_state_dict({k: v for k, v in sam.state_dict().items() if not k.startswith("image_encoder.")})
    add_goldens(dest, sam_cases(sam1024.eval(), 1024))
    packs.append(str(dest))
    return packs


def test_bpe() -> None:
    if not TOK.is_dir():
        return
    bpe = ClipBpe(TOK / "vocab.json", TOK / "merges.txt")
    ref = json.loads((TOK / "reference_vectors_public.json").read_text())
    cases = ref["hf_fast_goldens"]["cases"] + ref["other_published"]
    ascii_cases = [c for c in cases if c["text"].isascii() and "&" not in c["text"]]
    for c in ascii_cases:
        check(bpe.encode(c["text"]) == c["ids"], f"BPE mismatch for {c['text']!r}: {bpe.encode(c['text'])} != {c['ids']}")
    check(len(ascii_cases) >= 15, "too few ASCII reference cases")
    padded = bpe.encode_padded("ponds", 77, "eot")
    check(len(padded) == 77 and padded[:3] == [49406, 31033, 49407] and padded[-1] == 49407, "encode_padded eot")


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--out", required=True)
    args = p.parse_args()
    torch.set_num_threads(2)
    out = Path(args.out)
    (out / "checkpoints").mkdir(parents=True, exist_ok=True)
    test_bpe()
    packs = test_clip(out) + test_sam(out)
    print(json.dumps({"packs": packs, "checks": CHECKS}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
