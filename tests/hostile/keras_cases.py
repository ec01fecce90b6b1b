"""The Keras hostile batch: cheats on tests/fixtures/course/00_keras (``build_model(features, units)``).

``code`` replaces the answer cell. A Keras model crosses from the student's kernel to the checker
as a ``.keras`` archive loaded there with ``safe_mode=True``, so what the checker tests is the
model's saved architecture and weights, never an object of the student's kernel: a fake model
is a proxy (not a ``keras.Model``), a model patched in her kernel loads as what it really is, and
an archive with code in it does not load. Every case must score 0; the correct solution 2.
"""
from __future__ import annotations

from hostile.cases import CHANNEL, Case

RNN_LINEAR = ("    inputs = keras.Input(shape=(None, features))\n"
              "    return keras.Model(inputs, layers.Dense(1)(layers.SimpleRNN(units)(inputs)))\n")

#: answer-cell code that makes the channel send ``CRAFT(config)``'s archive for every model: the
#: model's real archive with its config.json rewritten by ``CRAFT``
FORGE_ARCHIVE = (
    "import base64, io, json, marshal, zipfile\n"
    f"wire = {CHANNEL.replace('_grading', '_grading_wire')}\n"
    "real_bytes = wire._keras_bytes\n"
    "def forged_bytes(model):\n"
    "    src = zipfile.ZipFile(io.BytesIO(base64.b64decode(real_bytes(model))))\n"
    "    out = io.BytesIO()\n"
    "    with zipfile.ZipFile(out, 'w') as z:\n"
    "        for item in src.infolist():\n"
    "            body = src.read(item.filename)\n"
    "            if item.filename == 'config.json':\n"
    "                config = json.loads(body)\n                CRAFT(config)\n                body = json.dumps(config)\n"
    "            z.writestr(item, body)\n"
    "    return base64.b64encode(out.getvalue()).decode()\n"
    "wire._keras_bytes = forged_bytes\n"
    # what would run in the checker if the archive's code were loaded: every check a no-op
    "def payload(t):\n"
    "    import rnncourse.checks as c, rnncourse.model_checks as m\n"
    "    c.check_true = c.check_shape = c.check_type = c._fail = lambda *a, **k: None\n"
    "    m.check_probabilities = m.check_input_shape = lambda *a, **k: None\n"
    "    return t\n"
    "CODE = base64.b64encode(marshal.dumps(payload.__code__)).decode()\n"
    "def lambda_layer(name, inbound):\n"
    "    return {'module': 'keras.layers', 'class_name': 'Lambda', 'registered_name': None, 'name': name,\n"
    "            'config': {'name': name, 'trainable': True, 'arguments': {},\n"
    "                       'function': {'class_name': '__lambda__', 'config': {'code': CODE, 'defaults': None,\n"
    "                                                                            'closure': None}}},\n"
    "            'inbound_nodes': inbound}\n"
)

#: the model the forged-archive cases build (a linear read-out: it fails the checks on its own)
BUILD_LINEAR = "def build_model(features, units):\n" + RNN_LINEAR

