"""Writes reference_counts.json: the trainable parameters tinygrad counts for a few architectures of the CNN family
that llmnas's "cnn" cost model describes (docs/formats.md, "search space"), so that a test can hold the cost model to
a framework's count without the framework. Run with tinygrad installed (pip install tinygrad==0.14.0):

    python data/cnn-cost/make_reference_counts.py > data/cnn-cost/reference_counts.json
"""

import json

from tinygrad import nn
from tinygrad.nn.state import get_state_dict

INPUT_CHANNELS, CLASSES = 3, 10
ARCHITECTURES = [
    {"stem_width": 16, "depth": 1, "width": [16], "kernel": [3], "downsample": [0]},
    {"stem_width": 32, "depth": 3, "width": [32, 64, 128], "kernel": [3, 5, 3], "downsample": [0, 1, 1]},
    {"stem_width": 24, "depth": 4, "width": [48, 48, 96, 192], "kernel": [7, 3, 5, 3], "downsample": [1, 0, 1, 1]},
    {"stem_width": 64, "depth": 2, "width": [128, 256], "kernel": [1, 7], "downsample": [1, 0]},
    {
        "stem_width": 8,
        "depth": 6,
        "width": [8, 16, 16, 32, 32, 64],
        "kernel": [3, 3, 5, 5, 7, 7],
        "downsample": [0, 1, 0, 1, 0, 1],
    },
]


def layers(arch):
    """The network's layers, as the cost model describes them."""
    built, channels = [], INPUT_CHANNELS
    for width, kernel, stride in [(arch["stem_width"], 3, 1)] + [
        (w, k, 2 if d else 1) for w, k, d in zip(arch["width"], arch["kernel"], arch["downsample"])
    ]:
        built += [
            nn.Conv2d(channels, width, kernel, stride=stride, padding=kernel // 2, bias=False),
            nn.BatchNorm(width),
        ]
        channels = width
    return built + [nn.Linear(channels, CLASSES)]


def trainable(model):
    """Trainable parameters: BatchNorm's running statistics and its batch counter are state, not parameters."""
    state = get_state_dict(model)
    return sum(t.numel() for name, t in state.items() if "running_" not in name and "num_batches" not in name)


print(
    json.dumps(
        {
            "framework": "tinygrad 0.14.0",
            "input_channels": INPUT_CHANNELS,
            "classes": CLASSES,
            "architectures": [{"architecture": a, "params": trainable(layers(a))} for a in ARCHITECTURES],
        },
        indent=1,
    )
)
