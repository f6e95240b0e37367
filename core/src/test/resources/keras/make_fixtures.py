"""Writes the Keras 2 HDF5 fixtures of RankForge's Keras import tests (run from this folder).

Keras 2 itself cannot be installed on the project's machines (the local package mirror offers only
Keras 3, which no longer writes Keras 2 files), so this script writes the files with h5py in exactly
the layout Keras 2 (2.4 to 2.15, the TensorFlow 2 era) `model.save("x.h5")` produced: root attributes `keras_version`, `backend`,
`model_config` (the model's JSON) and `training_config`, and a `model_weights` group with
`layer_names`, one group per layer with `weight_names`, and each weight as the dataset
`model_weights/<layer>/<layer>/<weight>:0`. A Sequential model's config lists its InputLayer first,
whose weights group Keras leaves out (Sequential.layers does not include it).

Every weight is given by a formula, so the tests can compute the expected outputs by hand:
    weight[i] = 0.5 * sin(0.7 * i + salt)   (i = flat row-major index in Keras's own array layout)
with a different salt per weight array (see SALTS).
"""
import json

import h5py
import numpy as np

KERAS_VERSION = "2.11.0"
SALTS = {"conv/kernel": 0.1, "conv/bias": 0.2, "dense/kernel": 0.3, "dense/bias": 0.4,
         "left/kernel": 0.5, "left/bias": 0.6, "right/kernel": 0.7, "right/bias": 0.8,
         "out/kernel": 0.9, "out/bias": 1.0}


def formula(shape, salt):
    n = int(np.prod(shape))
    return (0.5 * np.sin(0.7 * np.arange(n) + salt)).astype(np.float32).reshape(shape)


def initializer(name):
    return {"class_name": name, "config": {"seed": None} if name != "Zeros" else {}}


def conv2d(name, filters, kernel, activation, input_shape=None, padding="valid"):
    cfg = {"name": name, "trainable": True, "filters": filters, "kernel_size": [kernel, kernel],
           "strides": [1, 1], "padding": padding, "data_format": "channels_last", "dilation_rate": [1, 1],
           "activation": activation, "use_bias": True,
           "kernel_initializer": {"class_name": "VarianceScaling",
                                  "config": {"scale": 1.0, "mode": "fan_avg", "distribution": "uniform", "seed": None}},
           "bias_initializer": initializer("Zeros"), "kernel_regularizer": None, "bias_regularizer": None,
           "activity_regularizer": None, "kernel_constraint": None, "bias_constraint": None}
    if input_shape is not None:
        cfg["batch_input_shape"] = [None] + list(input_shape)
        cfg["dtype"] = "float32"
    return {"class_name": "Conv2D", "config": cfg}


def dense(name, units, activation):
    return {"class_name": "Dense", "config": {
        "name": name, "trainable": True, "units": units, "activation": activation, "use_bias": True,
        "kernel_initializer": {"class_name": "VarianceScaling",
                               "config": {"scale": 1.0, "mode": "fan_avg", "distribution": "uniform", "seed": None}},
        "bias_initializer": initializer("Zeros"), "kernel_regularizer": None, "bias_regularizer": None,
        "activity_regularizer": None, "kernel_constraint": None, "bias_constraint": None}}


def training_config():
    return {"optimizer_config": {"class_name": "SGD", "config": {
        "lr": 0.01, "momentum": 0.0, "decay": 0.0, "nesterov": False}},
        "loss": "categorical_crossentropy", "metrics": ["accuracy"], "sample_weight_mode": None,
        "loss_weights": None}


def write(path, model_config, layers):
    """layers: list of (layer name, [(weight name, array)]) in model order."""
    with h5py.File(path, "w") as f:
        f.attrs["keras_version"] = np.bytes_(KERAS_VERSION)
        f.attrs["backend"] = np.bytes_("tensorflow")
        f.attrs["model_config"] = np.bytes_(json.dumps(model_config))
        f.attrs["training_config"] = np.bytes_(json.dumps(training_config()))
        g = f.create_group("model_weights")
        g.attrs["layer_names"] = np.array([np.bytes_(n) for n, _ in layers])
        g.attrs["backend"] = np.bytes_("tensorflow")
        g.attrs["keras_version"] = np.bytes_(KERAS_VERSION)
        for name, weights in layers:
            lg = g.create_group(name)
            lg.attrs["weight_names"] = np.array([np.bytes_(f"{name}/{w}:0") for w, _ in weights])
            for w, arr in weights:
                lg.create_dataset(f"{name}/{w}:0", data=arr)


