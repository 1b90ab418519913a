"""Time one epoch of the course's setting three ways, side by side in one run, and print ratios.

Setting: Network([784, 40, 10]), the 50,000 training images, mini-batches of 10, lr 0.1.
  vectorised  this repository's Network.SGD: one matrix per mini-batch
  loop        the course's update_mini_batch: backprop one example at a time, summed
  torch       the same model and step in PyTorch on the CPU (autograd, torch.optim.SGD)
Each is timed in float64 (the course's precision) and float32; the best of --repeats epochs counts.

    python benchmarks/epoch_speed.py [--repeats 3] [--torch-threads 1]
"""

import argparse
import os
import platform
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import backprop_data as data  # noqa: E402
from backprop_network import Network  # noqa: E402

SIZES = [784, 40, 10]
MINI_BATCH = 10
LEARNING_RATE = 0.1


def in_dtype(matrices, dtype):
    return data.Matrices(
        np.asfortranarray(matrices.x, dtype), matrices.labels, matrices.one_hot.astype(dtype)
    )


def vectorised_epoch(train, test, dtype):
    """Network.SGD for one epoch (its closing test-set evaluation included)."""
    net = Network(SIZES, dtype=dtype)
    train, test = in_dtype(train, dtype), in_dtype(test, dtype)
    start = time.perf_counter()
    net.SGD(train, 1, MINI_BATCH, LEARNING_RATE, test, rng=0, verbose=False)
    return time.perf_counter() - start


def loop_epoch(train, dtype):
    """The course's update_mini_batch: sum per-example gradients, then step by lr / m."""
    net = Network(SIZES, dtype=dtype)
    examples = [
        (train.x[:, [j]].astype(dtype), train.one_hot[:, [j]].astype(dtype))
        for j in range(len(train))
    ]
    start = time.perf_counter()
    np.random.shuffle(examples)
    for k in range(0, len(examples), MINI_BATCH):
        mini_batch = examples[k : k + MINI_BATCH]
        sum_b = [np.zeros(b.shape, dtype) for b in net.biases]
        sum_w = [np.zeros(w.shape, dtype) for w in net.weights]
        for x, y in mini_batch:
            db, dw = net.backprop(x, y)
            sum_b = [s + d for s, d in zip(sum_b, db, strict=True)]
            sum_w = [s + d for s, d in zip(sum_w, dw, strict=True)]
        step = LEARNING_RATE / len(mini_batch)
        net.biases = [b - step * s for b, s in zip(net.biases, sum_b, strict=True)]
        net.weights = [w - step * s for w, s in zip(net.weights, sum_w, strict=True)]
    return time.perf_counter() - start


def torch_epoch(train, dtype):
    import torch

    torch_dtype = {np.float64: torch.float64, np.float32: torch.float32}[dtype]
    torch.manual_seed(0)
    model = torch.nn.Sequential(
        torch.nn.Linear(SIZES[0], SIZES[1]), torch.nn.ReLU(), torch.nn.Linear(SIZES[1], SIZES[2])
    ).to(torch_dtype)
    optimizer = torch.optim.SGD(model.parameters(), lr=LEARNING_RATE)
    x_all = torch.from_numpy(np.ascontiguousarray(train.x.T)).to(torch_dtype)
    labels_all = torch.from_numpy(train.labels)
    start = time.perf_counter()
    order = torch.randperm(len(train))
    x_all, labels_all = x_all[order], labels_all[order]
    for k in range(0, len(train), MINI_BATCH):
        optimizer.zero_grad(set_to_none=True)
        loss = torch.nn.functional.cross_entropy(
            model(x_all[k : k + MINI_BATCH]), labels_all[k : k + MINI_BATCH]
        )
        loss.backward()
        optimizer.step()
    return time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--repeats", type=int, default=3, help="epochs timed per method (best counts)"
    )
    parser.add_argument(
        "--torch-threads", type=int, default=None, help="torch.set_num_threads (default: torch's)"
    )
    args = parser.parse_args()

    import torch

    if args.torch_threads:
        torch.set_num_threads(args.torch_threads)
    train, test = data.load_matrices(50_000, 10_000)
    machine = platform.processor() or platform.machine()
    print(f"{machine}, {os.cpu_count()} cores, numpy {np.__version__}, torch {torch.__version__}")
    print(f"torch threads: {torch.get_num_threads()}; best of {args.repeats} epochs each\n")
    print(
        f"{'dtype':8} {'vectorised':>11} {'loop':>9} {'torch':>9} {'loop/vec':>9} {'torch/vec':>10}"
    )
    for dtype in (np.float64, np.float32):
        vec = best_time(vectorised_epoch, args.repeats, train, test, dtype)
        loop = best_time(loop_epoch, args.repeats, train, dtype)
        tor = best_time(torch_epoch, args.repeats, train, dtype)
        name = np.dtype(dtype).name
        print(
            f"{name:8} {vec:10.3f}s {loop:8.3f}s {tor:8.3f}s {loop / vec:8.1f}x {tor / vec:9.1f}x"
        )


def best_time(epoch, repeats, *args):
    return min(epoch(*args) for _ in range(repeats))


if __name__ == "__main__":
    main()
