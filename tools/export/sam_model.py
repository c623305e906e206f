"""Clean-room PyTorch Segment Anything (SAM) modules in the segment-anything state-dict layout.

Parameter names follow the published checkpoints (``image_encoder.*``, ``prompt_encoder.*``,
``mask_decoder.*``) so ``sam_vit_b/l/h`` checkpoints load without renaming; MobileSAM shares
the prompt encoder and mask decoder layout (its TinyViT image encoder is not implemented).

Exported graphs:
- ``SamImageEncoder``: image float[1,3,S,S] normalised -> image_embeddings float[1,256,S/16,S/16]
- ``SamPromptDecoder``: the standard SAM ONNX signature (see ``SamPromptDecoder.forward``).
"""
from __future__ import annotations

from torch import nn

from sam_decoder import MaskDecoder, PromptEncoder, SamPromptDecoder, TwoWayTransformer  # noqa: F401
from sam_encoder import LayerNorm2d, MLPBlock, SamEncoderConfig, SamImageEncoderViT  # noqa: F401


class Sam(nn.Module):
    """Container with the segment-anything top-level names (for reading / writing checkpoints)."""

    def __init__(self, enc: SamEncoderConfig | None):
        super().__init__()
        if enc is not None:
            self.image_encoder = SamImageEncoderViT(enc)
        dec = SamPromptDecoder(enc.img_size if enc else 1024, (enc.img_size // enc.patch_size) if enc else 64)
        self.prompt_encoder = dec.prompt_encoder
        self.mask_decoder = dec.mask_decoder
        self._decoder = [dec]

    @property
    def decoder(self) -> SamPromptDecoder:
        return self._decoder[0]
