"""Phrase tracking: which formulations recur across letters, since when, and how their wording shifted.

``index`` keeps sentence fingerprints and families of variants in the store; ``families`` lists the
recurring ones (``docaudit phrases``); ``trace`` follows one formulation through the letters
(``docaudit trace``); ``boilerplate`` tells letterhead and salutations from formulations.
"""
