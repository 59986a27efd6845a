from django.db import migrations


def root_of(agency, by_pk):
    seen = set()
    while agency.parent_id and agency.parent_id not in seen:
        seen.add(agency.pk)
        agency = by_pk[agency.parent_id]
    return agency


def set_group_provinces(apps, schema_editor):
    """A group belongs to the province it is scoped to, or that all its members sit under."""
    Agency = apps.get_model("agencies", "Agency")
    AgencyGroup = apps.get_model("agencies", "AgencyGroup")
    by_pk = {agency.pk: agency for agency in Agency.objects.all()}
    for group in AgencyGroup.objects.filter(province__isnull=True):
        if group.scope_id:
            roots = {root_of(by_pk[group.scope_id], by_pk).pk}
        else:
            roots = {root_of(by_pk[pk], by_pk).pk for pk in group.members.values_list("pk", flat=True)}
        if len(roots) == 1:
            group.province_id = roots.pop()
            group.save(update_fields=["province"])


class Migration(migrations.Migration):
    dependencies = [("agencies", "0003_group_province")]

    operations = [migrations.RunPython(set_group_provinces, migrations.RunPython.noop)]
