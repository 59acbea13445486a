#!/usr/bin/env python3
"""PyTorch (CPU wheel) peer for `tribelens-cli bench`: the same three measurements, written the way
a PyTorch user would (NCHW tensors, nn.CrossEntropyLoss on logits, torch.optim.SGD, no_grad
inference), using all cores (torch's default thread count).
"""
import numpy as np
import torch
from torch import nn

import common


def scratch_cnn():
    return nn.Sequential(
        nn.Conv2d(3, 32, 3, padding=1), nn.MaxPool2d(2),
        nn.Conv2d(32, 32, 3, padding=1), nn.MaxPool2d(2),
        nn.Conv2d(32, 32, 3, padding=1), nn.MaxPool2d(2),
        nn.Flatten(),
        nn.Linear(8 * 8 * 32, 256), nn.Sigmoid(),
        nn.Linear(256, 128), nn.Sigmoid(),
        nn.Linear(128, common.CLASSES),  # softmax is fused into CrossEntropyLoss
    )


def vgg_block5_top():
    return nn.Sequential(
        nn.Conv2d(512, 512, 3, padding=1), nn.ReLU(inplace=True),
        nn.Conv2d(512, 512, 3, padding=1), nn.ReLU(inplace=True),
        nn.Conv2d(512, 512, 3, padding=1), nn.ReLU(inplace=True),
        nn.MaxPool2d(2), nn.Flatten(),
        nn.Linear(2 * 2 * 512, 256), nn.Sigmoid(),
        nn.Linear(256, common.CLASSES),
    )


def vgg_blocks_1_to_4():
    layers, cin = [], 3
    for width, depth in [(64, 2), (128, 2), (256, 3), (512, 3)]:
        for _ in range(depth):
            layers += [nn.Conv2d(cin, width, 3, padding=1), nn.ReLU(inplace=True)]
            cin = width
        layers.append(nn.MaxPool2d(2))
    return nn.Sequential(*layers)


def nchw(a):
    return torch.from_numpy(np.ascontiguousarray(a.transpose(0, 3, 1, 2)))


def main():
    a = common.arguments("pytorch")
    n = a.batch_size
    torch.manual_seed(0)
    if a.bench == "vgg-frozen-infer":
        model = vgg_blocks_1_to_4().eval()
        x = nchw(common.images(n))

        def step(b):
            with torch.no_grad():
                model(x)
        times = common.time_steps(step, a.batches, a.warmup)
    else:
        if a.bench == "cnn-step":
            model, x = scratch_cnn(), nchw(common.images(4 * n))
            opt = torch.optim.SGD(model.parameters(), lr=0.01)
        else:
            model, x = vgg_block5_top(), nchw(common.features(2 * n))
            opt = torch.optim.SGD(model.parameters(), lr=1e-4, momentum=0.9)
        y = torch.from_numpy(common.labels(len(x)))
        loss_fn = nn.CrossEntropyLoss()
        chunks = len(x) // n

        def step(b):
            s = (b % chunks) * n
            opt.zero_grad(set_to_none=True)
            loss = loss_fn(model(x[s:s + n]), y[s:s + n])
            loss.backward()
            opt.step()
        times = common.time_steps(step, a.batches, a.warmup)
    common.report("pytorch", a.bench, n, times,
                  note=f"torch {torch.__version__}, {torch.get_num_threads()} threads")


if __name__ == "__main__":
    main()
