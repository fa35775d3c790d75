"""Analysis of a built graph: the actor network (:mod:`~kg.analysis.network`), states and
their parts (:mod:`~kg.analysis.states`), statistics (:mod:`~kg.analysis.stats`), figures
(:mod:`~kg.analysis.plot`) and the counts a build reports (:mod:`~kg.analysis.counts`)."""
