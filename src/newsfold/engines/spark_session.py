"""The Spark session newsfold's Spark engines run in, configured once.

``pyspark`` is an optional dependency (``pip install newsfold[spark]``); importing this module
without it raises :class:`SparkUnavailable` with the install command. The session is set up the
way newsfold needs it on a laptop and on a cluster alike:

- the executors run the driver's Python (``PYSPARK_PYTHON``), so the stage kernels and their
  packaged models are the same on both sides;
- ``spark.sql.shuffle.partitions`` is the given partition count (results never depend on it:
  ids are content-derived and every grouping is keyed);
- with a ``local[...]`` master: no web UI, the driver binds 127.0.0.1 only, and the JVM gets a
  heap of :data:`LOCAL_MEMORY` (``$NEWSFOLD_SPARK_MEMORY``);
- Arrow batches for ``mapInPandas`` / ``applyInPandas`` of ``ARROW_BATCH`` rows.
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

__all__ = ["ARROW_BATCH", "DEFAULT_MASTER", "LOCAL_MEMORY", "SparkUnavailable", "spark_session"]

DEFAULT_MASTER = "local[2]"
#: Rows per Arrow batch handed to a kernel.
ARROW_BATCH = 256
#: The JVM heap of a local master (driver and executors in one process).
LOCAL_MEMORY = "4g"


class SparkUnavailable(RuntimeError):
    """pyspark (or Java) is missing: the Spark engine cannot start."""


def spark_session(
    master: str | None = None,
    *,
    partitions: int = 8,
    app_name: str = "newsfold",
    checkpoint_dir: str | None = None,
) -> SparkSession:
    """A Spark session for newsfold (the active one, reconfigured, if one runs in this process).

    ``master``: a Spark master URL (else ``$NEWSFOLD_SPARK_MASTER``, else the one
    ``spark-submit`` was given, else ``local[2]``); ``partitions``: shuffle partitions;
    ``checkpoint_dir``: where iterative jobs (connected components) cut their lineage.
    """
    try:
        from pyspark.sql import SparkSession
    except ImportError as exc:  # pragma: no cover - depends on the install
        raise SparkUnavailable(
            "the Spark engine needs pyspark: pip install 'newsfold[spark]'"
        ) from exc
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    builder = SparkSession.builder.appName(app_name)
    chosen = master if master is not None else os.environ.get("NEWSFOLD_SPARK_MASTER")
    # Under spark-submit the JVM is started already (it hands pyspark a gateway port): keep
    # the master it was given.
    if chosen is None and "PYSPARK_GATEWAY_PORT" not in os.environ:
        chosen = DEFAULT_MASTER
    if chosen is not None:
        builder = builder.master(chosen)
    if chosen is not None and chosen.startswith("local"):  # a submitted master: its own settings
        # In local mode the executors live in the driver's JVM: Spark's default 1 GB heap runs
        # out on 100,000 records; NEWSFOLD_SPARK_MEMORY sets another size.
        builder = builder.config(
            "spark.driver.memory", os.environ.get("NEWSFOLD_SPARK_MEMORY", LOCAL_MEMORY)
        )
        builder = (
            builder.config("spark.ui.enabled", "false")
            .config("spark.driver.host", "127.0.0.1")
            .config("spark.driver.bindAddress", "127.0.0.1")
        )
    builder = (
        builder.config("spark.sql.shuffle.partitions", str(partitions))
        .config("spark.default.parallelism", str(partitions))
        .config("spark.sql.execution.arrow.maxRecordsPerBatch", str(ARROW_BATCH))
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .config("spark.python.worker.reuse", "true")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.hadoop.mapreduce.fileoutputcommitter.marksuccessfuljobs", "false")
    )
    try:
        session = builder.getOrCreate()
    except Exception as exc:  # Java missing or the master unreachable
        raise SparkUnavailable(
            f"could not start Spark ({chosen or 'submitted master'}): {exc}"
        ) from exc
    session.conf.set("spark.sql.shuffle.partitions", str(partitions))
    session.sparkContext.setLogLevel("ERROR")
    if checkpoint_dir is not None:
        session.sparkContext.setCheckpointDir(checkpoint_dir)
    return session
