"""The bundled example letters (two versions each, and constructed letters that re-use formulations), and
``docaudit demo`` (:mod:`.demo`), which runs the whole job on them without a network."""