def sequential_cnn():
    """28×28×1 → Conv2D(4, 3×3, relu) → MaxPooling2D(2) → Flatten → Dense(10, softmax)."""
    config = {"class_name": "Sequential", "config": {"name": "sequential_cnn", "layers": [
        {"class_name": "InputLayer", "config": {"batch_input_shape": [None, 28, 28, 1], "dtype": "float32",
                                                "sparse": False, "ragged": False, "name": "input"}},
        conv2d("conv", 4, 3, "relu"),
        {"class_name": "MaxPooling2D", "config": {"name": "pool", "trainable": True, "pool_size": [2, 2],
                                                   "padding": "valid", "strides": [2, 2],
                                                   "data_format": "channels_last"}},
        {"class_name": "Flatten", "config": {"name": "flatten", "trainable": True, "data_format": "channels_last"}},
        dense("dense", 10, "softmax")]}}
    layers = [("conv", [("kernel", formula((3, 3, 1, 4), SALTS["conv/kernel"])),
                        ("bias", formula((4,), SALTS["conv/bias"]))]),
              ("pool", []), ("flatten", []),
              ("dense", [("kernel", formula((13 * 13 * 4, 10), SALTS["dense/kernel"])),
                         ("bias", formula((10,), SALTS["dense/bias"]))])]
    write("sequential_cnn.h5", config, layers)


def functional_residual():
    """Functional model: input 8×8×2; left = Conv2D(3, 3×3, same, relu), right = Conv2D(3, 1×1, linear);
    sum = Add([left, right]); GlobalAveragePooling2D; Dense(4, softmax)."""
    def node(*names):
        return [[[n, 0, 0, {}] for n in names]]

    layers_cfg = [
        {"name": "input", "class_name": "InputLayer",
         "config": {"batch_input_shape": [None, 8, 8, 2], "dtype": "float32", "sparse": False, "name": "input"},
         "inbound_nodes": []},
        dict(conv2d("left", 3, 3, "relu", padding="same"), name="left", inbound_nodes=node("input")),
        dict(conv2d("right", 3, 1, "linear"), name="right", inbound_nodes=node("input")),
        {"name": "sum", "class_name": "Add", "config": {"name": "sum", "trainable": True},
         "inbound_nodes": node("left", "right")},
        {"name": "gap", "class_name": "GlobalAveragePooling2D",
         "config": {"name": "gap", "trainable": True, "data_format": "channels_last"}, "inbound_nodes": node("sum")},
        dict(dense("out", 4, "softmax"), name="out", inbound_nodes=node("gap")),
    ]
    config = {"class_name": "Model", "config": {"name": "functional_residual", "layers": layers_cfg,
                                               "input_layers": [["input", 0, 0]],
                                               "output_layers": [["out", 0, 0]]}}
    layers = [("input", []),
              ("left", [("kernel", formula((3, 3, 2, 3), SALTS["left/kernel"])),
                        ("bias", formula((3,), SALTS["left/bias"]))]),
              ("right", [("kernel", formula((1, 1, 2, 3), SALTS["right/kernel"])),
                         ("bias", formula((3,), SALTS["right/bias"]))]),
              ("sum", []), ("gap", []),
              ("out", [("kernel", formula((3, 4), SALTS["out/kernel"])),
                       ("bias", formula((4,), SALTS["out/bias"]))])]
    write("functional_residual.h5", config, layers)


def not_a_keras_model():
    """A valid HDF5 file that holds data, not a Keras model."""
    with h5py.File("not_a_keras_model.h5", "w") as f:
        f.create_dataset("measurements", data=np.arange(12, dtype=np.float32).reshape(3, 4))
        f.attrs["description"] = np.bytes_("sensor readings, no model_config")


if __name__ == "__main__":
    sequential_cnn()
    functional_residual()
    not_a_keras_model()
