"""The project's own generators and trials, kept out of the product.

``samples`` writes fictional referral emails of every form kind; ``corpus`` writes the layout
corpus and measures reading accuracy; ``reliability`` runs the hostile-file and SIGKILL trials;
``benchmarks`` times the pipeline; ``demo`` makes the README's bundle pictures. None of it is
in the ``pipeline`` wheel: it is its own small distribution (``testkit/pyproject.toml``),
installed editable from a source checkout by the Makefile and ``.ci/run``.
"""
