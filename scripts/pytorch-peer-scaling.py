#!/usr/bin/python3
"""Runs the PyTorch peer DPO step (shared/bench/pytorch_dpo_step.py, passed as the first argument) with
a preset whose sequence length and/or vocabulary are overridden, for the scaling tables of
docs/performance.md. Reference numbers only: prefkit never depends on PyTorch.

usage: pytorch-peer-scaling.py PEER_SCRIPT PRESET --seq-len T --vocab V [--steps N] [--threads T]
"""
import sys

peer, preset = sys.argv[1], sys.argv[2]
rest = sys.argv[3:]
overrides = {}
for flag, key in (("--seq-len", "T"), ("--vocab", "vocab")):
    if flag in rest:
        i = rest.index(flag)
        overrides[key] = int(rest[i + 1])
        del rest[i:i + 2]
source = open(peer).read()
body, _, _ = source.rpartition("main()")  # the peer calls main() on its last line
scope = {"__name__": "peer"}
exec(compile(body, peer, "exec"), scope)
scope["PRESETS"][preset] = dict(scope["PRESETS"][preset], **overrides)
sys.argv = [peer, preset] + rest
scope["main"]()
