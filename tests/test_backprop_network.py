"""backprop_network.py's batched code against trusted references: PyTorch for the gradients,
loss and accuracies of a batch, the course's per-example loop for SGD, and torch.optim.SGD for
part (d)'s Nesterov step. The per-example interface is checked against finite differences in
test_course_interface.py."""

import copy
import random

import numpy as np
import pytest
import torch
from conftest import course_epochs

import backprop_data as data
from backprop_network import BonusNetwork, Network, warmup_cosine

pytestmark = pytest.mark.filterwarnings("error")


def random_batch(sizes, m, seed=1):
    rng = np.random.default_rng(seed)
    return rng.normal(size=(sizes[0], m)), np.eye(sizes[-1])[:, rng.integers(0, sizes[-1], m)]


@pytest.mark.parametrize(
    ("sizes", "scale"), [([784, 40, 10], 1), ([20, 16, 12, 8, 5], 1), ([20, 16, 12, 8, 5], 1e4)]
)
def test_gradients_loss_and_accuracies_match_torch(sizes, scale):
    """A batch of 16, as matrices and as the course's lists: backprop against autograd (relative
    error under 1e-6); loss, output_softmax and both accuracies against torch's forward pass;
    also at logits of order 1e4, where a softmax or its log computed naively overflows."""
    rng = np.random.default_rng(3)
    net = Network(sizes)  # weights of scale 1/sqrt(fan-in), so no ReLU sits near a kink
    net.weights = [rng.normal(0, 1 / np.sqrt(w.shape[1]), w.shape) for w in net.weights]
    net.biases = [rng.normal(0, 0.5, b.shape) for b in net.biases]
    net.weights[-1], net.biases[-1] = scale * net.weights[-1], scale * net.biases[-1]
    x, y = random_batch(sizes, 16, seed=4)
    params = [torch.tensor(p, requires_grad=True) for p in net.biases + net.weights]
    biases, weights = params[: len(net.biases)], params[len(net.biases) :]
    v = torch.tensor(x)
    for layer, (w, b) in enumerate(zip(weights, biases, strict=True)):
        v = w @ (v if layer == 0 else torch.relu(v)) + b
    predicted = v.argmax(dim=0).numpy()
    y[:, ::2] = np.eye(sizes[-1])[:, predicted[::2]]  # half the labels as predicted, for accuracy
    loss = -(torch.tensor(y) * torch.log_softmax(v, dim=0)).sum() / x.shape[1]
    loss.backward()
    for ours, theirs in zip(sum(net.backprop(x, y), []), params, strict=True):
        g = theirs.grad.numpy()
        assert np.linalg.norm(ours - g) / (np.linalg.norm(ours) + np.linalg.norm(g)) < 1e-6
    probs = net.output_softmax(net.network_output_before_softmax(x))
    np.testing.assert_allclose(probs, torch.softmax(v, dim=0).detach().numpy(), rtol=1e-12)
    training = [(x[:, [j]], y[:, [j]]) for j in range(x.shape[1])]
    test = [(xj, int(yj.argmax())) for xj, yj in training]
    accuracy = np.mean(predicted == y.argmax(axis=0))
    assert 0 < accuracy < 1
    assert net.loss(training) == net.loss((x, y)) == pytest.approx(loss.item(), rel=1e-12)
    assert net.one_hot_accuracy(training) == net.one_label_accuracy(test) == accuracy


