"""The opt-in options of the bonus network: init, dropout, momentum, weight decay, schedule,
augmentation. Each must leave the course's defaults alone and do exactly what it says."""

import numpy as np
import pytest

import backprop_data as data
import mnist_augment
from backprop_network import Network, StepOptions, log_softmax, warmup_cosine

pytestmark = pytest.mark.filterwarnings("error")


def small_network(sizes=(12, 9, 7, 4), seed=0):
    rng = np.random.default_rng(seed)
    net = Network(list(sizes))
    net.weights = [rng.normal(0, 1 / np.sqrt(w.shape[1]), w.shape) for w in net.weights]
    net.biases = [rng.normal(0, 0.5, b.shape) for b in net.biases]
    return net


def batch(sizes=(12, 9, 7, 4), m=6, seed=1):
    rng = np.random.default_rng(seed)
    return rng.normal(size=(sizes[0], m)), np.eye(sizes[-1])[:, rng.integers(0, sizes[-1], m)]


def test_he_init_scales_weights_and_zeroes_biases():
    np.random.seed(0)
    net = Network([784, 500, 300, 10], init="he")
    for w, b in zip(net.weights, net.biases, strict=True):
        assert abs(w.std() - np.sqrt(2 / w.shape[1])) < 0.05 * np.sqrt(2 / w.shape[1])
        assert not b.any()
    np.random.seed(0)
    course = Network([784, 500, 300, 10])
    assert abs(course.weights[0].std() - 1.0) < 0.01


def test_dropout_gradients_match_finite_differences_with_the_same_masks():
    net = small_network()
    x, y = batch()

    def masked_loss():
        vs, _, _ = net._forward(x, 0.3, np.random.default_rng(5))
        return -np.sum(y * log_softmax(vs[-1])) / x.shape[1]

    db, dw = net._gradients(x, y, 0.3, np.random.default_rng(5))
    eps = 1e-6
    for p, g in zip(net.biases + net.weights, db + dw, strict=True):
        for i in np.ndindex(p.shape):
            saved = p[i]
            p[i] = saved + eps
            up = masked_loss()
            p[i] = saved - eps
            down = masked_loss()
            p[i] = saved
            assert g[i] == pytest.approx((up - down) / (2 * eps), rel=1e-5, abs=1e-9)


def test_dropout_zeroes_about_the_right_fraction_and_rescales():
    net = Network([50, 2000, 10])
    x = np.ones((50, 4))
    vs, zs, gates = net._forward(x, 0.25, np.random.default_rng(0))
    np.testing.assert_allclose(gates[0][gates[0] > 0], 1 / 0.75)
    active = vs[0] > 0
    assert (gates[0][active] > 0).mean() == pytest.approx(0.75, abs=0.02)
    assert not gates[0][~active].any()
    np.testing.assert_array_equal(zs[1], vs[0] * gates[0])


def test_momentum_and_weight_decay_take_the_stated_step():
    net = small_network()
    x, y = batch()
    params = [p.copy() for p in net.biases + net.weights]
    db, dw = net.backprop(x, y)
    grads = [g.copy() for g in db] + [g + 0.01 * w for g, w in zip(dw, net.weights, strict=True)]
    velocities = [np.full_like(p, 0.5) for p in params]
    options = StepOptions(0.9, 0.01, 0.0, None, [u.copy() for u in velocities])
    net._step(x, y, 0.1, options)
    for p, p0, g, u0, u in zip(
        net.biases + net.weights, params, grads, velocities, options.velocities, strict=True
    ):
        u_expected = 0.9 * u0 + g
        np.testing.assert_allclose(u, u_expected, rtol=1e-12)
        np.testing.assert_allclose(p, p0 - 0.1 * (g + 0.9 * u_expected), rtol=1e-12)


