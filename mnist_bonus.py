"""Part (d): the best network this numpy code trains on MNIST, and what each of its changes buys.

The recipe is still a multilayer perceptron trained by ``Network.SGD`` with the repository's own
back-propagation. The changes from the course's setting, each an opt-in option of the Network:
two wide hidden layers with He initialisation, mini-batches of 128 with Nesterov momentum and a
warm-up + cosine learning-rate schedule, float32 arithmetic, and training images distorted at
random (small rotations, scalings, shears and shifts) so that the network sees a new variant of
every digit in every epoch. Settings were chosen on the 10,000 validation images, never on the
test set.
"""

import json

import numpy as np

import mnist_augment
from backprop_network import Network, warmup_cosine

BONUS_CONFIG = {
    "sizes": [784, 800, 800, 10],
    "init": "he",
    "dtype": "float32",
    "epochs": 100,
    "mini_batch_size": 128,
    "learning_rate": 0.1,
    "momentum": 0.9,
    "weight_decay": 0.0,
    "dropout": 0.0,
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

# (change, config): each row adds one change to the row above, from the course's setting to the
# bonus recipe; every row trains for BONUS_CONFIG["epochs"] epochs on the 50,000 training images.
ABLATION = [
    (
        "course setting: [784, 40, 10], N(0, 1) init, plain SGD lr 0.1, batch 10",
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


def build_network(config):
    """A Network with the config's sizes, dtype and initialisation, drawn after seeding."""
    np.random.seed(config["seed"])
    return Network(config["sizes"], dtype=config["dtype"], init=config["init"])


def train(config, train_set, validation_set, on_epoch=None):
    """Train a network by ``config`` on ``train_set``, measuring ``validation_set`` every epoch.

    Returns (network, history); history["test_accuracy"] holds the validation accuracies.
    """
    net = build_network(config)
    schedule = None if config["warmup"] is None else warmup_cosine(config["warmup"])
    history = net.SGD(
        train_set,
        config["epochs"],
        config["mini_batch_size"],
        config["learning_rate"],
        validation_set,
        rng=config["seed"],
        verbose=False,
        momentum=config["momentum"],
        weight_decay=config["weight_decay"],
        dropout=config["dropout"],
        schedule=schedule,
        augment=AUGMENTATIONS[config["augment"]],
        on_epoch=on_epoch,
    )
    return net, history


def save_network(net, config, file):
    """Write the weights W1.., biases b1.. and the config (as JSON) to an .npz file."""
    arrays = {f"W{layer}": w for layer, w in enumerate(net.weights, 1)}
    arrays |= {f"b{layer}": b for layer, b in enumerate(net.biases, 1)}
    np.savez_compressed(file, config=json.dumps(config), **arrays)


def load_network(path):
    """The (network, config) that ``save_network`` wrote."""
    with np.load(path) as saved:
        config = json.loads(str(saved["config"]))
        net = Network(config["sizes"], dtype=config["dtype"])
        net.weights = [saved[f"W{layer}"] for layer in range(1, len(config["sizes"]))]
        net.biases = [saved[f"b{layer}"] for layer in range(1, len(config["sizes"]))]
    return net, config
