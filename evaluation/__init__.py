"""Evaluation of fogofwar against data labelled by others (see ``docs/evaluation.md``).

Each task is a script, ``python -m evaluation.<task> DATA_PATH``, that reads external data from
where it lives (never copied into the project), prints its figures and writes a
:class:`evaluation.results.TaskResult` as JSON; ``python -m evaluation.report`` turns those
files into ``docs/evaluation.md``. ``make evaluate DATA=../shared/eval`` runs everything.
"""
