"""CLIP checkpoint layouts -> our modules (and back, for tests).

Supported layouts (any wrapping prefix such as ``module.`` or ``model.`` is found and stripped):
- OpenAI CLIP / open_clip / RemoteCLIP: ``visual.conv1.weight``, ``visual.transformer.resblocks.N.*``,
  ``visual.proj``, ``token_embedding.weight``, ``transformer.resblocks.N.*``, ``text_projection``;
  a vision-only state dict without the ``visual.`` prefix also works.
- Hugging Face CLIPModel / CLIPVisionModelWithProjection / CLIPTextModelWithProjection:
  ``vision_model.embeddings.patch_embedding.weight``, ``vision_model.encoder.layers.N.self_attn.q_proj.*``,
  ``visual_projection.weight``, ``text_model.*``, ``text_projection.weight``.
Sizes are inferred from weight shapes; heads default to width // 64 (true for every published CLIP).
"""
from __future__ import annotations

import math
import re

import torch

from checkpoint_io import CheckpointError, find_prefix, strict_load
from clip_model import TextConfig, TextTransformer, VisionConfig, VisionTransformer

HF_VISION_ANCHOR = "vision_model.embeddings.patch_embedding.weight"
HF_TEXT_ANCHOR = "text_model.embeddings.token_embedding.weight"

# HF per-layer names -> OpenAI per-block names (q/k/v are concatenated separately).
_HF_LAYER = {
    "layer_norm1": "ln_1",
    "layer_norm2": "ln_2",
    "mlp.fc1": "mlp.c_fc",
    "mlp.fc2": "mlp.c_proj",
    "self_attn.out_proj": "attn.out_proj",
}


def _sub(sd: dict[str, torch.Tensor], prefix: str) -> dict[str, torch.Tensor]:
    return {k[len(prefix) :]: v for k, v in sd.items() if k.startswith(prefix)}


def _count_layers(keys, pattern: str) -> int:
    idx = {int(m.group(1)) for k in keys if (m := re.match(pattern, k))}
    return max(idx) + 1 if idx else 0


def _hf_encoder_to_ours(enc: dict[str, torch.Tensor]) -> tuple[dict[str, torch.Tensor], list[str]]:
    """``encoder.layers.N.*`` -> ``transformer.resblocks.N.*``; returns (mapped, unknown keys)."""
    out, unknown = {}, []
    n = _count_layers(enc, r"encoder\.layers\.(\d+)\.")
    used = set()
    for i in range(n):
        p, q = f"encoder.layers.{i}.", f"transformer.resblocks.{i}."
        for hf, oa in _HF_LAYER.items():
            for t in ("weight", "bias"):
                if f"{p}{hf}.{t}" in enc:
                    out[f"{q}{oa}.{t}"] = enc[f"{p}{hf}.{t}"]
                    used.add(f"{p}{hf}.{t}")
        for t in ("weight", "bias"):
            parts = [f"{p}self_attn.{x}_proj.{t}" for x in "qkv"]
            if all(k in enc for k in parts):
                out[f"{q}attn.in_proj_{t}"] = torch.cat([enc[k] for k in parts], dim=0)
                used.update(parts)
    unknown = [k for k in enc if k.startswith("encoder.") and k not in used]
    return out, unknown


