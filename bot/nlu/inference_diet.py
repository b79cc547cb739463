"""Rasa's DIETClassifier, loaded for prediction only (issue 16, memory).

Rasa builds a loaded DIET model's weights by training it for one step (`RasaModel.load`:
compile with Adam, `fit` on one example, then `load_weights` over the result). That traces the
whole training graph (forward, loss and gradients) and makes Adam's two slots for every weight,
none of which prediction uses, and TensorFlow keeps them: about 300 MiB of the Rasa server.

Here the weights are restored as prediction first creates them (TensorFlow's deferred
restoration: `load_weights` before any variable exists, then one prediction), so no training
graph and no optimizer are ever built. The optimizer's entries in the checkpoint are left
unread on purpose (`expect_partial`). Training and fine-tuning are Rasa's own, unchanged;
tests/test_inference_diet.py checks that predictions equal those of Rasa's own load.
"""

from __future__ import annotations

from typing import Any, Optional, Text, Type

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.classifiers.diet_classifier import DIET
from rasa.nlu.classifiers.diet_classifier import DIETClassifier as RasaDIETClassifier
from rasa.utils.tensorflow.model_data import RasaModelData
from rasa.utils.tensorflow.models import RasaModel


class InferenceDIET(DIET):
    @classmethod
    def load(cls, model_file_name: Text, model_data_example: RasaModelData,
             predict_data_example: Optional[RasaModelData] = None, finetune_mode: bool = False,
             *args: Any, **kwargs: Any) -> "InferenceDIET":
        if finetune_mode or predict_data_example is None:
            return super().load(model_file_name, model_data_example, predict_data_example,
                                finetune_mode, *args, **kwargs)
        model = cls(*args, **kwargs)
        model.load_weights(model_file_name).expect_partial()
        model.run_inference(predict_data_example)  # creates the weights, restored as they appear
        return model


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER,
     DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR],
    is_trainable=True,
)
class DIETClassifier(RasaDIETClassifier):
    @staticmethod
    def model_class() -> Type[RasaModel]:
        return InferenceDIET
