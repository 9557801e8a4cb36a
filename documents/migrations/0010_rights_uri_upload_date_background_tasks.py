# The schema changes of issue 11: http(s)-only rights URIs, an editable upload date, background
# imports and scan processing (three unreleased migrations combined before release).

import documents.models.scans
import documents.models.vocabularies
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('documents', '0009_importjob_hashed_columns'),
    ]

    operations = [
        migrations.AddField(
            model_name='importjob',
            name='task_id',
            field=models.CharField(blank=True, max_length=64, verbose_name='background task'),
        ),
        migrations.AddField(
            model_name='importjob',
            name='total_rows',
            field=models.PositiveIntegerField(default=0, help_text='Counted by the preview; the progress of a background import is out of it.', verbose_name='rows in the file'),
        ),
        migrations.AddField(
            model_name='importjob',
            name='upload',
            field=models.FileField(blank=True, help_text='Kept until the worker has imported it, then removed.', max_length=200, upload_to='imports/queued/', verbose_name='file waiting to be imported'),
        ),
        migrations.AddField(
            model_name='scan',
            name='processing',
            field=models.CharField(choices=[('pending', 'Waiting for the worker to make its thumbnail'), ('ready', 'Ready'), ('failed', 'Could not be processed')], default='ready', editable=False, help_text='Whether the thumbnail and display image have been made.', max_length=10, verbose_name='processing'),
        ),
        migrations.AddField(
            model_name='scan',
            name='processing_error',
            field=models.TextField(blank=True, editable=False, verbose_name='why it could not be processed'),
        ),
        migrations.AddField(
            model_name='scan',
            name='public_file',
            field=models.FileField(blank=True, editable=False, help_text='For a PDF: the file the public downloads, without its metadata.', max_length=200, upload_to=documents.models.scans.scan_derivative_to, verbose_name='public copy'),
        ),
        migrations.AlterField(
            model_name='document',
            name='first_published_at',
            field=models.DateTimeField(blank=True, help_text='Shown publicly as the day the record was uploaded. Set when the record is first published in this archive, never by a later save; correct it here for records moved from an earlier site.', null=True, verbose_name='original uploaded date'),
        ),
        migrations.AlterField(
            model_name='importjob',
            name='outcome',
            field=models.CharField(choices=[('queued', 'Waiting for the worker'), ('running', 'Importing'), ('imported', 'Imported'), ('nothing', 'Nothing to change'), ('failed', 'Failed: nothing written'), ('undone', 'Undone'), ('partly_undone', 'Undone except records edited since')], max_length=20, verbose_name='outcome'),
        ),
        migrations.AlterField(
            model_name='rightsstatement',
            name='uri',
            field=documents.models.vocabularies.WebAddressField(blank=True, help_text='e.g. http://rightsstatements.org/vocab/InC-EDU/1.0/', verbose_name='standard URI'),
        ),
    ]
