"""Stage kernels: what each step of the pipeline computes (see :mod:`newsfold.stages.base`)."""
