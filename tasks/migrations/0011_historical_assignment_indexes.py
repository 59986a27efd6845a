import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('agencies', '0007_agency_province'),
        ('tasks', '0010_update_has_figures'),
    ]

    operations = [
        migrations.AlterField(
            model_name='historicalassignment',
            name='agency',
            field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='agencies.agency', verbose_name='agency'),
        ),
        migrations.AlterField(
            model_name='historicalassignment',
            name='province',
            field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, editable=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='agencies.agency', verbose_name='province'),
        ),
        migrations.AlterField(
            model_name='historicalassignment',
            name='task',
            field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='tasks.task', verbose_name='task'),
        ),
        migrations.AlterField(
            model_name='historicalassignment',
            name='transferred_from',
            field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='agencies.agency', verbose_name='taken over from'),
        ),
        migrations.AlterField(
            model_name='historicalassignment',
            name='via_group',
            field=models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='agencies.agencygroup', verbose_name='through group'),
        ),
    ]
