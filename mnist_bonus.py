"""Part (d): the best network this numpy code trains on MNIST, and what each of its changes buys.

It is still the course's ``Network``, trained by its ``SGD`` with its back-propagation; a subclass
changes how the parameters start (He initialisation, float32) and what ``update_mini_batch``
does: each training mini-batch is distorted at random (``mnist_augment``: small rotations,
scalings, shears and shifts, so the network sees a new variant of every digit in every epoch),
and the step uses Nesterov momentum with a warm-up + cosine learning-rate schedule. The settings
were chosen on the 10,000 validation images, never on the test set.
"""

import json
import math

import numpy as np

import backprop_data as data
import mnist_augment
from backprop_network import Network

BONUS_CONFIG = {
    "sizes": [784, 800, 800, 10],
    "init": "he",
    "dtype": "float32",
    "epochs": 100,
    "mini_batch_size": 128,
    "learning_rate": 0.1,
    "momentum": 0.9,
    "warmup": 0.03,
    "augment": "affine",
    "seed": 0,
}

AUGMENTATIONS = {
    "none": None,
    "shifts": mnist_augment.random_shifts,
    "affine": mnist_augment.random_affine,
}

COURSE_SETTING = {
    "sizes": [784, 40, 10],
    "init": "normal",
    "dtype": "float64",
    "mini_batch_size": 10,
    "learning_rate": 0.1,
    "momentum": 0.0,
    "warmup": None,
    "augment": "none",
}

# (change, config): the ablation is cumulative, each row adds its change to the row above, from
# the course's setting to the bonus recipe; every row trains for BONUS_CONFIG["epochs"] epochs on
# the 50,000 training images.
ABLATION = [
    (
        "course setting: [784, 40, 10], N(0, 1) init, plain SGD lr 0.1, batch 10, float64",
        {**BONUS_CONFIG, **COURSE_SETTING},
    ),
    (
        "He init, batch 128, Nesterov momentum 0.9, warm-up + cosine lr 0.1, float32",
        {**BONUS_CONFIG, "sizes": [784, 40, 10], "augment": "none"},
    ),
    ("two hidden layers of 800", {**BONUS_CONFIG, "augment": "none"}),
    ("random shifts of up to 2 pixels", {**BONUS_CONFIG, "augment": "shifts"}),
    ("random rotations, scalings and shears too (the bonus recipe)", BONUS_CONFIG),
]


def warmup_cosine(t, warmup):
    """The learning-rate factor when the fraction t in [0, 1) of training is done: linear from 0
    to 1 over the first ``warmup``, then half a cosine down to 0; 1 throughout if warmup is None."""
    if warmup is None:
        return 1.0
    if t < warmup:
        return t / warmup
    return 0.5 * (1.0 + math.cos(math.pi * (t - warmup) / (1.0 - warmup)))


class BonusNetwork(Network):
    """The course's Network with part (d)'s initialisation, arithmetic and step.

    config: a dict with BONUS_CONFIG's keys; steps: how many mini-batches training will take
    (epochs times mini-batches per epoch), which the schedule needs.
    """

    def __init__(self, config, steps):
        np.random.seed(config["seed"])
        super().__init__(config["sizes"])
        if config["init"] == "he":  # W_l ~ N(0, 2 / k_{l-1}), b_l = 0 (He et al., 2015)
            self.weights = [w * np.sqrt(2.0 / w.shape[1]) for w in self.weights]
            self.biases = [np.zeros_like(b) for b in self.biases]
        self.weights = [w.astype(config["dtype"]) for w in self.weights]
        self.biases = [b.astype(config["dtype"]) for b in self.biases]
        self.velocities = [np.zeros_like(p) for p in self.biases + self.weights]
        self.config, self.steps, self.steps_done = config, steps, 0
        self.augment = AUGMENTATIONS[config["augment"]]
        self.generator = np.random.default_rng([config["seed"], 1])  # draws the distortions

    def update_mini_batch(self, mini_batch, learning_rate):
        """A Nesterov momentum step on the distorted mini-batch at the scheduled rate:
        u <- mu u + g, then p <- p - lr_t (g + mu u) for every parameter p and its gradient g
        (mu = 0 is the course's plain step)."""
        x, y = mini_batch
        if self.augment is not None:
            x = self.augment(x, self.generator)
        rate = learning_rate * warmup_cosine(self.steps_done / self.steps, self.config["warmup"])
        self.steps_done += 1
        mu = self.config["momentum"]
        db, dw = self.backprop(x, y)
        for p, g, u in zip(self.biases + self.weights, db + dw, self.velocities, strict=True):
            u *= mu
            u += g
            p -= rate * (g + mu * u)


def validation_data():
    """The 10,000 validation images (MNIST training images 50,000..59,999), which the course's
    loader never uses: ``(x (784, 10000) float32, labels (10000,))``."""
    _, (x, labels), _ = data.read_mnist()
    return x.T.copy(order="F"), labels.copy()


def train(config, training_data, validation, on_epoch=None):
    """Train a BonusNetwork by ``config`` on the pair ``training_data`` (x (784, n), y (10, n)),
    measuring ``validation`` after every epoch. Returns (network, history);
    history["test_accuracy"] holds the validation accuracies."""
    steps = config["epochs"] * math.ceil(training_data[0].shape[1] / config["mini_batch_size"])
    net = BonusNetwork(config, steps)
    history = net.SGD(
        training_data,
        config["epochs"],
        config["mini_batch_size"],
        config["learning_rate"],
        validation,
        rng=config["seed"],
        verbose=False,
        on_epoch=on_epoch,
    )
    return net, history


def save_network(net, config, file):
    """Write the weights W1.., biases b1.. and the config (as JSON) to an .npz file."""
    arrays = {f"W{layer}": w for layer, w in enumerate(net.weights, 1)}
    arrays |= {f"b{layer}": b for layer, b in enumerate(net.biases, 1)}
    np.savez_compressed(file, config=json.dumps(config), **arrays)


def load_network(path):
    """The (network, config) that ``save_network`` wrote; the network is a plain ``Network``,
    which is all that evaluating it needs."""
    with np.load(path) as saved:
        config = json.loads(str(saved["config"]))
        net = Network(config["sizes"])
        net.weights = [saved[f"W{layer}"] for layer in range(1, len(config["sizes"]))]
        net.biases = [saved[f"b{layer}"] for layer in range(1, len(config["sizes"]))]
    return net, config