def _vision_sd(sd: dict[str, torch.Tensor]) -> tuple[dict[str, torch.Tensor], str]:
    keys = list(sd)
    p = find_prefix(keys, HF_VISION_ANCHOR)
    if p is not None:
        vm = _sub(sd, p + "vision_model.")
        out, unknown = _hf_encoder_to_ours(vm)
        simple = {
            "embeddings.class_embedding": "class_embedding",
            "embeddings.patch_embedding.weight": "conv1.weight",
            "embeddings.position_embedding.weight": "positional_embedding",
            "pre_layrnorm.weight": "ln_pre.weight",
            "pre_layrnorm.bias": "ln_pre.bias",
            "post_layernorm.weight": "ln_post.weight",
            "post_layernorm.bias": "ln_post.bias",
        }
        for hf, oa in simple.items():
            if hf in vm:
                out[oa] = vm[hf]
        proj = sd.get(p + "visual_projection.weight")
        if proj is None:
            raise CheckpointError(
                "Hugging Face vision checkpoint has no visual_projection.weight: it is a CLIPVisionModel "
                "without the projection head; export a CLIPModel or CLIPVisionModelWithProjection"
            )
        out["proj"] = proj.t().contiguous()  # Linear [D, W] -> parameter [W, D]
        extra = [k for k in vm if not k.startswith("encoder.") and k not in simple and k != "embeddings.position_ids"]
        for k in unknown + extra:
            out["<hf>vision_model." + k] = vm[k]  # surfaces as 'unexpected' with its real name
        return out, f"Hugging Face CLIP (prefix '{p}')"
    p = find_prefix([k for k in keys if "transformer.resblocks" not in k], "conv1.weight")
    if p is not None and (p + "class_embedding") in sd:
        return _sub(sd, p), f"OpenAI CLIP (prefix '{p}')"
    raise CheckpointError(
        "no CLIP vision tower found: expected 'visual.conv1.weight' (OpenAI / open_clip) or "
        f"'{HF_VISION_ANCHOR}' (Hugging Face); first keys: {keys[:8]}"
    )


def _text_sd(sd: dict[str, torch.Tensor]) -> tuple[dict[str, torch.Tensor], str]:
    keys = list(sd)
    p = find_prefix(keys, HF_TEXT_ANCHOR)
    if p is not None:
        tm = _sub(sd, p + "text_model.")
        out, unknown = _hf_encoder_to_ours(tm)
        simple = {
            "embeddings.token_embedding.weight": "token_embedding.weight",
            "embeddings.position_embedding.weight": "positional_embedding",
            "final_layer_norm.weight": "ln_final.weight",
            "final_layer_norm.bias": "ln_final.bias",
        }
        for hf, oa in simple.items():
            if hf in tm:
                out[oa] = tm[hf]
        proj = sd.get(p + "text_projection.weight")
        if proj is None:
            raise CheckpointError("Hugging Face text checkpoint has no text_projection.weight (need CLIPModel or CLIPTextModelWithProjection)")
        out["text_projection"] = proj.t().contiguous()
        extra = [k for k in tm if not k.startswith("encoder.") and k not in simple and k != "embeddings.position_ids"]
        for k in unknown + extra:
            out["<hf>text_model." + k] = tm[k]
        return out, f"Hugging Face CLIP (prefix '{p}')"
    p = find_prefix(keys, "token_embedding.weight")
    if p is not None:
        own = ("token_embedding.", "positional_embedding", "transformer.", "ln_final.", "text_projection")
        return {k: v for k, v in _sub(sd, p).items() if k.startswith(own)}, f"OpenAI CLIP (prefix '{p}')"
    raise CheckpointError(
        "no CLIP text tower found: expected 'token_embedding.weight' (OpenAI / open_clip) or "
        f"'{HF_TEXT_ANCHOR}' (Hugging Face)"
    )