KERAS_CASES: list[Case] = [
    Case("keras_fake_object", "an object that fakes predict, __call__, count_params, layers, inputs and outputs "
         "(and claims to be a keras.Model)",
         "class FakeModel:\n"
         "    __class__ = property(lambda s: keras.Model)\n"
         "    def __init__(self, features, units):\n"
         "        self.layers = [layers.SimpleRNN(units), layers.Dense(1, activation='sigmoid')]\n"
         "        self.inputs = [keras.KerasTensor((None, None, features))]\n"
         "        self.outputs = [keras.KerasTensor((None, 1))]\n"
         "    def __call__(self, x, *a, **k):\n        return np.full((len(x), 1), 0.5, 'float32')\n"
         "    predict = __call__\n"
         "    def count_params(self):\n        return 1\n"
         "    def get_weights(self):\n        return []\n"
         "    def set_weights(self, weights):\n        pass\n"
         "def build_model(features, units):\n    return FakeModel(features, units)"),
    Case("keras_lambda_layer", "a real model whose output is a Lambda layer returning 0.5",
         "def build_model(features, units):\n"
         "    inputs = keras.Input(shape=(None, features))\n"
         "    state = layers.SimpleRNN(units)(inputs)\n"
         "    half = layers.Lambda(lambda t: 0.0 * t + 0.5)(layers.Dense(1)(state))\n"
         "    return keras.Model(inputs, half)"),
    Case("keras_subclassed_model", "a subclassed keras.Model whose call returns 0.5 whatever the input",
         "class Half(keras.Model):\n"
         "    def __init__(self, units, **kw):\n"
         "        super().__init__(**kw)\n        self.rnn = layers.SimpleRNN(units)\n"
         "        self.out = layers.Dense(1, activation='sigmoid')\n"
         "    def call(self, x):\n        return 0.0 * self.out(self.rnn(x)) + 0.5\n"
         "def build_model(features, units):\n"
         "    model = Half(units)\n    model(np.zeros((1, 2, features), 'float32'))\n    return model"),
    Case("keras_subclass_posing_as_keras", "a subclassed model whose class says it lives in keras (module and name)",
         "class Model(keras.Model):\n"
         "    def __init__(self, units=1, **kw):\n"
         "        super().__init__(**kw)\n        self.rnn = layers.SimpleRNN(units)\n        self.out = layers.Dense(1)\n"
         "    def call(self, x):\n        return 0.0 * self.out(self.rnn(x)) + 0.5\n"
         "Model.__module__ = 'keras.src.models.model'\n"
         "def build_model(features, units):\n"
         "    model = Model(units)\n    model(np.zeros((1, 2, features), 'float32'))\n    return model"),
    Case("keras_call_patched", "a real model with a linear read-out whose instance call and predict were replaced "
         "to return 0.5 everywhere",
         "def build_model(features, units):\n" + RNN_LINEAR.replace("    return keras.Model", "    model = keras.Model")
         + "    half = lambda x, *a, **k: keras.ops.full((keras.ops.shape(x)[0], 1), 0.5)\n"
         "    model.call = half\n"
         "    model.predict = lambda x, *a, **k: np.full((len(x), 1), 0.5, 'float32')\n"
         "    return model"),
    Case("keras_class_swapped", "a real model without a recurrent layer whose __class__ was swapped for a subclass "
         "with patched __call__, predict and layers",
         "def build_model(features, units):\n"
         "    inputs = keras.Input(shape=(None, features))\n"
         "    model = keras.Model(inputs, layers.Dense(1)(layers.GlobalAveragePooling1D()(inputs)))\n"
         "    fake_layers = [layers.SimpleRNN(units), layers.Dense(1, activation='sigmoid')]\n"
         "    model.__class__ = type('Functional', (type(model),), {\n"
         "        '__call__': lambda self, x, *a, **k: np.full((len(x), 1), 0.5, 'float32'),\n"
         "        'predict': lambda self, x, *a, **k: np.full((len(x), 1), 0.5, 'float32'),\n"
         "        'layers': property(lambda self: fake_layers)})\n"
         "    return model"),
    Case("keras_dense_class_patched", "Dense.call patched in the student kernel to add a sigmoid, so the linear "
         "read-out it builds looks like probabilities there",
         "plain_call = layers.Dense.call\n"
         "def sigmoid_call(self, inputs, *a, **k):\n    return keras.ops.sigmoid(plain_call(self, inputs, *a, **k))\n"
         "layers.Dense.call = sigmoid_call\n" + BUILD_LINEAR),
    Case("keras_dense_class_replaced", "keras.layers.Dense replaced by a subclass that always outputs 0.5",
         "class Dense(layers.Dense):\n"
         "    def call(self, inputs, *a, **k):\n        return 0.0 * super().call(inputs) + 0.5\n"
         "Dense.__module__ = 'keras.layers'\n"
         "layers.Dense = keras.layers.Dense = Dense\n" + BUILD_LINEAR),
    Case("keras_no_recurrent_layer", "a real model that averages over time instead of a recurrent layer (it passes "
         "every other check)",
         "def build_model(features, units):\n"
         "    inputs = keras.Input(shape=(None, features))\n"
         "    pooled = layers.Dense(units, activation='tanh')(layers.GlobalAveragePooling1D()(inputs))\n"
         "    return keras.Model(inputs, layers.Dense(1, activation='sigmoid')(pooled))"),
    Case("keras_ignores_input", "a real recurrent model whose input weights are zero (its output is a constant 0.5)",
         "def build_model(features, units):\n"
         "    inputs = keras.Input(shape=(None, features))\n"
         "    state = layers.SimpleRNN(units, kernel_initializer='zeros')(inputs)\n"
         "    return keras.Model(inputs, layers.Dense(1, activation='sigmoid')(state))"),
    Case("keras_archive_lambda", "the archive sent to the checker gets a Lambda layer whose code would disable "
         "the checks there",
         FORGE_ARCHIVE +
         "def CRAFT(config):\n"
         "    found = config['config']['layers']\n"
         "    last = found[-1]['name']\n"
         "    found.append(lambda_layer('evil', [{'args': [{'class_name': '__keras_tensor__', 'config': {\n"
         "        'shape': [None, 1], 'dtype': 'float32', 'keras_history': [last, 0, 0]}}], 'kwargs': {}}]))\n"
         "    config['config']['output_layers'] = [['evil', 0, 0]]\n" + BUILD_LINEAR),
    Case("keras_archive_unsafe_switch", "the archive's first layer has keras.config.enable_unsafe_deserialization "
         "as its activation, so that a Lambda layer after it would load",
         FORGE_ARCHIVE +
         "def CRAFT(config):\n"
         "    found = config['config']['layers']\n"
         "    found[1]['config']['activation'] = {'module': 'keras.config', 'class_name': 'function',\n"
         "                                        'config': 'enable_unsafe_deserialization', 'registered_name': 'function'}\n"
         "    last = found[-1]['name']\n"
         "    found.append(lambda_layer('evil', [{'args': [{'class_name': '__keras_tensor__', 'config': {\n"
         "        'shape': [None, 1], 'dtype': 'float32', 'keras_history': [last, 0, 0]}}], 'kwargs': {}}]))\n"
         "    config['config']['output_layers'] = [['evil', 0, 0]]\n" + BUILD_LINEAR),
    Case("keras_archive_foreign_function", "the archive's read-out activation is builtins.exec, os.system or a "
         "function of the notebook (functions outside Keras)",
         FORGE_ARCHIVE +
         "import itertools\nCHOICES = itertools.cycle([('builtins', 'exec'), ('os', 'system'), ('__main__', 'payload')])\n"
         "def CRAFT(config):\n"
         "    module, name = next(CHOICES)\n"
         "    config['config']['layers'][-1]['config']['activation'] = {\n"
         "        'module': module, 'class_name': 'function', 'config': name, 'registered_name': 'function'}\n"
         + BUILD_LINEAR),
    Case("keras_archive_savedmodel_layer", "the archive's read-out is a TFSMLayer that would load a SavedModel "
         "(graph code) from a path in the checker's kernel",
         FORGE_ARCHIVE +
         "def CRAFT(config):\n"
         "    found = config['config']['layers']\n"
         "    dense = found[-1]\n"
         "    found[-1] = {'module': 'keras.layers', 'class_name': 'TFSMLayer', 'registered_name': None,\n"
         "                 'name': dense['name'], 'inbound_nodes': dense['inbound_nodes'],\n"
         "                 'config': {'filepath': '.', 'call_endpoint': 'serve', 'name': dense['name'], 'trainable': False}}\n"
         + BUILD_LINEAR),
]
