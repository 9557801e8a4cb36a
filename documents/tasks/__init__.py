"""Background tasks: the work that would hold a web request too long, run by the worker.

Tasks are django-tasks tasks (the backport of Django 6's `django.tasks`), queued in the database
by its database backend (`django_tasks_db`) and run by `manage.py db_worker`, a process of its
own beside the web server (`make run` starts one; README "Deploying"). Each module owns one
kind of work:

- `scans.py`: a scan's thumbnail, display image and metadata-free public PDF, made in a child
  process with a memory and a time limit (`documents/scans/processing.py`);
- `imports.py`: a spreadsheet import confirmed in the admin, with its progress (`progress.py`);
- `batch_edits.py`: a batch edit of many documents confirmed in the admin, with its progress.

May import the workflows and the spreadsheet import, `documents.changes` and below; the admin
and the management commands import it to queue work.
"""
