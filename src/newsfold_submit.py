"""The file to hand ``spark-submit``: the ``newsfold`` command line under a submitted master.

``spark-submit`` runs a Python *file*, putting its folder first on ``sys.path``; this one lies
beside the ``newsfold`` package (not in it, where newsfold's own module names would hide the
standard library's), so::

    FILE=$(python -c "import newsfold_submit as m; print(m.__file__)")
    spark-submit --master spark://HOST:7077 $FILE run --engine spark INPUT... --out DIR

runs ``newsfold run --engine spark`` on that cluster (the master is the submitted one). Set
``PYSPARK_PYTHON`` to a Python with newsfold installed on every node.
"""

from newsfold.cli import main

if __name__ == "__main__":
    main()
