"""The request's user is loaded in one query with their agency, their unread count and the
permissions given in the admin, which the menu asks for without another query."""

import pytest
from django.contrib.auth.models import Group, Permission

from notifications.backends import UserBackend


def permission(app_label, codename):
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


@pytest.mark.django_db
def test_user_loaded_with_agency_and_admin_permissions(officer, django_assert_num_queries):
    officer.user_permissions.add(permission("plans", "view_plan"))
    group = Group.objects.create(name="Readers")
    group.permissions.add(permission("tasks", "view_task"), permission("plans", "view_plan"))
    officer.groups.add(group)
    # the user with agency, unread count and both kinds of permission names
    with django_assert_num_queries(1):
        user = UserBackend().get_user(officer.pk)
        assert user.agency.name == "Sở Tư pháp"
        assert user.has_perm("plans.view_plan")
        assert user.has_perm("tasks.view_task")
        assert not user.has_perm("plans.delete_plan")
    assert user.get_user_permissions() == {"plans.view_plan"}
    assert user.get_group_permissions() == {
        "plans.view_plan", "tasks.view_task",
    }
