#!/usr/bin/env python3
"""Independent float64 reference for lmzip's byte transformer, written with PyTorch.

Reads an lmzip model file (safetensors, format "lmzip-byte-transformer/1", config in the
metadata) and a byte string, and writes the logits of every position as float64 little-endian,
row-major (positions x 256). Position i predicts byte i after BOS, bytes[0..i-1].

It implements docs/model.md from the equations alone (no lmzip code), so agreement between its
logits and lmzip's reference forward checks the architecture itself. With --grads it writes
instead the training loss of the input read as one sequence (the mean over its positions of
-ln P(byte), nats) and its gradient with respect to every tensor, by PyTorch's autograd, as a
safetensors file of F64 tensors named as the model's, the loss in the metadata; the trainer's
float64 backward is held to it (tests/train/torch_gradients_test.cpp). Run where PyTorch exists
(the GPU machine):
    python3 tools/torch_reference.py MODEL.safetensors INPUT.bin OUT_logits_f64.bin
    python3 tools/torch_reference.py --grads MODEL.safetensors INPUT.bin OUT_grads.safetensors
"""
import json
import math
import struct
import sys

import torch


def load_safetensors(path):
    with open(path, "rb") as f:
        data = f.read()
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8 : 8 + n])
    meta = header.pop("__metadata__", {})
    base = 8 + n
    tensors = {}
    for name, info in header.items():
        assert info["dtype"] == "F32", (name, info["dtype"])
        b, e = info["data_offsets"]
        t = torch.frombuffer(bytearray(data[base + b : base + e]), dtype=torch.float32)
        tensors[name] = t.reshape(info["shape"]).to(torch.float64)
    return meta, tensors


def layer_norm(x, w, b, eps):
    mean = x.mean(-1, keepdim=True)
    var = ((x - mean) ** 2).mean(-1, keepdim=True)
    return (x - mean) / torch.sqrt(var + eps) * w + b


def rope(x, theta):
    # x: (heads, T, h); pairs (j, j + h/2), angle = pos * theta^(-2j/h)
    _, T, h = x.shape
    half = h // 2
    j = torch.arange(half, dtype=torch.float64)
    inv = theta ** (-2.0 * j / h)
    ang = torch.arange(T, dtype=torch.float64)[:, None] * inv[None, :]
    cos, sin = torch.cos(ang), torch.sin(ang)
    a, b = x[..., :half], x[..., half:]
    return torch.cat([a * cos - b * sin, b * cos + a * sin], dim=-1)


def gelu_tanh(x):
    return 0.5 * x * (1.0 + torch.tanh(math.sqrt(2.0 / math.pi) * (x + 0.044715 * x**3)))


def forward(meta, W, data):
    cfg = json.loads(meta["config"])
    D, L, H = cfg["d_model"], cfg["n_layers"], cfg["n_heads"]
    theta, eps = cfg["rope_theta"], cfg["ln_eps"]
    hd = D // H
    tokens = torch.tensor([256] + list(data[:-1]), dtype=torch.long)
    T = len(tokens)
    x = W["embed.weight"][tokens] * math.sqrt(D)
    mask = torch.triu(torch.ones(T, T, dtype=torch.bool), diagonal=1)
    for l in range(L):
        p = f"layers.{l}."
        h = layer_norm(x, W[p + "ln1.weight"], W[p + "ln1.bias"], eps)
        q = (h @ W[p + "attn.wq"].T).reshape(T, H, hd).transpose(0, 1)
        k = (h @ W[p + "attn.wk"].T).reshape(T, H, hd).transpose(0, 1)
        v = (h @ W[p + "attn.wv"].T).reshape(T, H, hd).transpose(0, 1)
        q, k = rope(q, theta), rope(k, theta)
        s = (q @ k.transpose(1, 2)) / math.sqrt(hd)
        s = s.masked_fill(mask, float("-inf"))
        a = torch.softmax(s, dim=-1) @ v
        x = x + a.transpose(0, 1).reshape(T, D) @ W[p + "attn.wo"].T
        h = layer_norm(x, W[p + "ln2.weight"], W[p + "ln2.bias"], eps)
        u = gelu_tanh(h @ W[p + "mlp.up.weight"].T + W[p + "mlp.up.bias"])
        x = x + u @ W[p + "mlp.down.weight"].T + W[p + "mlp.down.bias"]
    h = layer_norm(x, W["ln_f.weight"], W["ln_f.bias"], eps)
    return h @ W["head.weight"].T + W["head.bias"]


def write_safetensors_f64(path, tensors, metadata):
    names = sorted(tensors)
    header, offset, blobs = {"__metadata__": metadata}, 0, []
    for name in names:
        blob = tensors[name].contiguous().numpy().astype("<f8").tobytes()
        header[name] = {"dtype": "F64", "shape": list(tensors[name].shape), "data_offsets": [offset, offset + len(blob)]}
        offset += len(blob)
        blobs.append(blob)
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text + b"".join(blobs))


def gradients(meta, W, data, out):
    for t in W.values():
        t.requires_grad_(True)
    logits = forward(meta, W, data)
    targets = torch.tensor(list(data), dtype=torch.long)
    loss = torch.nn.functional.cross_entropy(logits, targets)  # mean of -ln P(byte), nats
    loss.backward()
    grads = {name: t.grad.detach() for name, t in W.items()}
    write_safetensors_f64(out, grads, {"loss": repr(loss.item()), "torch": torch.__version__})
    print(f"{out}: loss {loss.item()!r} nats over {len(data)} positions, {len(grads)} tensors, torch {torch.__version__}")


def main():
    args = sys.argv[1:]
    grads = args[:1] == ["--grads"]
    model, inp, out = args[1:4] if grads else args[0:3]
    meta, W = load_safetensors(model)
    with open(inp, "rb") as f:
        data = f.read()
    if grads:
        gradients(meta, W, data, out)
        return
    logits = forward(meta, W, data)
    with open(out, "wb") as f:
        f.write(logits.contiguous().numpy().astype("<f8").tobytes())
    print(f"{out}: {logits.shape[0]} positions, torch {torch.__version__}")


if __name__ == "__main__":
    main()
