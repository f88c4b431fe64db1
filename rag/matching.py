"""Which indexed items a question's facets name, as masks over the snapshot's items.

Read from the value columns the decision facts wrote at ingest (`rag.fields`), so a mask costs
one pass over a column however large the corpus. Used by the answer's population
(`rag.population`) and by ranking (`rag.retrieval`: an item whose requested treatment is the
query's outranks one whose rationale only mentions it).
"""

from __future__ import annotations

from collections.abc import Collection

import numpy as np

from index.store import VectorStore
from rag import fields
from rag.understanding import Question


def column_mask(store: VectorStore, name: str, values: Collection[str]) -> np.ndarray:
    """Items whose column `name` holds any of `values`."""
    wanted = set(values)
    column = store.column(name)
    return column.mask(column.codes_where(lambda v: v in wanted))


def drug_class_mask(store: VectorStore, name: str) -> np.ndarray:
    """Items of a drug class; "compounded" is every compounded product, one drug or several."""
    if name == "compounded":
        return column_mask(store, fields.COMPOUNDED, {"yes"})
    return column_mask(store, fields.DRUG_CLASS, {name})


def treatment_mask(store: VectorStore, question: Question) -> tuple[np.ndarray | None, tuple]:
    """The items of the treatment `question` names, and the facet that decided it: the drug
    class named (when it is a named drug's own, or no drug is named), else the drugs, else the
    procedures, else the category of care. (None, ()) when it names none."""
    classes, ingredients = set(question.values("drug_class")), set(question.values("ingredient"))
    if ingredients and classes:
        # A class only counts when it is a named drug's own ("NSAIDs like naproxen"); other
        # class words are context ("constipation from opioids" in a question on Colace).
        named = column_mask(store, fields.INGREDIENT, ingredients)
        classes = {c for c in classes if (drug_class_mask(store, c) & named).any()}
    if classes:
        mask = np.zeros(store.records, bool)
        for name in classes:
            mask |= drug_class_mask(store, name)
        return mask, ("drug_class",)
    if ingredients:
        return column_mask(store, fields.INGREDIENT, ingredients), ("ingredient",)
    if treatments := set(question.values("treatment")):
        return column_mask(store, fields.CONCEPT, treatments), ("treatment",)
    if categories := set(question.values("category")):
        return column_mask(store, fields.CATEGORY, categories), ("category",)
    return None, ()


def identity_masks(
    store: VectorStore, question: Question, medication: bool
) -> dict[str, np.ndarray]:
    """What makes the treatment the one asked about: for drugs the form ("patch" is not
    "ointment"), for other care the body region ("knee MRI" is not "shoulder MRI")."""
    masks = {}
    if question.values("form") and medication:
        masks["form"] = column_mask(store, fields.FORM, _forms(question.values("form")))
    if question.values("region") and not medication:
        masks["region"] = column_mask(store, fields.REGION, question.values("region"))
    return masks


def _forms(asked: tuple[str, ...]) -> set[str]:
    """A question's form word as item forms: a gel or cream is any topical, a patch included."""
    forms = set(asked)
    if "topical" in forms:
        forms.add("patch")
    return forms
