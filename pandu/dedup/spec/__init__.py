"""The linkage model: which fields are compared, at which levels, and how a pair is scored.

Each comparison level has its SQL (for Splink on DuckDB, the batch run) and the same test in
Python (for the online check and the review screen), so a pair gets the same levels either way.
A trained model is a Splink settings JSON; its m/u probabilities are read back by level key.
When none is trained, :data:`DEFAULT_MU` holds the values learned on the labelled test data.

The package's parts: ``levels`` (a comparison and its levels), ``distances`` (Levenshtein and
Jaro-Winkler as DuckDB computes them), ``predicates`` (the level tests in SQL and Python),
``comparisons`` (:data:`COMPARISONS`), ``splink_settings`` (blocking rules, default m/u and
:func:`settings_dict`) and ``scoring`` (:class:`Model`, scoring a pair in Python).
"""

from .comparisons import BY_NAME, COMPARISONS, ELSE, SIMILAR_NAME
from .distances import jaro_winkler, levenshtein
from .levels import Comparison, Features, Level, Predicate
from .predicates import SQL_MACROS, _words_close
from .scoring import Model, level_label, levels_from_gammas, probability
from .splink_settings import (
    BLOCKING_RULES,
    DEFAULT_DUPLICATE_SHARE,
    DEFAULT_MU,
    EXACT_RULE,
    EXACT_RULE_RECALL,
    TF_MINIMUM_U,
    TRAINING_BLOCKS,
    prior_for,
    settings_dict,
)

__all__ = [
    "BY_NAME",
    "COMPARISONS",
    "ELSE",
    "SIMILAR_NAME",
    "jaro_winkler",
    "levenshtein",
    "Comparison",
    "Features",
    "Level",
    "Predicate",
    "SQL_MACROS",
    "_words_close",
    "Model",
    "level_label",
    "levels_from_gammas",
    "probability",
    "BLOCKING_RULES",
    "DEFAULT_DUPLICATE_SHARE",
    "DEFAULT_MU",
    "EXACT_RULE",
    "EXACT_RULE_RECALL",
    "TF_MINIMUM_U",
    "TRAINING_BLOCKS",
    "prior_for",
    "settings_dict",
]
