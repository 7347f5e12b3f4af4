"""Slugs numbered on a clash, as WordPress does: ``name``, ``name-2``, ``name-3``…"""


def likely_slugs(base, count=11):
    """
    ``base``, ``base-2`` … ``base-<count>``: the candidates a save looks up in
    one query first, before scanning every slug that starts alike.
    """
    return [base, *(f"{base}-{n}" for n in range(2, count + 1))]
