"""Random small distortions of MNIST digits, a whole mini-batch at a time.

Every function takes x (784, m), one 28x28 image per column (row-major pixels), and a numpy
generator, and returns a new (784, m) array: the same digits, moved a little. A classifier of
digits should not care about such moves, so training on them multiplies the data for free.
"""

import numpy as np

SIDE = 28


def random_shifts(x, generator, max_shift=2):
    """Move each image by whole pixels, dx and dy uniform in -max_shift..max_shift, zero fill."""
    m = x.shape[1]
    padded = np.pad(
        x.T.reshape(m, SIDE, SIDE), ((0, 0), (max_shift, max_shift), (max_shift, max_shift))
    )
    dy, dx = np.floor(generator.random((2, m)) * (2 * max_shift + 1)).astype(np.intp)
    rows = dy[:, None] + np.arange(SIDE)
    cols = dx[:, None] + np.arange(SIDE)
    moved = padded[np.arange(m)[:, None, None], rows[:, :, None], cols[:, None, :]]
    return moved.reshape(m, SIDE * SIDE).T


def random_affine(x, generator, max_rotation=10.0, max_scale=0.1, max_shear=0.1, max_shift=2.0):
    """Rotate (degrees), scale, shear and shift each image by uniform random amounts.

    Each output pixel p (centred coordinates) reads the input at A^-1 (p - t) by bilinear
    interpolation, with A = rotation @ shear @ scale drawn per image; outside reads are 0.
    """
    m = x.shape[1]
    angle, scale, shear, ty, tx = (generator.random((5, m)) * 2.0 - 1.0) * np.array(
        [[np.deg2rad(max_rotation)], [max_scale], [max_shear], [max_shift], [max_shift]]
    )
    scale = 1.0 + scale
    cos, sin = np.cos(angle), np.sin(angle)
    # A = R(angle) [[1, shear], [0, 1]] diag(scale, scale); invert the 2x2 in closed form
    a11, a12 = cos * scale, (cos * shear - sin) * scale
    a21, a22 = sin * scale, (sin * shear + cos) * scale
    det = a11 * a22 - a12 * a21
    centre = (SIDE - 1) / 2.0
    grid_r, grid_c = np.meshgrid(np.arange(SIDE) - centre, np.arange(SIDE) - centre, indexing="ij")
    pr = grid_r.ravel()[None, :] - ty[:, None]
    pc = grid_c.ravel()[None, :] - tx[:, None]
    src_r = (a22[:, None] * pr - a12[:, None] * pc) / det[:, None] + centre
    src_c = (-a21[:, None] * pr + a11[:, None] * pc) / det[:, None] + centre
    return bilinear(x, src_r, src_c).T


def bilinear(x, rows, cols):
    """Sample images x (784, m) at fractional (rows, cols) (m, n); 0 outside the image."""
    m = x.shape[1]
    padded = np.pad(x.T.reshape(m, SIDE, SIDE), ((0, 0), (1, 2), (1, 2))).reshape(m, -1)
    width = SIDE + 3
    rows = np.clip(rows, -1.0, SIDE) + 1.0
    cols = np.clip(cols, -1.0, SIDE) + 1.0
    r0 = np.floor(rows).astype(np.intp)
    c0 = np.floor(cols).astype(np.intp)
    fr = (rows - r0).astype(x.dtype)
    fc = (cols - c0).astype(x.dtype)
    corner = r0 * width + c0
    take = np.take_along_axis
    top = take(padded, corner, 1) * (1 - fc) + take(padded, corner + 1, 1) * fc
    bottom = take(padded, corner + width, 1) * (1 - fc) + take(padded, corner + width + 1, 1) * fc
    return top * (1 - fr) + bottom * fr
