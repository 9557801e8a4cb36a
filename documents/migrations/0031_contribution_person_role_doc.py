from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0030_withdrawal_reason"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="contribution",
            index=models.Index(
                fields=["person", "role", "document"], name="contribution_person_role_doc"
            ),
        ),
    ]
