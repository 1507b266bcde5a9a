"""Model matrices coded as R's model.matrix codes them."""
import pandas as pd

from reoffend_eval._formula import design_matrix


def test_text_levels_sort_as_r_factor_does_and_the_first_is_the_reference():
    data = pd.DataFrame({"inherit": ["X-linked", "autosomal", "X-linked", "autosomal"], "age": [1.0, 2, 3, 4]})
    matrix = design_matrix(data, "age + inherit", intercept=True)
    # R (en_GB locale): levels(factor(c("X-linked", "autosomal"))) == c("autosomal", "X-linked")
    assert list(matrix.columns) == ["(Intercept)", "age", "inheritX-linked"]
    assert matrix["inheritX-linked"].tolist() == [1.0, 0.0, 1.0, 0.0]


def test_booleans_and_categoricals():
    data = pd.DataFrame({"flag": [True, False, True], "risk": pd.Categorical(["high", "standard", "medium"],
                                                                              categories=["standard", "medium", "high"])})
    matrix = design_matrix(data, "flag + risk")
    assert list(matrix.columns) == ["flagTRUE", "riskmedium", "riskhigh"]