@pytest.mark.parametrize("track", [False, True])
@pytest.mark.parametrize("form", ["lists", "matrices"])
def test_sgd_is_the_course_loop_for_the_same_random_seed(form, track):
    """3 epochs on the course's lists or on matrices give the course's per-example loop's weights
    and, each epoch, test accuracy and (with track_training) loss and one_hot_accuracy of the
    training data; they leave the list in the course's shuffled order, draw nothing from numpy's
    generator (random.seed alone repeats a run), and like the course's steps leave a snapshot
    ``w0, b0 = net.weights, net.biases`` alone (a learning-rate sweep that keeps it restores it)."""
    training_data, test_data = data.load(1000, 500)
    course = Network([784, 30, 10])
    ours = copy.deepcopy(course)
    w0, b0 = ours.weights, ours.biases
    kept = [p.copy() for p in w0 + b0]
    course_list = list(training_data)
    random.seed(5)
    expected = {"train_accuracy": [], "train_loss": [], "test_accuracy": []}
    for _ in course_epochs(course, course_list, 3):
        expected["train_accuracy"].append(course.one_hot_accuracy(course_list))
        expected["train_loss"].append(course.loss(course_list))
        expected["test_accuracy"].append(course.one_label_accuracy(test_data))
    training = list(training_data) if form == "lists" else data.load_matrices(1000, 500)[0]
    random.seed(5)
    state = np.random.get_state()
    history = ours.SGD(training, 3, 10, 0.1, test_data, track_training=track)
    assert all(np.array_equal(a, b) for a, b in zip(state, np.random.get_state()))
    expected["train_loss"] = pytest.approx(expected["train_loss"], rel=1e-9)
    assert history == (expected if track else {"test_accuracy": expected["test_accuracy"]})
    assert form == "matrices" or all(a is b for a, b in zip(training, course_list))
    for a, b in zip(ours.weights + ours.biases, course.weights + course.biases):
        np.testing.assert_allclose(a, b, rtol=1e-9, atol=1e-12)
    assert all(np.array_equal(p, k) for p, k in zip(w0 + b0, kept))


BONUS = dict(sizes=[12, 9, 7, 4], init="normal", dtype="float64", momentum=0.9, warmup=None, seed=0)


def test_he_initialisation_in_float32():
    np.random.seed(0)
    net = BonusNetwork(BONUS | {"sizes": [784, 500, 300, 10], "init": "he", "dtype": "float32"})
    for w, b in zip(net.weights, net.biases, strict=True):
        assert w.dtype == b.dtype == np.float32 and not b.any()
        assert w.std() == pytest.approx(np.sqrt(2 / w.shape[1]), rel=0.05)


@pytest.mark.parametrize(("momentum", "warmup"), [(0.9, None), (0.9, 0.5), (0.0, None)])
def test_the_bonus_step_is_torch_nesterov_sgd_and_without_momentum_the_course_step(
    momentum, warmup
):
    """4 steps against torch.optim.SGD with Nesterov momentum, with a warmup at the rates that
    LambdaLR(warmup_cosine) sets (0 at the first step); with momentum 0 and no schedule, against
    torch's plain SGD step, which is the course's W_l - lr * dl/dW_l."""
    x, y = random_batch(BONUS["sizes"], 6)
    np.random.seed(0)
    net = BonusNetwork(BONUS | {"momentum": momentum, "warmup": warmup})
    net.steps = 4
    params = [torch.tensor(p.copy(), requires_grad=True) for p in net.biases + net.weights]
    optimizer = torch.optim.SGD(params, lr=0.1, momentum=momentum, nesterov=momentum > 0)
    schedule = torch.optim.lr_scheduler.LambdaLR(optimizer, lambda k: warmup_cosine(k / 4, warmup))
    for _ in range(4):
        for p, g in zip(params, sum(net.backprop(x, y), []), strict=True):
            p.grad = torch.tensor(g)  # at the parameters both hold now
        optimizer.step()
        schedule.step()
        net.update_mini_batch((x, y), 0.1)
    for ours, theirs in zip(net.biases + net.weights, params, strict=True):
        np.testing.assert_allclose(ours, theirs.detach().numpy(), rtol=1e-12)


def test_the_schedule_warms_up_linearly_then_decays_as_half_a_cosine():
    factors = [warmup_cosine(t, 0.1) for t in (0.0, 0.05, 0.1, 0.55, 0.999)]
    assert factors == pytest.approx([0.0, 0.5, 1.0, 0.5, 0.0], abs=1e-4)
    assert warmup_cosine(0.7, None) == 1.0


def test_bonus_training_distorts_every_mini_batch_spreads_the_schedule_and_learns():
    seen = []

    def shifts(x, generator):
        seen.append(x.shape[1])
        return data.random_shifts(x, generator)

    training, validation = data.load_matrices(1000, 300)
    np.random.seed(0)
    random.seed(0)
    config = BONUS | {"sizes": [784, 32, 10], "init": "he", "dtype": "float32", "warmup": 0.1}
    net = BonusNetwork(config, augment=shifts)
    history = net.SGD(training, 2, 96, 0.1, validation)
    assert seen == ([96] * 10 + [40]) * 2 and net.steps_done == net.steps == 22
    assert history["test_accuracy"][-1] > 0.6
