"""Shrinks a failing single-file case while it keeps failing the same way (same outcome kind,
and for crashes the same signal): halves, then smaller chunks removed, then bytes zeroed
(delta debugging), within a budget of runs."""

import dataclasses


def same(a, b):
    return a.kind == b.kind and (a.kind != "crash" or a.detail == b.detail)


def minimize(family, case, outcome, worker, budget):
    names = [n for n, d in case.files.items() if d is not None]
    if len(names) != 1 or budget <= 0:
        return case, outcome
    name = names[0]
    data = case.files[name]
    runs = 0

    def attempt(candidate):
        nonlocal runs
        runs += 1
        trial = dataclasses.replace(case, files={**case.files, name: candidate})
        result = family.run(trial, worker)
        return result if same(result, outcome) else None

    chunk = max(1, len(data) // 2)
    while chunk >= 1 and runs < budget:
        i = 0
        shrunk = False
        while i < len(data) and runs < budget:
            candidate = data[:i] + data[i + chunk:]
            result = attempt(candidate) if candidate != data else None
            if result:
                data, outcome, shrunk = candidate, result, True
            else:
                i += chunk
        if not shrunk:
            chunk //= 2
    return dataclasses.replace(case, files={**case.files, name: data}), outcome
