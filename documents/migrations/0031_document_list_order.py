from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0031_contribution_person_role_doc"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="document",
            index=models.Index(
                fields=["date_start", "date_end", "title", "-id"], name="document_list_order"
            ),
        ),
    ]
