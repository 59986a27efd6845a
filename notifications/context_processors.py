def unread_notifications(request):
    """``unread_notifications``: the count on the bell, loaded with the request's user
    (``notifications.backends.UserBackend``), else counted once, when a page shows it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    def count():
        if not hasattr(user, "unread_notification_count"):
            from .services import unread_count

            user.unread_notification_count = unread_count(user)
        return user.unread_notification_count

    return {"unread_notifications": count}
