"""Where extraction runs, one module per engine of :data:`kg.pipeline.ENGINES`:
:mod:`~kg.engines.local` (this process, or worker processes) and :mod:`~kg.engines.dask`
(the workers of a Dask cluster)."""
