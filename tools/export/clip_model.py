"""Clean-room PyTorch CLIP towers in the OpenAI CLIP parameter layout.

Parameter names match OpenAI CLIP's state dict (``visual.*`` for the vision tower, the text
tower at the top level) so that an OpenAI / open_clip checkpoint loads with a prefix strip,
and a Hugging Face CLIPModel checkpoint loads through ``clip_layouts.hf_to_ours``.

Heads exported to ONNX (embeddings are NOT L2-normalised in the graph; the app normalises):
- ``PatchEncoder``: all patch tokens (CLS dropped) -> ln_post -> @proj   patch_embeds  [N, G*G, D]
- ``ImageEncoder``: CLS token -> ln_post -> @proj                        image_embeds  [N, D]
- ``TextEncoder``:  token at EOT (argmax of input_ids) -> ln_final -> @text_projection  [N, D]
"""
from __future__ import annotations

from dataclasses import dataclass, asdict

import torch
from torch import nn


class QuickGELU(nn.Module):
    """x * sigmoid(1.702 x): the activation OpenAI CLIP was trained with."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x * torch.sigmoid(1.702 * x)


class SelfAttention(nn.Module):
    """Multi-head self-attention with nn.MultiheadAttention's parameter names.

    (in_proj_weight [3W,W], in_proj_bias [3W], out_proj) so checkpoints load unchanged, written
    out explicitly because nn.MultiheadAttention's fused inference path does not export to ONNX.
    """

    def __init__(self, width: int, heads: int):
        super().__init__()
        assert width % heads == 0, f"width {width} not divisible by heads {heads}"
        self.heads = heads
        self.in_proj_weight = nn.Parameter(torch.empty(3 * width, width))
        self.in_proj_bias = nn.Parameter(torch.zeros(3 * width))
        self.out_proj = nn.Linear(width, width)
        nn.init.xavier_uniform_(self.in_proj_weight)
        nn.init.zeros_(self.out_proj.bias)

    def forward(self, x: torch.Tensor, attn_mask: torch.Tensor | None = None) -> torch.Tensor:
        # x: float[N, L, W] -> float[N, L, W]
        n, length, width = x.shape
        hd = width // self.heads
        qkv = nn.functional.linear(x, self.in_proj_weight, self.in_proj_bias)
        qkv = qkv.reshape(n, length, 3, self.heads, hd).permute(2, 0, 3, 1, 4)  # [3,N,H,L,hd]
        q, k, v = qkv[0], qkv[1], qkv[2]
        att = (q * hd**-0.5) @ k.transpose(-2, -1)  # [N,H,L,L]
        if attn_mask is not None:
            att = att + attn_mask
        out = att.softmax(dim=-1) @ v  # [N,H,L,hd]
        return self.out_proj(out.transpose(1, 2).reshape(n, length, width))


class ResidualAttentionBlock(nn.Module):
    """Pre-norm transformer block: ln_1 -> MHA -> +, ln_2 -> MLP(QuickGELU) -> +."""

    def __init__(self, width: int, heads: int, act: str = "quick_gelu", mlp_ratio: float = 4.0):
        super().__init__()
        hidden = int(width * mlp_ratio)
        self.ln_1 = nn.LayerNorm(width)
        self.attn = SelfAttention(width, heads)
        self.ln_2 = nn.LayerNorm(width)
        self.mlp = nn.Sequential()
        self.mlp.add_module("c_fc", nn.Linear(width, hidden))
        # OpenAI CLIP / GRAFT use QuickGELU; open_clip models trained from scratch (RemoteCLIP's
        # "ViT-B-32" config) use the exact GELU.
        self.mlp.add_module("gelu", QuickGELU() if act == "quick_gelu" else nn.GELU())
        self.mlp.add_module("c_proj", nn.Linear(hidden, width))

    def forward(self, x: torch.Tensor, attn_mask: torch.Tensor | None = None) -> torch.Tensor:
        # x: float[N, L, W]; attn_mask: float[L, L] additive (-inf above the diagonal) or None
        h = self.ln_1(x)
        x = x + self.attn(h, attn_mask)
        return x + self.mlp(self.ln_2(x))


class Transformer(nn.Module):
    def __init__(self, width: int, layers: int, heads: int, act: str = "quick_gelu"):
        super().__init__()
        self.width, self.layers = width, layers
        self.resblocks = nn.ModuleList(ResidualAttentionBlock(width, heads, act) for _ in range(layers))

    def forward(self, x: torch.Tensor, attn_mask: torch.Tensor | None = None) -> torch.Tensor:
        for block in self.resblocks:
            x = block(x, attn_mask)
        return x


@dataclass
class VisionConfig:
    width: int = 768
    layers: int = 12
    heads: int = 12
    patch_size: int = 16
    image_size: int = 224
    output_dim: int = 512
    act: str = "quick_gelu"  # quick_gelu | gelu

    @property
    def grid(self) -> int:
        return self.image_size // self.patch_size

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class TextConfig:
    width: int = 512
    layers: int = 12
    heads: int = 8
    vocab_size: int = 49408
    context_length: int = 77
    output_dim: int = 512
    act: str = "quick_gelu"  # quick_gelu | gelu

    def to_dict(self) -> dict:
        return asdict(self)


class VisionTransformer(nn.Module):
    """OpenAI CLIP ``visual`` module (ViT)."""

    def __init__(self, cfg: VisionConfig):
        super().__init__()
        self.cfg = cfg
        w = cfg.width
        scale = w**-0.5
        self.conv1 = nn.Conv2d(3, w, kernel_size=cfg.patch_size, stride=cfg.patch_size, bias=False)
        self.class_embedding = nn.Parameter(scale * torch.randn(w))
        self.positional_embedding = nn.Parameter(scale * torch.randn(cfg.grid**2 + 1, w))
        self.ln_pre = nn.LayerNorm(w)
        self.transformer = Transformer(w, cfg.layers, cfg.heads, cfg.act)
        self.ln_post = nn.LayerNorm(w)
        self.proj = nn.Parameter(scale * torch.randn(w, cfg.output_dim))

    def tokens(self, pixel_values: torch.Tensor) -> torch.Tensor:
        # pixel_values: float[N,3,S,S] normalised -> tokens float[N, 1+G*G, W] after the transformer
        x = self.conv1(pixel_values)  # [N, W, G, G]
        x = x.flatten(2).transpose(1, 2)  # [N, G*G, W], row-major patch order (row, then column)
        cls = self.class_embedding.to(x.dtype).expand(x.shape[0], 1, -1)
        x = torch.cat([cls, x], dim=1) + self.positional_embedding.to(x.dtype)
        return self.transformer(self.ln_pre(x))

    def forward(self, pixel_values: torch.Tensor) -> torch.Tensor:
        return self.ln_post(self.tokens(pixel_values)[:, 0]) @ self.proj


class TextTransformer(nn.Module):
    """OpenAI CLIP text tower (the top-level CLIP attributes other than ``visual``)."""

    def __init__(self, cfg: TextConfig):
        super().__init__()
        self.cfg = cfg
        w = cfg.width
        self.token_embedding = nn.Embedding(cfg.vocab_size, w)
        self.positional_embedding = nn.Parameter(0.01 * torch.randn(cfg.context_length, w))
        self.transformer = Transformer(w, cfg.layers, cfg.heads, cfg.act)
        self.ln_final = nn.LayerNorm(w)
        self.text_projection = nn.Parameter(w**-0.5 * torch.randn(w, cfg.output_dim))
        nn.init.normal_(self.token_embedding.weight, std=0.02)
        # Causal mask as a buffer (not saved): -inf strictly above the diagonal.
        mask = torch.full((cfg.context_length, cfg.context_length), float("-inf")).triu_(1)
        self.register_buffer("attn_mask", mask, persistent=False)

    def forward(self, input_ids: torch.Tensor) -> torch.Tensor:
        # input_ids: int64[N, 77] -> text_embeds float[N, D]
        x = self.token_embedding(input_ids) + self.positional_embedding
        x = self.transformer(x, self.attn_mask)
        x = self.ln_final(x)
        # EOT position = argmax of the ids, as OpenAI CLIP does. 49407 (EOT) is the largest id,
        # and argmax returns the FIRST maximum, so this is right for both padding conventions:
        # zeros (OpenAI/open_clip) and 49407 (Hugging Face), where the first 49407 is the real EOT.
        # int32 because onnxruntime's CPU ArgMax has no int64 kernel; ids < 2^31.
        eot = input_ids.to(torch.int32).argmax(dim=-1)  # [N]
        index = eot.to(torch.int64).view(-1, 1, 1).expand(-1, 1, x.shape[-1])  # [N,1,W]
        x = torch.gather(x, 1, index)[:, 0, :]  # [N, W] (GatherElements in ONNX)
        return x @ self.text_projection


class PatchEncoder(nn.Module):
    """GRAFT pixel-level head: every patch token (CLS dropped) -> ln_post -> @proj."""

    def __init__(self, visual: VisionTransformer):
        super().__init__()
        self.visual = visual

    def forward(self, pixel_values: torch.Tensor) -> torch.Tensor:
        # pixel_values float[N,3,S,S] -> patch_embeds float[N, G*G, D]
        v = self.visual
        return v.ln_post(v.tokens(pixel_values)[:, 1:]) @ v.proj


class ImageEncoder(nn.Module):
    """Image-level head (GRAFT image-level, CLIP, RemoteCLIP): CLS -> ln_post -> @proj."""

    def __init__(self, visual: VisionTransformer):
        super().__init__()
        self.visual = visual

    def forward(self, pixel_values: torch.Tensor) -> torch.Tensor:
        return self.visual(pixel_values)


class TextEncoder(nn.Module):
    def __init__(self, text: TextTransformer):
        super().__init__()
        self.text = text

    def forward(self, input_ids: torch.Tensor) -> torch.Tensor:
        return self.text(input_ids)


class CLIP(nn.Module):
    """Both towers with OpenAI CLIP's state-dict names (``visual.*``, ``token_embedding``, ...).

    Used to read / write whole-CLIP checkpoints; each tower is exported separately.
    """

    def __init__(self, vcfg: VisionConfig, tcfg: TextConfig):
        super().__init__()
        self.visual = VisionTransformer(vcfg)
        text = TextTransformer(tcfg)
        # Text tower parameters live at the top level in OpenAI's layout.
        self.token_embedding = text.token_embedding
        self.positional_embedding = text.positional_embedding
        self.transformer = text.transformer
        self.ln_final = text.ln_final
        self.text_projection = text.text_projection
        self.logit_scale = nn.Parameter(torch.tensor(4.6052))
        self._text = [text]  # a list hides it from the module tree (no duplicate keys)

    @property
    def text(self) -> TextTransformer:
        return self._text[0]
