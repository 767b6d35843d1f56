"""The django-tasks-db backend with a task's row written as every other hot-path row is.

Intake enqueues a notification's delivery on every submission, in the submission's transaction
(`applications.notifications`). The stock backend checks the task's signature anew and lets the
ORM compile the row's INSERT each time; both cost more than writing the row. Here a task is checked
once per process (a `Task` is an immutable module-level value), its result is built once
instead of twice, and its row goes through
`core.sql.insert`, which writes exactly what `DBTaskResult.objects.create` writes, signals
included (the backend's own pre_save handler sets `run_after`).
"""

from collections.abc import Callable
from typing import Any

from django_tasks_db.backend import DatabaseBackend as StockDatabaseBackend
from django_tasks_db.backend import TaskResult
from django_tasks_db.compat import Task, normalize_json, task_enqueued
from django_tasks_db.models import DBTaskResult

from uslugi.core import sql


class DatabaseBackend(StockDatabaseBackend):
    def __init__(self, alias: str, params: dict[str, Any]) -> None:
        super().__init__(alias, params)
        self._checked: set[Task[Any, Any]] = set()

    def validate_task(self, task: Task[Any, Any]) -> None:
        if task not in self._checked:
            super().validate_task(task)
            self._checked.add(task)

    def enqueue(self, task: Task[Any, Any], args: Any, kwargs: Any) -> TaskResult[Any, Any]:
        """As the stock backend's, with the result worked out once instead of twice."""
        self.validate_task(task)
        result = self._task_to_db_task(task, args, kwargs).task_result
        task_enqueued.send(type(self), task_result=result)
        return result

    def queue(
        self, writes: sql.Writes, task: Task[Any, Any], args: Callable[[], list[Any]]
    ) -> DBTaskResult:
        """Enqueue `task` as a row queued in `writes`, its arguments read as it is written (the
        pk of a row queued before it, say); enqueued is signalled once the row is written."""
        self.validate_task(task)
        result = self._db_task(task, {})
        writes.insert(result, args_kwargs=lambda: normalize_json({"args": args(), "kwargs": {}}))
        writes.then(lambda: task_enqueued.send(type(self), task_result=result.task_result))
        return result

    def _task_to_db_task(self, task: Task[Any, Any], args: Any, kwargs: Any) -> DBTaskResult:
        result = self._db_task(task, normalize_json({"args": args, "kwargs": kwargs}))
        sql.insert(result)
        return result

    def _db_task(self, task: Task[Any, Any], args_kwargs: Any) -> DBTaskResult:
        """The task's row as the stock backend fills it in (unsaved)."""
        return DBTaskResult(
            id=self._get_id(),
            args_kwargs=args_kwargs,
            priority=task.priority,
            task_path=task.module_path,
            queue_name=task.queue_name,
            run_after=task.run_after,  # type: ignore[misc]  # None: the backend's pre_save sets it
            backend_name=self.alias,
        )
