"""Independent reference for Valida's Cohen's kappa (Tests/ValidaCoreTests/Results/RaterAgreement*).

Reads a JSON list of cases on stdin, each {"k": categories, "weights": "linear"|"quadratic" (absent: unweighted),
"a": [...], "b": [...]}, and prints a JSON list of kappas from scikit-learn's cohen_kappa_score
(null where scikit-learn answers NaN: kappa undefined).
"""

import json
import math
import sys
import warnings

from sklearn.metrics import cohen_kappa_score


def main() -> None:
    cases = json.load(sys.stdin)
    out = []
    for case in cases:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            value = cohen_kappa_score(
                case["a"], case["b"], labels=list(range(case["k"])), weights=case.get("weights")
            )
        value = float(value)
        out.append(None if math.isnan(value) else value)
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
