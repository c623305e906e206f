"""segment-anything / MobileSAM checkpoints -> our SAM modules.

The state-dict layout is segment-anything's own (``image_encoder.*``, ``prompt_encoder.*``,
``mask_decoder.*``), which our modules reproduce, so loading is a strict name/shape check.
The ViT image encoder's size (B / L / H or any other) is inferred from shapes: width from
``patch_embed.proj.weight``, heads from the relative-position tables' width, window size and
global-attention blocks from the tables' lengths (2*window-1 vs 2*grid-1).
MobileSAM's image encoder is a TinyViT (``image_encoder.layers.*``), which we do not implement:
for ``--kind mobilesam`` only the prompt encoder + mask decoder are exported.
"""
from __future__ import annotations

import re

import torch

from checkpoint_io import CheckpointError, find_prefix, strict_load
from sam_model import SamEncoderConfig, SamImageEncoderViT, SamPromptDecoder


def _sub(sd: dict[str, torch.Tensor], prefix: str) -> dict[str, torch.Tensor]:
    return {k[len(prefix) :]: v for k, v in sd.items() if k.startswith(prefix)}


def _root(sd: dict[str, torch.Tensor]) -> str:
    p = find_prefix(list(sd), "mask_decoder.iou_token.weight")
    if p is None:
        raise CheckpointError(
            "not a segment-anything checkpoint: no 'mask_decoder.iou_token.weight' "
            f"(first keys: {list(sd)[:8]})"
        )
    return p


def is_tinyvit(sd: dict[str, torch.Tensor]) -> bool:
    p = _root(sd)
    return any(k.startswith(p + "image_encoder.layers.") for k in sd)


def encoder_config(enc: dict[str, torch.Tensor]) -> SamEncoderConfig:
    """Infer a ViT encoder's configuration from its ``image_encoder.*`` weights."""
    if "patch_embed.proj.weight" not in enc or "pos_embed" not in enc:
        raise CheckpointError("image_encoder lacks patch_embed.proj.weight / pos_embed (not a SAM ViT encoder)")
    width, _, patch, _ = enc["patch_embed.proj.weight"].shape
    grid = enc["pos_embed"].shape[1]
    depth = max(int(m.group(1)) for k in enc if (m := re.match(r"blocks\.(\d+)\.", k))) + 1
    head_dim = enc["blocks.0.attn.rel_pos_h"].shape[1]
    windows, global_idx = set(), []
    for i in range(depth):
        length = enc[f"blocks.{i}.attn.rel_pos_h"].shape[0]
        if length == 2 * grid - 1:
            global_idx.append(i)
        else:
            windows.add((length + 1) // 2)
    if len(windows) > 1:
        raise CheckpointError(f"image_encoder: blocks use several window sizes {sorted(windows)}")
    hidden = enc["blocks.0.mlp.lin1.weight"].shape[0]
    return SamEncoderConfig(
        img_size=grid * patch,
        patch_size=patch,
        embed_dim=width,
        depth=depth,
        num_heads=width // head_dim,
        window_size=windows.pop() if windows else 14,
        global_attn_indexes=global_idx,
        out_chans=enc["neck.0.weight"].shape[0],
        mlp_ratio=hidden / width,
    )


def encoder_from_state_dict(sd: dict[str, torch.Tensor]) -> SamImageEncoderViT:
    p = _root(sd)
    if is_tinyvit(sd):
        raise CheckpointError(
            "image_encoder is a TinyViT (MobileSAM): not supported; use --kind mobilesam to export "
            "its prompt decoder only"
        )
    enc = _sub(sd, p + "image_encoder.")
    model = SamImageEncoderViT(encoder_config(enc))
    strict_load(model, enc, "SAM image_encoder")
    return model.eval()


def decoder_from_state_dict(sd: dict[str, torch.Tensor], img_size: int = 1024, patch: int = 16) -> SamPromptDecoder:
    p = _root(sd)
    dec = SamPromptDecoder(img_size, img_size // patch)
    part = {f"prompt_encoder.{k}": v for k, v in _sub(sd, p + "prompt_encoder.").items()}
    part.update({f"mask_decoder.{k}": v for k, v in _sub(sd, p + "mask_decoder.").items()})
    strict_load(dec, part, "SAM prompt_encoder + mask_decoder")
    dec.eval()
    dec.freeze_pe()
    return dec
