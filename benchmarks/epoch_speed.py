"""Time one epoch of the course's setting three ways, side by side in one run, and print ratios.

Setting: Network([784, 40, 10]), the 50,000 training images, mini-batches of 10, lr 0.1.
  vectorised  this repository's Network.SGD: one matrix per mini-batch
  loop        the course's update_mini_batch: backprop one example at a time, summed
  torch       the same model and step in PyTorch on the CPU (autograd, torch.optim.SGD)
Each is timed in float64 (the course's precision) and float32, torch with 1 thread and with its
default; the best of --repeats epochs counts, and the ratio is against the fastest torch.

    python benchmarks/epoch_speed.py [--repeats 3]
"""

import argparse
import contextlib
import io
import os
import platform
import random
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


def network(dtype):
    """The course's Network([784, 40, 10]) with its parameters cast to ``dtype``."""
    np.random.seed(0)
    net = Network(SIZES)
    net.weights = [w.astype(dtype) for w in net.weights]
    net.biases = [b.astype(dtype) for b in net.biases]
    return net


def vectorised_epoch(train, test, dtype):
    """Network.SGD for one epoch on the matrices of load_matrices (float32 pixels; each
    mini-batch is cast to the network's dtype); its closing test is on one image, and its
    printed lines are discarded."""
    net = network(dtype)
    test = (test[0][:, :1], test[1][:1])
    random.seed(0)
    start = time.perf_counter()
    with contextlib.redirect_stdout(io.StringIO()):
        net.SGD(train, 1, MINI_BATCH, LEARNING_RATE, test)
    return time.perf_counter() - start


def loop_epoch(train, dtype):
    """The course's epoch: random.shuffle of the list, then per mini-batch the per-example
    gradients summed and a step by lr / m into new arrays."""
    net = network(dtype)
    x, y = train
    examples = [(x[:, [j]].astype(dtype), y[:, [j]].astype(dtype)) for j in range(x.shape[1])]
    start = time.perf_counter()
    random.shuffle(examples)
    for k in range(0, len(examples), MINI_BATCH):
        mini_batch = examples[k : k + MINI_BATCH]
        sum_b = [np.zeros(b.shape, dtype) for b in net.biases]
        sum_w = [np.zeros(w.shape, dtype) for w in net.weights]
        for x_j, y_j in mini_batch:
            db, dw = net.backprop(x_j, y_j)
            sum_b = [s + d for s, d in zip(sum_b, db)]
            sum_w = [s + d for s, d in zip(sum_w, dw)]
        step = LEARNING_RATE / len(mini_batch)
        net.biases = [b - step * s for b, s in zip(net.biases, sum_b)]
        net.weights = [w - step * s for w, s in zip(net.weights, sum_w)]
    return time.perf_counter() - start


def torch_epoch(train, dtype):
    import torch

    torch_dtype = {np.float64: torch.float64, np.float32: torch.float32}[dtype]
    torch.manual_seed(0)
    model = torch.nn.Sequential(
        torch.nn.Linear(SIZES[0], SIZES[1]), torch.nn.ReLU(), torch.nn.Linear(SIZES[1], SIZES[2])
    ).to(torch_dtype)
    optimizer = torch.optim.SGD(model.parameters(), lr=LEARNING_RATE)
    x_all = torch.from_numpy(np.ascontiguousarray(train[0].T)).to(torch_dtype)
    labels_all = torch.from_numpy(train[1].argmax(axis=0))
    start = time.perf_counter()
    order = torch.randperm(len(labels_all))
    x_all, labels_all = x_all[order], labels_all[order]
    for k in range(0, len(labels_all), MINI_BATCH):
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
    args = parser.parse_args()

    import torch

    train, test = data.load_matrices(50_000, 10_000)
    thread_counts = sorted({1, torch.get_num_threads()})
    machine = platform.processor() or platform.machine()
    print(f"{machine}, {os.cpu_count()} cores, numpy {np.__version__}, torch {torch.__version__}")
    print(f"seconds per epoch, best of {args.repeats}; torch with {thread_counts} threads\n")
    torch_columns = [f"torch {n}thr" for n in thread_counts]
    header = ["dtype", "vectorised", "loop", *torch_columns, "loop/vec", "best torch/vec"]
    print("".join(f"{h:>15}" for h in header))
    for dtype in (np.float64, np.float32):
        vec = best_time(vectorised_epoch, args.repeats, train, test, dtype)
        loop = best_time(loop_epoch, args.repeats, train, dtype)
        torch_times = []
        for threads in thread_counts:
            torch.set_num_threads(threads)
            torch_times.append(best_time(torch_epoch, args.repeats, train, dtype))
        cells = [f"{t:.3f}s" for t in (vec, loop, *torch_times)]
        cells += [f"{loop / vec:.1f}x", f"{min(torch_times) / vec:.1f}x"]
        print(f"{np.dtype(dtype).name:>15}" + "".join(f"{c:>15}" for c in cells))


def best_time(epoch, repeats, *args):
    return min(epoch(*args) for _ in range(repeats))


if __name__ == "__main__":
    main()