def test_defaults_are_the_course_plain_step():
    net = small_network()
    x, y = batch()
    db, dw = net.backprop(x, y)
    expected = [p - 0.2 * g for p, g in zip(net.biases + net.weights, db + dw, strict=True)]
    net.update_mini_batch((x, y), 0.2)
    for p, e in zip(net.biases + net.weights, expected, strict=True):
        np.testing.assert_allclose(p, e, rtol=1e-13)


def test_warmup_cosine_schedule():
    f = warmup_cosine(0.1)
    t = np.linspace(0, 1, 1001, endpoint=False)
    values = f(t)
    assert values[0] == 0.0 and f(0.05) == pytest.approx(0.5) and f(0.1) == pytest.approx(1.0)
    assert f(0.55) == pytest.approx(0.5) and f(0.999) < 1e-4
    assert np.all(np.diff(values[t < 0.1]) > 0) and np.all(np.diff(values[t >= 0.1]) <= 0)
    assert warmup_cosine(0.0)(0.0) == 1.0


def test_sgd_follows_the_schedule_and_options_do_not_crash():
    train, test = data.load_matrices(300, 100)
    np.random.seed(0)
    net = Network([784, 32, 10], dtype=np.float32, init="he")
    seen = []

    def record(x, generator):
        seen.append(x.shape[1])
        return mnist_augment.random_shifts(x, generator)

    history = net.SGD(
        train, 2, 64, 0.05, test, rng=0, verbose=False, momentum=0.9, weight_decay=1e-4,
        dropout=0.1, schedule=warmup_cosine(0.2), augment=record,
        on_epoch=lambda epoch, h: seen.append(("epoch", epoch, len(h["test_accuracy"]))),
    )  # fmt: skip
    assert seen == [64, 64, 64, 64, 44, ("epoch", 0, 1)] + [64, 64, 64, 64, 44, ("epoch", 1, 2)]
    assert history["diverged_at_epoch"] is None and history["test_accuracy"][-1] > 0.3
    with pytest.raises(ValueError, match="dropout"):
        net.SGD(train, 1, 64, 0.05, test, verbose=False, dropout=1.0)


def digits(m=16):
    train, _ = data.load_matrices(m, 1)
    return train.x.astype(np.float32)


def test_shifts_move_whole_pixels_with_zero_fill():
    x = digits()
    moved = mnist_augment.random_shifts(x, np.random.default_rng(0), max_shift=2)
    assert moved.shape == x.shape and moved.dtype == x.dtype
    offsets = set()
    for j in range(x.shape[1]):
        padded = np.pad(x[:, j].reshape(28, 28), 2)
        shifted = moved[:, j].reshape(28, 28)
        matches = [
            (dy, dx)
            for dy in range(5)
            for dx in range(5)
            if np.array_equal(padded[dy : dy + 28, dx : dx + 28], shifted)
        ]
        assert matches, f"image {j} is not a shift of the original by at most 2 pixels"
        offsets.update(matches)
    assert len(offsets) > 5


def test_affine_with_no_distortion_is_the_identity_and_bilinear_interpolates():
    x = digits()
    same = mnist_augment.random_affine(
        x, np.random.default_rng(0), max_rotation=0, max_scale=0, max_shear=0, max_shift=0
    )
    np.testing.assert_allclose(same, x, atol=1e-6)
    image = np.arange(784, dtype=np.float64).reshape(784, 1)
    half = mnist_augment.bilinear(image, np.array([[3.5, -5.0]]), np.array([[7.25, 0.0]]))
    np.testing.assert_allclose(half[0], [(3 * 28 + 7.25 + 4 * 28 + 7.25) / 2, 0.0])


def test_affine_distorts_but_keeps_the_digit_near():
    x = digits()
    warped = mnist_augment.random_affine(x, np.random.default_rng(1))
    assert warped.shape == x.shape and np.isfinite(warped).all()
    assert not np.allclose(warped, x)
    correlation = [np.corrcoef(a, b)[0, 1] for a, b in zip(x.T, warped.T, strict=True)]
    assert np.median(correlation) > 0.3