def vision_from_state_dict(sd, heads: int | None = None, act: str = "quick_gelu") -> tuple[VisionTransformer, str]:
    """Build and load our VisionTransformer from any supported layout; returns (module, layout)."""
    vsd, layout = _vision_sd(sd)
    if "conv1.weight" not in vsd or "positional_embedding" not in vsd or "proj" not in vsd:
        raise CheckpointError(f"{layout}: vision tower lacks conv1.weight / positional_embedding / proj")
    width, _, patch, _ = vsd["conv1.weight"].shape
    grid = int(round(math.sqrt(vsd["positional_embedding"].shape[0] - 1)))
    cfg = VisionConfig(
        width=width,
        layers=_count_layers(vsd, r"transformer\.resblocks\.(\d+)\."),
        heads=heads or max(1, width // 64),
        patch_size=patch,
        image_size=grid * patch,
        output_dim=vsd["proj"].shape[1],
        act=act,
    )
    visual = VisionTransformer(cfg)
    strict_load(visual, vsd, f"vision tower ({layout})")
    return visual.eval(), layout


def text_from_state_dict(sd, heads: int | None = None, act: str = "quick_gelu") -> tuple[TextTransformer, str]:
    tsd, layout = _text_sd(sd)
    if "token_embedding.weight" not in tsd or "text_projection" not in tsd:
        raise CheckpointError(f"{layout}: text tower lacks token_embedding.weight / text_projection")
    vocab, width = tsd["token_embedding.weight"].shape
    cfg = TextConfig(
        width=width,
        layers=_count_layers(tsd, r"transformer\.resblocks\.(\d+)\."),
        heads=heads or max(1, width // 64),
        vocab_size=vocab,
        context_length=tsd["positional_embedding"].shape[0],
        output_dim=tsd["text_projection"].shape[1],
        act=act,
    )
    text = TextTransformer(cfg)
    strict_load(text, tsd, f"text tower ({layout})")
    return text.eval(), layout


# ----------------------------------------------------------------------------- inverse (tests)


def _ours_to_hf_encoder(sd: dict[str, torch.Tensor], layers: int) -> dict[str, torch.Tensor]:
    out = {}
    for i in range(layers):
        q, p = f"transformer.resblocks.{i}.", f"encoder.layers.{i}."
        for hf, oa in _HF_LAYER.items():
            for t in ("weight", "bias"):
                out[f"{p}{hf}.{t}"] = sd[f"{q}{oa}.{t}"]
        for t in ("weight", "bias"):
            for name, part in zip("qkv", sd[f"{q}attn.in_proj_{t}"].chunk(3, dim=0)):
                out[f"{p}self_attn.{name}_proj.{t}"] = part.clone()
    return out


def to_hf_state_dict(visual: VisionTransformer, text: TextTransformer) -> dict[str, torch.Tensor]:
    """Our towers written in the Hugging Face CLIPModel layout (what transformers saves)."""
    v, t = visual.state_dict(), text.state_dict()
    out = {"vision_model." + k: x for k, x in _ours_to_hf_encoder(v, visual.cfg.layers).items()}
    out.update(
        {
            "vision_model.embeddings.class_embedding": v["class_embedding"],
            "vision_model.embeddings.patch_embedding.weight": v["conv1.weight"],
            "vision_model.embeddings.position_embedding.weight": v["positional_embedding"],
            "vision_model.embeddings.position_ids": torch.arange(v["positional_embedding"].shape[0])[None],
            "vision_model.pre_layrnorm.weight": v["ln_pre.weight"],
            "vision_model.pre_layrnorm.bias": v["ln_pre.bias"],
            "vision_model.post_layernorm.weight": v["ln_post.weight"],
            "vision_model.post_layernorm.bias": v["ln_post.bias"],
            "visual_projection.weight": v["proj"].t().contiguous(),
        }
    )
    out.update({"text_model." + k: x for k, x in _ours_to_hf_encoder(t, text.cfg.layers).items()})
    out.update(
        {
            "text_model.embeddings.token_embedding.weight": t["token_embedding.weight"],
            "text_model.embeddings.position_embedding.weight": t["positional_embedding"],
            "text_model.embeddings.position_ids": torch.arange(t["positional_embedding"].shape[0])[None],
            "text_model.final_layer_norm.weight": t["ln_final.weight"],
            "text_model.final_layer_norm.bias": t["ln_final.bias"],
            "text_projection.weight": t["text_projection"].t().contiguous(),
            "logit_scale": torch.tensor(4.6052),
        }
    )
    return out


def to_openai_state_dict(visual: VisionTransformer, text: TextTransformer) -> dict[str, torch.Tensor]:
    """Our towers written in the OpenAI CLIP layout (``visual.*`` + top-level text tower)."""
    out = {"visual." + k: x for k, x in visual.state_dict().items()}
    out.update(text.state_dict())
    out["logit_scale"] = torch.tensor(4.6052)
    return out
